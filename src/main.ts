// The program, loaded by the entry point (cli.ts) once the signals are armed.
// Parses argv with commander and lazy-loads only what a command needs:
// `sparkify query` never loads Ink or an AWS client it does not use.
// This is the one place that sets the exit code.
import { Command, Option } from 'commander';
import { SparkifyError, ExitCode, UsageError, exitCodesHelp, isSystemError, systemErrorMessage } from './pipeline/errors.js';
import { VERSION } from './version.js';
import { positiveNumber, wholeNumber } from './commands/options.js';
import { guardOutput, readerGone } from './commands/output.js';
import { releaseSignals, unheardSignal } from './commands/interrupt.js';
import type { PipelineFlags } from './commands/pipeline.js';
import type { QueryFlags } from './commands/query.js';
import type { RunsFlags } from './commands/runs.js';

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
    .option('--log-jsonpaths <file>', "jsonpaths file for the events COPY, or 'auto' / 'auto ignorecase' (default: a log_json_path.json beside the log folder, else 'auto ignorecase')")
    .option('--iam-role <arn>', 'IAM role Redshift assumes to read the sources')
    .option('--source-region <region>', 'region of the source bucket (COPY ... REGION)')
    .option(...BUCKET_OPTION);
}

/** `--bucket NAME=DIR`, repeatable: the local engine reads s3://NAME/... from DIR. */
const BUCKET_OPTION = [
  '--bucket <name=dir>',
  'local engine: read s3://NAME/... from the folder DIR (repeatable; also sources.buckets in the config)',
  (value: string, previous: string[] = []) => [...previous, value],
] as const;

export function buildProgram(): Command {
  const program = new Command('sparkify')
    .description('Sparkify ELT workbench: load song and event JSON into a star schema on DuckDB or Redshift')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError()
    // Set before any command is added: subcommands copy it when created, so
    // a usage error anywhere throws to main() (exit 2) instead of commander
    // calling process.exit(1) itself.
    .exitOverride()
    // With no command the app opens. Without this argument commander takes a
    // misspelt command for an extra argument ("too many arguments"); with it
    // the action sees the word and names it.
    .argument('[command...]')
    .usage('[options] [command]')
    .addHelpText('after', `\n${exitCodesHelp()}`)
    .action(async (words: string[]) => {
      if (words[0] === 'help') {
        // `sparkify help [command]`, which commander offers only to programs without an action.
        const command = words[1] === undefined ? program : program.commands.find((c) => c.name() === words[1]);
        if (!command) throw unknownCommand(program, words[1]);
        command.help();
      }
      if (words.length > 0) throw unknownCommand(program, words[0]);
      releaseSignals();
      const { openApp } = await import('./commands/app.js');
      process.exitCode = await openApp();
    });

  withTarget(
    program
      .command('create-tables')
      .description('create the schemas and tables (staging tables are dropped and made anew)')
      .option('--skip-staging', 'leave the staging tables as they are'),
  ).action(async (opts: PipelineFlags) => {
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
  ).action(async (opts: PipelineFlags) => {
    const { etlCommand } = await import('./commands/pipeline.js');
    process.exitCode = await etlCommand(opts);
  });

  withSources(
    withTarget(
      program
        .command('run')
        .description('create tables, load, transform and check: the whole pipeline')
        .option('--skip-staging', 'transform what is already staged; do not load')
        .option('--concurrency <n>', 'statements run at once where the plan allows (1 or more)', wholeNumber('--concurrency', 1))
        .option('--fetch-concurrency <n>', 'S3 objects fetched at once into the cache for the local engine (default 16)', wholeNumber('--fetch-concurrency', 1))
        .option('--from <step>', 'start at this step (resume); earlier steps are skipped')
        .option('--incremental', 'load only the files the ledger has not seen, and merge them into the star schema')
        .option('--reload-changed', 'with --incremental: a table with files changed since they were loaded is loaded again from all its files, and the star schema transformed again')
        .option('--plan', 'show the files, the steps and the statements the run would take, and run nothing')
        .option('--since <date>', 'with --incremental: only event files dated on or after YYYY-MM-DD', isoDate('--since'))
        .option('--until <date>', 'with --incremental: only event files dated on or before YYYY-MM-DD', isoDate('--until')),
    ),
  ).action(async (opts: PipelineFlags) => {
    const { runCommand } = await import('./commands/pipeline.js');
    process.exitCode = await runCommand(opts);
  });

  withSources(
    withTarget(program.command('retry').description('resume the last failed or cancelled run from the step it stopped at, as the ledger records it')),
  ).action(async (opts: PipelineFlags) => {
    const { retryCommand } = await import('./commands/pipeline.js');
    process.exitCode = await retryCommand(opts);
  });

  const runs = withTarget(
    program
      .command('runs')
      .description("the warehouse's run history (the ledger in schema sparkify)")
      .option('--last <n>', 'how many runs to list (default 10)', wholeNumber('--last', 1))
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json'])),
  ).action(async (opts: RunsFlags) => {
    const { runsCommand } = await import('./commands/runs.js');
    process.exitCode = await runsCommand(opts);
  });
  withTarget(
    runs
      .command('show')
      .description("one run's statements with their times")
      .argument('<id>', 'the run id, or its first characters')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json'])),
  ).action(async (id: string, _opts, command: Command) => {
    // `runs` takes the same target options: they count wherever they stand on the line.
    const { runsShowCommand } = await import('./commands/runs.js');
    process.exitCode = await runsShowCommand(id, command.optsWithGlobals<RunsFlags>());
  });

  withTarget(
    program
      .command('query')
      .description('run SQL (a query, any statement, or a script of many) and print each result')
      .argument('[sql]', 'the SQL, or - to read a script from standard input')
      .option('-f, --file <path>', 'run the script in this file (- for standard input)')
      .option('--continue-on-error', 'run the rest of a script after a statement fails (exits non-zero at the end)')
      .option(...BUCKET_OPTION)
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json', 'jsonl', 'tsv', 'parquet']))
      .option('--out <file>', 'write the result to this file instead of standard output (parquet needs it on a terminal)')
      .option('--limit <n>', 'print at most N rows of each result', wholeNumber('--limit')),
  ).action(async (sql: string | undefined, opts: QueryFlags) => {
    const { queryCommand } = await import('./commands/query.js');
    process.exitCode = await queryCommand(sql, opts);
  });

  program
    .command('sample')
    .description('generate course-shaped sample data (songs, event logs, jsonpaths)')
    .requiredOption('--out <dir>', 'folder to write song_data/, log_data/ and log_json_path.json into')
    .option('--scale <n>', 'size: 1 is about the course sample, 1000 about 8M events', positiveNumber('--scale'), 1)
    .option('--seed <s>', 'random seed (same seed, same files)', wholeNumber('--seed'), 42)
    .action(async (opts: Parameters<typeof import('./commands/sample.js').sampleCommand>[0]) => {
      const { sampleCommand } = await import('./commands/sample.js');
      process.exitCode = await sampleCommand(opts);
    });

  program
    .command('setup')
    .description('guided setup in the terminal (writes $SPARKIFY_HOME/config.json)')
    .action(async () => {
      releaseSignals();
      const { openApp } = await import('./commands/app.js');
      process.exitCode = await openApp({ setup: true });
    });

  return program;
}

function isoDate(flag: string): (value: string) => string {
  return (value) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
      throw new UsageError(`${flag} takes a date as YYYY-MM-DD, not ${value}`, `e.g. ${flag} 2018-11-05`);
    }
    return value;
  };
}

