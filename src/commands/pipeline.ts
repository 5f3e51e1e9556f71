// `sparkify create-tables`, `etl` and `run`: the plan for the scope, run on
// the chosen warehouse, reported as text on stderr. No Ink is loaded.
import { readConfig } from '../pipeline/config.js';
import { openWarehouse, resolveSources, resolveTarget, s3SourceOptions, type SourceFlags, type TargetFlags } from '../pipeline/connect.js';
import { SparkifyError, ExitCode, UsageError, isSystemError, missingModelHint, engineMessage } from '../pipeline/errors.js';
import { finishedSteps, listRuns, stepDurations, type RunSummary } from '../pipeline/ledger/history.js';
import { buildPlan, type PlanScope } from '../pipeline/plan.js';
import { createTextReporter } from '../pipeline/report.js';
import { MODEL_TABLES, stepsFor, type RunMode } from '../pipeline/model.js';
import { planRun, runRecorded } from '../pipeline/ledger/run.js';
import type { RecordedMode } from '../pipeline/ledger/recorder.js';
import { describePlan } from '../pipeline/ledger/plan-text.js';
import { runWarnings } from '../pipeline/ledger/run-warnings.js';
import { createFetchReporter } from './fetch-progress.js';
import { withInterrupt } from './interrupt.js';

export interface PipelineFlags extends TargetFlags, SourceFlags {
  skipStaging?: boolean;
  concurrency?: number;
  /** S3 objects fetched at once into the cache. */
  fetchConcurrency?: number;
  /** Start at this step (resume). */
  from?: string;
  /** Load only the files the ledger has not seen, and merge them. */
  incremental?: boolean;
  /** Show what the run would do, and do nothing. */
  plan?: boolean;
  since?: string;
  until?: string;
  /** With --incremental: load tables with changed files again. */
  reloadChanged?: boolean;
}

const RECORDED: Record<PlanScope, RecordedMode> = { 'create-tables': 'create-tables', etl: 'etl', run: 'full' };

async function runScope(scope: PlanScope, flags: PipelineFlags): Promise<number> {
  const config = readConfig();
  const target = resolveTarget(flags, config);
  const resolved = resolveSources(flags, config);
  const sources = resolved.songData && resolved.logData ? { ...resolved, songData: resolved.songData, logData: resolved.logData } : undefined;
  const mode: RunMode = flags.incremental ? 'incremental' : 'full';
  if ((flags.since || flags.until) && !flags.incremental && !flags.plan) {
    throw new UsageError('--since and --until pick event files for an incremental run', 'add --incremental (or --plan to see what they pick)');
  }
  if (flags.reloadChanged && !flags.incremental) {
    throw new UsageError('--reload-changed reloads changed files in an incremental run', 'add --incremental (a full run reloads every file anyway)');
  }
  // Checks the flags and sources before the warehouse opens.
  await buildPlan({ scope, mode, skipStaging: flags.skipStaging, sources });
  // The sources are listed while the warehouse opens.
  const opening = openWarehouse(target);
  opening.catch(() => undefined);
  const report = createTextReporter((line) => process.stderr.write(line + '\n'));
  const fetching = createFetchReporter();
  const s3 = { ...s3SourceOptions(target, config, sources, flags.profile), concurrency: flags.fetchConcurrency, onProgress: fetching.onProgress };
  try {
    return await withInterrupt(async (signal) => {
      let exitCode: number = ExitCode.ok;
      const planned = await planRun({ target: target.target, opened: opening }, { scope, mode, sources, skipStaging: flags.skipStaging, fromStep: flags.from, dates: { since: flags.since, until: flags.until }, reloadChanged: flags.reloadChanged, dryRun: flags.plan, s3, signal }).finally(() => fetching.end());
      const warehouse = await opening;
      if (flags.plan) {
        // The plan itself names the changed and gone files; what only preparing it found is said here.
        for (const warning of planned.warnings) process.stderr.write(`warning: ${warning}\n`);
        const history = warehouse.target === 'redshift' ? await stepDurations(warehouse, 10, signal) : {};
        for (const line of describePlan(planned.steps, planned.selections, history)) process.stdout.write(line + '\n');
        return ExitCode.ok;
      }
      for (const warning of runWarnings(planned)) process.stderr.write(`warning: ${warning}\n`);
      // The run needs the steps and the record, not the file lists: over a million files they are
      // hundreds of MB that would otherwise be held, and multiplied by the heap's growth, to the end.
      planned.selections = [];
      const started = new Date();
      const onWarning = (warning: string) => process.stderr.write(`warning: ${warning}\n`);
      for await (const event of runRecorded(warehouse, planned, { signal, concurrency: flags.concurrency, fromStep: flags.from, onWarning })) {
        report(event);
        if (event.type === 'run-finished' && !event.ok) {
          const error = event.error;
          // A fresh warehouse (or `etl --skip-staging` before anything was
          // staged) fails on a missing model table: say what to run first.
          const hint = error?.hint ?? (error ? missingModelHint(engineMessage(error), MODEL_TABLES) : undefined);
          if (hint) process.stderr.write(`  ${hint}\n`);
          exitCode = event.cancelled ? ExitCode.cancelled : (error?.exitCode ?? ExitCode.failure);
        }
      }
      if (target.target === 'redshift' && target.workgroupName && !signal.aborted) {
        const { serverlessRunLine } = await import('../pipeline/provision/serverless-usage.js');
        process.stderr.write(`${await serverlessRunLine(warehouse, started, config.prices, signal)}\n`);
      }
      return exitCode;
    });
  } catch (error) {
    if (error instanceof SparkifyError || isSystemError(error)) throw error;
    throw new SparkifyError((error as Error).message, { cause: error });
  } finally {
    report.close();
    await (await opening.catch(() => undefined))?.close();
  }
}

