// `sparkify create-tables`, `etl` and `run`: the plan for the scope, run on
// the chosen warehouse, reported as text on stderr. No Ink is loaded.
import { readConfig } from '../pipeline/config.js';
import { openWarehouse, resolveSources, resolveTarget, type SourceFlags, type TargetFlags } from '../pipeline/connect.js';
import { SparkifyError, ExitCode, UsageError, isSystemError, missingModelHint, engineMessage } from '../pipeline/errors.js';
import { finishedSteps, listRuns, type RunSummary } from '../pipeline/ledger/history.js';
import { buildPlan, type PlanScope } from '../pipeline/plan.js';
import { createTextReporter } from '../pipeline/report.js';
import { MODEL_TABLES, STEPS } from '../pipeline/model.js';
import { runPipeline } from '../pipeline/runner.js';
import { ensureLedger } from '../pipeline/ledger/schema.js';
import { newRunRecord, recordRun, type RunMode } from '../pipeline/ledger/recorder.js';
import { withInterrupt } from './interrupt.js';

export interface PipelineFlags extends TargetFlags, SourceFlags {
  skipStaging?: boolean;
  concurrency?: number;
  /** Start at this step (resume). */
  from?: string;
}

const MODES: Record<PlanScope, RunMode> = { 'create-tables': 'create-tables', etl: 'etl', run: 'full' };

async function runScope(scope: PlanScope, flags: PipelineFlags): Promise<number> {
  const config = readConfig();
  const target = resolveTarget(flags, config);
  const sources = resolveSources(flags, config);
  const steps = await buildPlan({
    scope,
    skipStaging: flags.skipStaging,
    sources: sources.songData && sources.logData ? { ...sources, songData: sources.songData, logData: sources.logData } : undefined,
  });
  const warehouse = await openWarehouse(target);
  const report = createTextReporter((line) => process.stderr.write(line + '\n'));
  try {
    return await withInterrupt(async (signal) => {
      let exitCode: number = ExitCode.ok;
      await ensureLedger(warehouse, signal);
      const events = runPipeline(warehouse, steps, { signal, concurrency: flags.concurrency, fromStep: flags.from });
      for await (const event of recordRun(warehouse, events, newRunRecord(MODES[scope], flags.from))) {
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
      return exitCode;
    });
  } catch (error) {
    if (error instanceof SparkifyError || isSystemError(error)) throw error;
    throw new SparkifyError((error as Error).message, { cause: error });
  } finally {
    await warehouse.close();
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
  const scope = (Object.keys(MODES) as PlanScope[]).find((s) => MODES[s] === last.mode) ?? 'run';
  // A run that died (killed, power cut) never said where it failed: resume at its first step not finished.
  const steps = STEPS.filter((s) => s.scopes.includes(scope)).map((s) => s.id);
  const resumeAt = last.failedStep ?? steps.find((id, i) => finished.has(id) === false && (last.fromStep === undefined || i >= steps.indexOf(last.fromStep)));
  const from = resumeAt === steps[0] ? undefined : resumeAt;
  process.stderr.write(`retrying run ${last.runId.slice(0, 8)} (${last.mode}, ${last.outcome})${from ? ` from ${from}` : ''}\n`);
  return runScope(scope, { ...flags, from });
}
