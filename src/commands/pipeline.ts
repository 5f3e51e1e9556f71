// `sparkify create-tables`, `etl` and `run`: the plan for the scope, run on
// the chosen warehouse, reported as text on stderr. No Ink is loaded.
import { readConfig } from '../pipeline/config.js';
import { openWarehouse, resolveSources, resolveTarget, type SourceFlags, type TargetFlags } from '../pipeline/connect.js';
import { SparkifyError, ExitCode, isSystemError, missingModelHint } from '../pipeline/errors.js';
import { buildPlan, type PlanScope } from '../pipeline/plan.js';
import { createTextReporter } from '../pipeline/report.js';
import { MODEL_TABLES } from '../pipeline/model.js';
import { runPipeline } from '../pipeline/runner.js';
import { withInterrupt } from './interrupt.js';

export interface PipelineFlags extends TargetFlags, SourceFlags {
  skipStaging?: boolean;
  concurrency?: number;
}

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
      for await (const event of runPipeline(warehouse, steps, { signal, concurrency: flags.concurrency })) {
        report(event);
        if (event.type === 'run-finished' && !event.ok) {
          const error = event.error;
          // A fresh warehouse (or `etl --skip-staging` before anything was
          // staged) fails on a missing model table: say what to run first.
          const hint = error?.hint ?? (error ? missingModelHint(error.message, MODEL_TABLES) : undefined);
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
