// Registers the cluster, serverless and config-import commands. Registration
// only: each action imports its module when it runs, so no AWS client loads
// for any other command.
import { type Command, Option } from 'commander';
import { exitCodesHelp } from '../pipeline/errors.js';
import { CLUSTER_DEFAULTS, SERVERLESS_DEFAULTS, USAGE_BREACH_ACTIONS } from '../pipeline/provision/defaults.js';
import { positiveNumber, wholeNumber } from './options.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function withAws(command: Command): Command {
  return command
    .option('--region <region>', 'AWS region (default: the one in the config, else us-west-2)')
    .option('--profile <name>', 'AWS profile from your AWS config files');
}

function withSources(command: Command): Command {
  return command
    .option('--song-data <s3uri>', 'song JSON files on S3 (default: s3://udacity-dend/song_data)')
    .option('--log-data <s3uri>', 'event log files on S3 (default: s3://udacity-dend/log_data)')
    .option('--log-jsonpaths <s3uri>', 'jsonpaths file on S3 (default: s3://udacity-dend/log_json_path.json)')
    .option('--source-region <region>', 'region of the source bucket, when not the cluster region')
    .option('--source-bucket <bucket-or-s3uri>', 'another bucket or s3:// prefix the role may read (repeatable)', collect)
    .option('--manifest-prefix <s3uri>', 'where incremental runs write their COPY manifests (saved as redshift.manifestPrefix); the role may read it')
    .option('--role-name <name>', 'IAM role Redshift assumes to read the sources (default: sparkify-<id>-s3-read)');
}

function withWatch(command: Command, what: string): Command {
  return command
    .option('--wait', `follow the status until ${what}`)
    .option('--interval <seconds>', 'seconds between status checks', positiveNumber('--interval', ' of seconds'), 5);
}

async function run<M>(load: () => Promise<M>, action: (module: M) => Promise<number> | number): Promise<void> {
  process.exitCode = await action(await load());
}

/** Commander hands options over untyped: each action names the flags its command takes. */
type FlagsOf<F extends (flags: never) => unknown> = Parameters<F>[0];
type ClusterModule = typeof import('./cluster.js');
type ServerlessModule = typeof import('./serverless.js');

const clusterModule = () => import('./cluster.js');
const serverlessModule = () => import('./serverless.js');
const importModule = () => import('./import-config.js');

const EXIT_CODES = `\n${exitCodesHelp()}`;

