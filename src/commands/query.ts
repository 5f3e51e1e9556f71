// `sparkify query "<sql>"` and `sparkify query -f script.sql`: one statement
// or a script of many, each result on stdout. Loads DuckDB or the Data API
// client, never Ink.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { readConfig } from '../pipeline/config.js';
import { checkLocalDatabasePath, openWarehouse, resolveTarget, type TargetFlags } from '../pipeline/connect.js';
import { ConfigError, ExitCode, SparkifyError, SqlError, UsageError, describeSystemError, isSystemError, missingModelHint, engineMessage } from '../pipeline/errors.js';
import { writeResult, type OutputFormat } from '../pipeline/format.js';
import { MODEL_TABLES } from '../pipeline/model.js';
import { runScript, scriptSteps, type ScriptStep } from '../pipeline/script.js';
import { commandTag } from '../pipeline/sql/classify.js';
import type { Warehouse, WarehouseSession } from '../pipeline/warehouse/types.js';
import { withInterrupt } from './interrupt.js';
import { OutputClosed, writeStdout } from './output.js';
import { fileWriter, scriptPrinter, type Write } from './query-output.js';
import { checkOutPath, nativeWriter, writeNatively } from './query-native.js';

export interface QueryFlags extends TargetFlags {
  format?: OutputFormat | 'parquet';
  /** Write the result to this file instead of stdout. */
  out?: string;
  limit?: number;
  /** A script file, or - for standard input. */
  file?: string;
  continueOnError?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readScript(path: string): Promise<string> {
  if (path === '-') return readStdin();
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (!isSystemError(error)) throw error;
    throw new UsageError(`cannot read the script ${path}: ${describeSystemError(error)}`, 'check the path given to -f (or pass - to read the script from standard input)');
  }
}

/** The SQL to run and whether it came as a script file (-f); several statements from anywhere run as a script too. */
async function sqlText(sqlArgument: string | undefined, flags: QueryFlags): Promise<{ text: string; script: boolean }> {
  if (flags.file !== undefined && sqlArgument !== undefined) {
    throw new UsageError('query takes SQL or -f FILE, not both', 'put the statements in the file, or pass them as the argument');
  }
  if (flags.file !== undefined) return { text: await readScript(flags.file), script: true };
  if (sqlArgument === undefined) {
    throw new UsageError('no SQL to run', 'pass a query, e.g. sparkify query "select count(*) from analytics.f_songplays", or a script with -f FILE.sql');
  }
  if (sqlArgument === '-') return { text: await readStdin(), script: false };
  return { text: sqlArgument, script: false };
}

export async function queryCommand(sqlArgument: string | undefined, flags: QueryFlags): Promise<number> {
  const { text, script } = await sqlText(sqlArgument, flags);
  const steps = scriptSteps(text);
  if (steps.length === 0) throw new UsageError('no SQL to run', 'pass a query, e.g. sparkify query "select count(*) from analytics.f_songplays"');
  if (flags.out !== undefined) checkOutPath(flags.out);
  const config = readConfig();
  const format = flags.format ?? 'table';
  const target = resolveTarget(flags, config);
  // A query reads: a warehouse file named but not there is a typo to report,
  // not a file (and folders) to create. The default one in SPARKIFY_HOME is
  // made on first use as before, so `query "select 1"` works anywhere.
  if (target.target === 'local' && (flags.databaseFile !== undefined || config.localDatabase !== undefined)) checkLocalDatabasePath(target.databasePath);
  if (target.target === 'local' && (flags.databaseFile !== undefined || config.localDatabase !== undefined) && !existsSync(target.databasePath)) {
    throw new ConfigError(
      `there is no local warehouse at ${target.databasePath}`,
      'check --database-file (or localDatabase in the config); `sparkify run` or `sparkify create-tables` creates it',
    );
  }
  const warehouse = await openWarehouse(target, { onlyReads: true, searchPath: true });
  try {
    return await withInterrupt(async (signal) => {
      const single = !script && steps.length === 1;
      const copyTo = single && steps[0].statement.kind === 'read' ? nativeWriter(warehouse, format) : undefined;
      let file: ReturnType<typeof fileWriter> | undefined;
      try {
        if (copyTo && (await writeNatively(copyTo, steps[0].sql, { format, out: flags.out, limit: flags.limit, signal }))) return ExitCode.ok;
        if (format === 'parquet') {
          throw new UsageError('parquet is written for a single query on the local engine', 'run one query with --target local, or pick --format csv or json');
        }
        file = flags.out === undefined ? undefined : fileWriter(flags.out);
        const write = file?.write ?? writeStdout;
        if (single) await runOneOn(warehouse, steps[0], flags, format, write, signal);
        else return await runMany(warehouse, steps, flags, format, write, signal);
      } catch (error) {
        // The reader went away (`| head`): like any Unix filter, stop quietly
        // and succeed. writeResult has let go of the result; finally closes
        // the warehouse.
        if (error instanceof OutputClosed) return ExitCode.ok;
        throw error;
      } finally {
        await file?.close();
      }
      return ExitCode.ok;
    });
  } finally {
    await warehouse.close();
  }
}