function unknownCommand(program: Command, name: string): UsageError {
  const names = program.createHelp().visibleCommands(program).map((c) => c.name()).filter((n) => n !== 'help');
  const close = names.filter((candidate) => editDistance(name, candidate) <= Math.max(1, Math.floor(candidate.length / 3)));
  return new UsageError(
    `unknown command '${name}'${close.length > 0 ? ` (did you mean ${close.join(' or ')}?)` : ''}`,
    `the commands are ${names.join(', ')}; see \`sparkify --help\``,
  );
}

/** Levenshtein distance, for "did you mean". */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

async function registerExtraCommands(program: Command): Promise<void> {
  // Cluster and serverless commands live in their own module; it registers
  // commands only (no AWS client is imported until one runs).
  const { registerClusterCommands } = await import('./commands/cluster-register.js');
  registerClusterCommands(program);
}

export async function main(argv = process.argv): Promise<void> {
  guardOutput();
  const program = buildProgram();
  await registerExtraCommands(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (!readerGone.aborted) process.exitCode = reportError(error);
  }
  // A signal that came while a command with nothing to cancel ran: it still stops with the signal's code.
  const signalCode = unheardSignal();
  if (signalCode !== undefined) process.exitCode = signalCode;
  // The reader stopped early (`| head`): the work was stopped for it, as a Unix filter's is, and that is success.
  if (readerGone.aborted) process.exitCode = ExitCode.ok;
}

function reportError(error: unknown): number {
  const commanderCode = (error as { code?: string }).code;
  if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) {
    // Commander has printed its message (or the help, or the version). It
    // exits 1 for every usage error; the README promises 2 for those, and 0
    // stays 0 (--help, --version).
    return (error as { exitCode?: number }).exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof SparkifyError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint}\n`);
    return error.exitCode;
  }
  // A file or folder problem no command turned into a SparkifyError: one line
  // naming the path and the reason, as for any other error a person can fix.
  if (isSystemError(error)) {
    process.stderr.write(`error: ${systemErrorMessage(error)}\n`);
    return ExitCode.failure;
  }
  // A bug: the stack is what a report needs.
  process.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.failure;
}

await main();
