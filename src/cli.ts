// Entry point. Parses argv with commander and lazy-loads only what a command
// needs: `sparkify query` never loads Ink or an AWS client it does not use.
// This is the one place that sets the exit code.
import { Command, Option } from 'commander';
import { SparkifyError, ExitCode } from './pipeline/errors.js';
import { VERSION } from './version.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Options every warehouse command takes. */
function withTarget(command: Command): Command {
  return command
    .addOption(new Option('--target <target>', 'warehouse to use').choices(['local', 'redshift']))
    .option('--database-file <path>', 'local warehouse file (default: $SPARKIFY_HOME/warehouse.duckdb)')
    .option('--cluster-id <id>', 'Redshift provisioned cluster identifier')
    .option('--workgroup <name>', 'Redshift Serverless workgroup name')
    .option('--database <name>', 'Redshift database name')
    .option('--db-user <name>', 'Redshift database user (temporary credentials)')
    .option('--secret-arn <arn>', 'Secrets Manager secret holding the Redshift credentials')
    .option('--region <region>', 'AWS region')
    .option('--profile <name>', 'AWS profile from your AWS config');
}

/** Options for commands that load data. */
function withSources(command: Command): Command {
  return command
    .option('--song-data <path>', 'song JSON files: a folder or s3:// prefix')
    .option('--log-data <path>', 'event log NDJSON files: a folder or s3:// prefix')
    .option('--log-jsonpaths <file>', "jsonpaths file for the events COPY (default: 'auto ignorecase')")
    .option('--iam-role <arn>', 'IAM role Redshift assumes to read the sources')
    .option('--source-region <region>', 'region of the source bucket (COPY ... REGION)');
}

export function buildProgram(): Command {
  const program = new Command('sparkify')
    .description('Sparkify ELT workbench: load song and event JSON into a star schema on DuckDB or Redshift')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError()
    .action(async () => {
      const { openApp } = await import('./commands/app.js');
      process.exitCode = await openApp();
    });

  withTarget(
    program
      .command('create-tables')
      .description('create the schemas and tables (staging tables are dropped and made anew)')
      .option('--skip-staging', 'leave the staging tables as they are'),
  ).action(async (opts) => {
    const { createTablesCommand } = await import('./commands/pipeline.js');
    process.exitCode = await createTablesCommand(opts);
  });

  withSources(
    withTarget(
      program
        .command('etl')
        .description('load the staging tables and transform them into the star schema')
        .option('--skip-staging', 'transform what is already staged; do not load'),
    ),
  ).action(async (opts) => {
    const { etlCommand } = await import('./commands/pipeline.js');
    process.exitCode = await etlCommand(opts);
  });

  withSources(
    withTarget(
      program
        .command('run')
        .description('create tables, load, transform and check: the whole pipeline')
        .option('--skip-staging', 'transform what is already staged; do not load')
        .option('--concurrency <n>', 'statements run at once where the plan allows', parseInteger),
    ),
  ).action(async (opts) => {
    const { runCommand } = await import('./commands/pipeline.js');
    process.exitCode = await runCommand(opts);
  });

  withTarget(
    program
      .command('query')
      .description('run one SQL query and print its result')
      .argument('<sql>', "the query, or - to read it from standard input")
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json', 'tsv']))
      .option('--limit <n>', 'print at most N rows', parseInteger),
  ).action(async (sql, opts) => {
    const { queryCommand } = await import('./commands/query.js');
    process.exitCode = await queryCommand(sql, opts);
  });

  program
    .command('sample')
    .description('generate course-shaped sample data (songs, event logs, jsonpaths)')
    .requiredOption('--out <dir>', 'folder to write song_data/, log_data/ and log_json_path.json into')
    .option('--scale <n>', 'size: 1 is about the course sample, 1000 about 8M events', parseFloatOption, 1)
    .option('--seed <s>', 'random seed (same seed, same files)', parseInteger, 42)
    .action(async (opts) => {
      const { sampleCommand } = await import('./commands/sample.js');
      process.exitCode = await sampleCommand(opts);
    });

  program
    .command('setup')
    .description('guided setup in the terminal (writes $SPARKIFY_HOME/config.json)')
    .action(async () => {
      const { openApp } = await import('./commands/app.js');
      process.exitCode = await openApp({ setup: true });
    });

  return program;
}

function parseInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new SparkifyError(`not a whole number: ${value}`, { exitCode: ExitCode.usage });
  return n;
}

function parseFloatOption(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new SparkifyError(`not a positive number: ${value}`, { exitCode: ExitCode.usage });
  return n;
}

async function registerExtraCommands(program: Command): Promise<void> {
  // Cluster and serverless commands live in their own module; it registers
  // commands only (no AWS client is imported until one runs).
  const { registerClusterCommands } = await import('./commands/cluster-register.js');
  registerClusterCommands(program);
}

export async function main(argv = process.argv): Promise<void> {
  const program = buildProgram();
  await registerExtraCommands(program);
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

function reportError(error: unknown): number {
  const commanderCode = (error as { code?: string }).code;
  if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) {
    const exit = (error as { exitCode?: number }).exitCode ?? ExitCode.usage;
    return commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version' ? ExitCode.ok : exit;
  }
  if (error instanceof SparkifyError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint}\n`);
    return error.exitCode;
  }
  process.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.failure;
}

await main();
