// `npm run fake-aws`: the fake AWS services on a loopback port, for trying the
// Redshift target by hand. Prints `listening http://127.0.0.1:PORT` first, then
// serves until killed.
//
//   npm run fake-aws -- --port 4566 --bucket udacity-dend=../shared/data/sparkify \
//     --latency-ms 300 --faults throttle=0.1,error500=0.05,reset=0.02,slow=0.05 \
//     --s3-faults slowdown=0.05,truncate=0.01 \
//     --control-plane-faults CreateCluster=InsufficientClusterCapacity,PutRolePolicy=AccessDenied
//   (S3 clients need forcePathStyle, or an endpoint of localhost for bucket.localhost hosts)
//   AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-west-2 \
//     AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test sparkify run --target redshift ...
import { parseArgs } from 'node:util';
import { startFakeAws } from './server.js';
import { createAllServices } from './services.js';
import type { FaultRates } from './data-api-faults.js';
import type { S3FaultKind } from './s3.js';

const FAULT_NAMES = ['throttle', 'error500', 'reset', 'slow'] as const satisfies readonly (keyof FaultRates)[];
const S3_FAULT_NAMES = ['slowdown', 'error500', 'reset', 'truncate'] as const satisfies readonly S3FaultKind[];

function fail(message: string): never {
  process.stderr.write(`fake-aws: ${message}\n`);
  process.exit(2);
}

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} takes a number ≥ 0, got ${value}`);
  return n;
}

function parseBuckets(values: string[]): Record<string, string> {
  const buckets: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1) fail(`--bucket takes NAME=DIR, got ${value}`);
    buckets[value.slice(0, at)] = value.slice(at + 1);
  }
  return buckets;
}

/** `NAME=SHARE,...` of fault names to shares 0..1, for the flag `--FLAG`. */
function parseShares<Name extends string>(flag: string, names: readonly Name[], value: string | undefined): Partial<Record<Name, number>> {
  const faults: Partial<Record<Name, number>> = {};
  for (const part of (value ?? '').split(',').filter(Boolean)) {
    const [name, rate] = part.split('=');
    const share = Number(rate);
    if (!name || !names.includes(name as Name) || !(share >= 0 && share <= 1)) {
      fail(`--${flag} takes NAME=SHARE pairs (${names.join(', ')}; shares 0..1), got ${part}`);
    }
    faults[name as Name] = share;
  }
  return faults;
}

function parseClusters(values: string[]): { identifier: string; iamRoles: string[] }[] {
  return values.map((value) => {
    const [identifier, role] = value.split('=');
    if (!identifier || value.split('=').length > 2 || role === '') fail(`--cluster takes ID or ID=ROLE_ARN, got ${value}`);
    return { identifier, iamRoles: role ? [role] : [] };
  });
}

const USAGE = `usage: npm run fake-aws -- [options]

Serves fake AWS services (Redshift Data API, S3, Redshift, Redshift Serverless,
IAM, STS) on 127.0.0.1 and prints "listening http://127.0.0.1:PORT" first.

  --port N                        port to listen on (default: any free port)
  --bucket NAME=DIR               serve s3://NAME from the folder DIR (repeatable), to COPY and S3
  --latency-ms N                  time each statement takes on top of its work
  --state-delay-ms N              time in SUBMITTED and in PICKED; cluster transitions
  --page-size N                   rows per GetStatementResult page
  --faults NAME=SHARE,...         throttle, error500, reset, slow (shares 0..1)
  --s3-faults NAME=SHARE,...      slowdown, error500, reset, truncate (shares 0..1)
  --s3-latency-ms N               time each S3 answer takes
  --control-plane-faults OP=ERR,...  errors for control-plane operations
  --cluster ID[=ROLE_ARN]         an available cluster to start with (repeatable), with an
                                  IAM role for COPY; the Data API answers only for clusters
                                  the fake holds (these, and those created on it)
  --seed N                        seed of the fault dice
  --help                          this text
`;

function parseFlags() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        bucket: { type: 'string', multiple: true },
        'latency-ms': { type: 'string' },
        'state-delay-ms': { type: 'string' },
        'page-size': { type: 'string' },
        faults: { type: 'string' },
        's3-faults': { type: 'string' },
        's3-latency-ms': { type: 'string' },
        'control-plane-faults': { type: 'string' },
        seed: { type: 'string' },
        cluster: { type: 'string', multiple: true },
        help: { type: 'boolean' },
      },
      strict: true,
    });
  } catch (error) {
    fail(`${(error as Error).message} (see --help)`);
  }
}

const { values } = parseFlags();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const port = number('port', values.port);
const fake = await startFakeAws({
  port,
  services: createAllServices({
    dataApi: {
      buckets: parseBuckets(values.bucket ?? []),
      latencyMs: number('latency-ms', values['latency-ms']),
      stateDelayMs: number('state-delay-ms', values['state-delay-ms']),
      pageSize: number('page-size', values['page-size']),
      faults: parseShares('faults', FAULT_NAMES, values.faults),
      seed: number('seed', values.seed),
    },
    s3: { faults: parseShares('s3-faults', S3_FAULT_NAMES, values['s3-faults']), latencyMs: number('s3-latency-ms', values['s3-latency-ms']), seed: number('seed', values.seed) },
    controlPlane: {
      stateDelayMs: number('state-delay-ms', values['state-delay-ms']),
      faults: values['control-plane-faults'],
    },
    clusters: parseClusters(values.cluster ?? []),
  }),
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') fail(`port ${port} is in use: pass another --port, or 0 for any free one`);
  throw error;
});
process.stdout.write(`listening ${fake.url}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fake.close().finally(() => process.exit(0));
  });
}