/** How long the session of one statement on Redshift outlives it should ending it fail (it is ended with the statement). */
const ONE_STATEMENT_KEEP_ALIVE_SECONDS = 60;

/**
 * One statement on the warehouse. On Redshift it runs in a Data API session
 * whose first statement sets the search path, so unqualified names resolve as
 * on the local engine (whose connections hold the path already); the
 * statement itself ends the session, so no call is spent closing it.
 */
async function runOneOn(warehouse: Warehouse, step: ScriptStep, flags: QueryFlags, format: OutputFormat, write: Write, signal: AbortSignal): Promise<void> {
  if (warehouse.target !== 'redshift') return runOne(warehouse, warehouse.label, step, flags, format, write, signal);
  const session = await (warehouse as Warehouse & { openSession(options: { keepAliveSeconds: number }): Promise<WarehouseSession> }).openSession({
    keepAliveSeconds: ONE_STATEMENT_KEEP_ALIVE_SECONDS,
  });
  try {
    session.endAfterNext?.();
    await runOne(session, warehouse.label, step, flags, format, write, signal);
  } finally {
    await session.close();
  }
}

/** One statement given as the argument: a read prints its rows (and the count on stderr), anything else its command tag. */
async function runOne(
  warehouse: Pick<Warehouse, 'execute' | 'query'>,
  label: string,
  step: ScriptStep,
  flags: QueryFlags,
  format: OutputFormat,
  write: Write,
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now();
  try {
    if (step.statement.kind !== 'read') {
      const result = await warehouse.execute(step.sql, { signal });
      await write(format === 'json' || format === 'jsonl' ? `${JSON.stringify({ command: commandTag(step.statement, result.rowsAffected) })}\n` : `${commandTag(step.statement, result.rowsAffected)}\n`);
      return;
    }
    const onWait = (message: string) => process.stderr.write(`${message} to let go of ${label} (Ctrl-C stops)\n`);
    const result = await warehouse.query(step.sql, { signal, pageSize: 2000, onWait });
    const rows = await writeResult(result, { format, limit: flags.limit, write });
    if (format === 'table') process.stderr.write(`${rows} row${rows === 1 ? '' : 's'} in ${seconds(started)} s\n`);
  } catch (error) {
    const hint = error instanceof SqlError && !error.hint ? missingModelHint(engineMessage(error), MODEL_TABLES) : undefined;
    if (hint) throw new SqlError((error as SqlError).message, { sql: (error as SqlError).sql, hint, cause: error });
    throw error;
  }
}

/** A script: each statement in turn; the first failure stops it unless --continue-on-error. */
async function runMany(warehouse: Warehouse, steps: ScriptStep[], flags: QueryFlags, format: OutputFormat, write: Write, signal: AbortSignal): Promise<number> {
  const started = performance.now();
  const printer = scriptPrinter(format, write, flags.limit);
  // On an engine with sessions, SET, search_path and temporary tables carry from one statement to the next, as in psql.
  const session = await (warehouse as Warehouse & { openSession?: () => Promise<WarehouseSession> }).openSession?.();
  const outcomes = await runScript(session ?? warehouse, steps, {
    signal,
    continueOnError: flags.continueOnError,
    pageSize: 2000,
    readRows: (step, result) => printer.rows(step, result),
    onStepFinished: async (outcome) => {
      if (outcome.error) {
        process.stderr.write(`error: ${outcome.error.message}\n${outcome.error.hint ? `  ${outcome.error.hint}\n` : ''}`);
      } else await printer.outcome(outcome);
    },
  }).finally(() => session?.close());
  const failed = outcomes.filter((o) => o.error);
  if (format === 'table') process.stderr.write(`${steps.length} statement${steps.length === 1 ? '' : 's'} in ${seconds(started)} s\n`);
  if (failed.length > 0) {
    throw new SparkifyError(`${failed.length} of ${steps.length} statements failed (the first: statement ${failed[0].step.index}, line ${failed[0].step.line})`, {
      exitCode: failed[0].error!.exitCode,
    });
  }
  return ExitCode.ok;
}

function seconds(started: number): string {
  return ((performance.now() - started) / 1000).toFixed(2);
}