export function registerClusterCommands(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('create, watch, pause, resume and delete a provisioned Redshift cluster')
    .addHelpText('after', EXIT_CODES);

  withWatch(
    withSources(
      withAws(
        cluster
          .command('create')
          .description('create an IAM role (read-only on the sources) and a cluster, and point the config at them')
          .requiredOption('--cluster-id <id>', 'cluster identifier (e.g. sparkify-dwh)')
          .option('--pause-after <hours>', "have Redshift's scheduler pause the cluster this many hours after creation", positiveNumber('--pause-after', ' of hours'))
          .option('--node-type <type>', `node type (default ${CLUSTER_DEFAULTS.nodeType}, the smallest current one)`, CLUSTER_DEFAULTS.nodeType)
          .option('--nodes <n>', `number of nodes (default ${CLUSTER_DEFAULTS.nodes})`, wholeNumber('--nodes', 1), CLUSTER_DEFAULTS.nodes)
          .option('--database <name>', 'database to create', 'sparkify')
          .option('--db-user <name>', 'admin user (its password stays in AWS Secrets Manager)', 'awsuser'),
      ),
    ),
    'it is available',
  )
    .option('-y, --yes', 'do not ask for confirmation')
    .action((opts: FlagsOf<ClusterModule['clusterCreateCommand']>) => run(clusterModule, (m) => m.clusterCreateCommand(opts)));

  withAws(
    cluster
      .command('status')
      .description('status, endpoint, size, age, role and cost of the cluster')
      .option('--cluster-id <id>', 'cluster identifier (default: the one in the config)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
      .option('--watch', 'follow status changes until the cluster settles (or Ctrl-C)')
      .option('--interval <seconds>', 'seconds between checks with --watch', positiveNumber('--interval', ' of seconds'), 5),
  ).action((opts: FlagsOf<ClusterModule['clusterStatusCommand']>) => run(clusterModule, (m) => m.clusterStatusCommand(opts)));

  for (const [name, description, until] of [
    ['pause', 'pause the cluster: compute billing stops, data stays', 'it is paused'],
    ['resume', 'resume a paused cluster', 'it is available'],
  ] as const) {
    withWatch(
      withAws(
        cluster
          .command(name)
          .description(description)
          .option('--cluster-id <id>', 'cluster identifier (default: the one in the config)')
          .option('-y, --yes', 'do not ask for confirmation'),
      ),
      until,
    ).action((opts: FlagsOf<ClusterModule['clusterPauseCommand']>) => run(clusterModule, (m) => (name === 'pause' ? m.clusterPauseCommand(opts) : m.clusterResumeCommand(opts))));
  }

  withWatch(
    withAws(
      cluster
        .command('delete')
        .description('delete the cluster (no final snapshot unless --final-snapshot); --all also removes its role and forgets it')
        .option('--cluster-id <id>', 'cluster identifier (default: the one in the config)')
        .option('--final-snapshot <snapshot-id>', 'take a final snapshot with this identifier first')
        .option('--skip-final-snapshot', 'delete without a final snapshot (the default)')
        .option('--all', 'also delete the IAM role and forget the cluster in the config')
        .option('--role-name <name>', 'role to delete with --all (default: the one recorded at create)')
        .option('-y, --yes', 'do not ask for confirmation'),
    ),
    'it is gone',
  ).action((opts: FlagsOf<ClusterModule['clusterDeleteCommand']>) => run(clusterModule, (m) => m.clusterDeleteCommand(opts)));

  cluster
    .command('import-config')
    .description("import the original project's dwh.cfg / redshift.cfg (never its passwords or keys)")
    .argument('<file>', 'the INI file')
    .action((file: string) => run(importModule, (m) => m.configImportCommand(file)));

  const serverless = program
    .command('serverless')
    .description('create, watch and delete a Redshift Serverless namespace and workgroup')
    .addHelpText('after', EXIT_CODES);

  withSources(
    withAws(
      serverless
        .command('create')
        .description('create an IAM role (read-only on the sources), a namespace and a workgroup, and point the config at them')
        .option('--workgroup <name>', 'workgroup name', 'sparkify')
        .option('--namespace <name>', 'namespace name (default: the workgroup name)')
        .option('--base-capacity <rpu>', `base capacity in RPUs (4, or 8 to 512 in steps of 8; default ${SERVERLESS_DEFAULTS.baseCapacity})`, wholeNumber('--base-capacity', 1), SERVERLESS_DEFAULTS.baseCapacity)
        .option('--usage-limit <rpu-hours>', 'cap on RPU-hours per period (0: no cap)', wholeNumber('--usage-limit'), SERVERLESS_DEFAULTS.usageLimitRpuHours)
        .addOption(new Option('--usage-period <period>', 'period the cap counts over').choices(['daily', 'weekly', 'monthly']).default(SERVERLESS_DEFAULTS.usagePeriod))
        .addOption(
          new Option('--usage-breach <action>', 'past the cap: deactivate turns user queries off until the period ends (and AWS sends a notification), the one action that stops them; log notes the breach in sys_query_history, emit-metric emits a CloudWatch metric')
            .choices([...USAGE_BREACH_ACTIONS])
            .default(SERVERLESS_DEFAULTS.breachAction),
        )
        .option('--database <name>', 'database to create', 'sparkify')
        .option('--db-user <name>', 'admin user (its password stays in AWS Secrets Manager)', 'awsuser'),
    ),
  )
    .option('--wait', 'follow the status until the workgroup is available')
    .option('--interval <seconds>', 'seconds between status checks', positiveNumber('--interval', ' of seconds'), 5)
    .option('-y, --yes', 'do not ask for confirmation')
    .action((opts: FlagsOf<ServerlessModule['serverlessCreateCommand']>) => run(serverlessModule, (m) => m.serverlessCreateCommand(opts)));

  withAws(
    serverless
      .command('status')
      .description('status, endpoint, capacity, role and cost of the workgroup')
      .option('--workgroup <name>', 'workgroup name (default: the one in the config)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
      .option('--watch', 'follow status changes until the workgroup settles (or Ctrl-C)')
      .option('--interval <seconds>', 'seconds between checks with --watch', positiveNumber('--interval', ' of seconds'), 5),
  ).action((opts: FlagsOf<ServerlessModule['serverlessStatusCommand']>) => run(serverlessModule, (m) => m.serverlessStatusCommand(opts)));

  withAws(
    serverless
      .command('delete')
      .description('delete the workgroup and its namespace (and its data); --all also removes the role and forgets it')
      .option('--workgroup <name>', 'workgroup name (default: the one in the config)')
      .option('--namespace <name>', 'namespace name (default: the workgroup\'s)')
      .option('--all', 'also delete the IAM role and forget the workgroup in the config')
      .option('--role-name <name>', 'role to delete with --all (default: the one recorded at create)')
      .option('--interval <seconds>', 'seconds between checks while the workgroup goes away', positiveNumber('--interval', ' of seconds'), 5)
      .option('-y, --yes', 'do not ask for confirmation'),
  ).action((opts: FlagsOf<ServerlessModule['serverlessDeleteCommand']>) => run(serverlessModule, (m) => m.serverlessDeleteCommand(opts)));

  const config =
    program.commands.find((c) => c.name() === 'config') ?? program.command('config').description('sparkify configuration');
  config
    .command('import')
    .description("import the original project's dwh.cfg / redshift.cfg (never its passwords or keys)")
    .argument('<file>', 'the INI file')
    .action((file: string) => run(importModule, (m) => m.configImportCommand(file)));
}