export const createTablesCommand = (flags: PipelineFlags) => runScope('create-tables', flags);
export const etlCommand = (flags: PipelineFlags) => runScope('etl', flags);
export const runCommand = (flags: PipelineFlags) => runScope('run', flags);

/** `sparkify retry`: the last run that did not succeed, again from the step it failed at. */
export async function retryCommand(flags: PipelineFlags): Promise<number> {
  const target = resolveTarget(flags, readConfig());
  const warehouse = await openWarehouse(target);
  let last: RunSummary | undefined;
  let finished = new Set<string>();
  try {
    [last] = await listRuns(warehouse, 1);
    if (last && !last.failedStep) finished = await finishedSteps(warehouse, last.runId);
  } finally {
    await warehouse.close();
  }
  if (!last) throw new UsageError('no runs in this warehouse yet, so nothing to retry', 'run the pipeline with `sparkify run`');
  if (last.outcome === 'succeeded') throw new UsageError(`the last run (${last.runId.slice(0, 8)}) succeeded: there is nothing to retry`, '`sparkify run` runs the pipeline again');
  const scope = (Object.keys(RECORDED) as PlanScope[]).find((s) => RECORDED[s] === last.mode) ?? 'run';
  const reloadChanged = last.mode === 'reload-changed';
  const mode: RunMode = last.mode === 'incremental' || reloadChanged ? 'incremental' : 'full';
  // A run that died (killed, power cut) never said where it failed: resume at its first step not finished.
  const steps = stepsFor(scope, mode, reloadChanged).map((s) => s.id);
  const resumeAt = last.failedStep ?? steps.find((id, i) => finished.has(id) === false && (last.fromStep === undefined || i >= steps.indexOf(last.fromStep)));
  const from = resumeAt === steps[0] ? undefined : resumeAt;
  process.stderr.write(`retrying run ${last.runId.slice(0, 8)} (${last.mode}, ${last.outcome})${from ? ` from ${from}` : ''}\n`);
  return runScope(scope, { ...flags, from, incremental: mode === 'incremental', reloadChanged });
}
