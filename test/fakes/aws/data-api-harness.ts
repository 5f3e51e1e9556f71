// Starts the fake Data API on a loopback port for one test file and gives the
// client what it needs to reach it: static test credentials and the endpoint.
import { join } from 'node:path';
import { RedshiftDataWarehouse } from '../../../src/pipeline/warehouse/redshift-data.js';
import type { RedshiftConnection } from '../../../src/pipeline/warehouse/redshift-scope.js';
import { startFakeAws, type RunningFake } from './server.js';
import { DataApiFake, type CallRecord, type DataApiFakeOptions } from './data-api.js';

export const TEST_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIDSPARKIFYTEST',
  AWS_SECRET_ACCESS_KEY: 'sparkify-test-secret',
  AWS_REGION: 'us-west-2',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * The environment of a built CLI that talks to the fakes at `endpoint` with
 * the test credentials and `home` as SPARKIFY_HOME, and reads no AWS files or
 * instance metadata of the machine it runs on.
 */
export function fakeAwsEnv(home: string, endpoint: string): Record<string, string> {
  return {
    ...TEST_CREDENTIALS,
    SPARKIFY_HOME: home,
    AWS_ENDPOINT_URL: endpoint,
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export interface DataApiHarness {
  fake: DataApiFake;
  server: RunningFake;
  url: string;
  /** Environment for a child process (the built CLI) to reach the fake. */
  env: Record<string, string>;
  calls(op?: string): CallRecord[];
  close(): Promise<void>;
}

/** Sets the test credentials on this process: the SDK reads them through its standard chain. */
export function applyTestCredentials(): void {
  for (const [key, value] of Object.entries(TEST_CREDENTIALS)) process.env[key] = value;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}

export async function startDataApi(options: DataApiFakeOptions = {}): Promise<DataApiHarness> {
  const fake = new DataApiFake(options);
  const server = await startFakeAws({ services: [fake] });
  return {
    fake,
    server,
    url: server.url,
    env: { ...TEST_CREDENTIALS, AWS_ENDPOINT_URL: server.url },
    calls: (op) => fake.seen.filter((call) => !op || call.op === op),
    close: () => server.close(),
  };
}

/** Opens warehouses on the fake with `connection()` plus what a test adds, and closes all it opened at once. */
export function warehouseOpener(connection: () => RedshiftConnection): {
  open: (extra?: Partial<RedshiftConnection>) => Promise<RedshiftDataWarehouse>;
  closeAll: () => Promise<void>;
} {
  const opened: RedshiftDataWarehouse[] = [];
  return {
    async open(extra = {}) {
      const warehouse = await RedshiftDataWarehouse.open({ ...connection(), ...extra });
      opened.push(warehouse);
      return warehouse;
    },
    async closeAll() {
      await Promise.all(opened.splice(0).map((w) => w.close()));
    },
  };
}
