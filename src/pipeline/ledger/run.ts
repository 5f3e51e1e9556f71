// A run with the ledger: the ledger made or upgraded, the files chosen
// against it, the plan built with the ledger's statements in the refresh, and
// the run's events recorded. The plain commands and the app both start runs here.
import { rm } from 'node:fs/promises';
import type { PipelineEvent, PlannedStep } from '../events.js';
import type { PlanScope, RunMode } from '../model.js';
import { buildPlan, type PlanSources } from '../plan.js';
import { runPipeline, type RunOptions } from '../runner.js';
import type { Warehouse } from '../warehouse/types.js';
import type { DateRange, FileSelection } from './files.js';
import { prepareRun, type WarehouseOpening } from './prepare.js';
import { newRunRecord, recordRun, type RecordedMode, type RunRecord } from './recorder.js';
import { ensureLedger } from './schema.js';
import { removeS3Manifests, type S3SourceOptions } from './source-access.js';

export interface PlannedRun {
  record: RunRecord;
  steps: PlannedStep[];
  selections: FileSelection[];
  /** What the person should know before the run starts. */
  warnings: string[];
  /** Files written for the run to read (the ledger's list, local manifests), removed when it ends. */
  scratchFiles: string[];
  /** Manifests put on S3 for the run's COPYs, deleted when it ends (with the credentials that put them). */
  s3Manifests: string[];
  s3?: S3SourceOptions;
}

export interface PlanRunOptions {
  scope: PlanScope;
  mode: RunMode;
  sources?: PlanSources;
  skipStaging?: boolean;
  fromStep?: string;
  dates?: DateRange;
  /** Load a table with changed files again from all its files. */
  reloadChanged?: boolean;
  /** Only show the plan: no manifests are written, nothing is fetched. */
  dryRun?: boolean;
  /** How s3:// sources are reached (bucket map, region, fetch progress, manifest prefix). */
  s3?: S3SourceOptions;
  signal?: AbortSignal;
}

const RECORDED: Record<PlanScope, RecordedMode> = { 'create-tables': 'create-tables', etl: 'etl', run: 'full' };

/** The run planned on a warehouse, or on one still opening: its sources are listed meanwhile. */
export async function planRun(warehouse: Warehouse | WarehouseOpening, options: PlanRunOptions): Promise<PlannedRun> {
  const opening = 'opened' in warehouse ? warehouse : { target: warehouse.target, opened: Promise.resolve(warehouse) };
  const ready = opening.opened.then(async (opened) => {
    // A full run's plan reads nothing of the ledger: only showing it leaves the warehouse as it is.
    if (!(options.dryRun && options.mode === 'full')) await ensureLedger(opened, options.signal);
    return opened;
  });
  ready.catch(() => undefined);
  const record = newRunRecord(options.scope === 'run' ? options.mode : RECORDED[options.scope], options.fromStep);
  const from = options.fromStep;
  const loads = options.scope !== 'create-tables' && !options.skipStaging && (!from || from.startsWith('create-') || from.startsWith('keep-') || from.startsWith('load-'));
  const prepared =
    options.scope === 'create-tables' || !options.sources
      ? undefined
      : await prepareRun({ target: opening.target, opened: ready }, { mode: options.mode, runId: record.runId, sources: options.sources, dates: options.dates, reloadChanged: options.reloadChanged, loads, writeManifests: !options.dryRun, s3: options.s3, signal: options.signal });
  let steps: PlannedStep[];
  try {
    await ready;
    steps = await buildPlan({ scope: options.scope, mode: options.mode, skipStaging: options.skipStaging, sources: options.sources, ...prepared?.plan });
  } catch (error) {
    if (prepared) await Promise.all([removeScratchFiles(prepared.scratchFiles), removeS3Manifests(prepared.s3Manifests, options.s3)]);
    throw error;
  }
  if (prepared?.plan.increment?.rebuilt?.length) record.mode = 'reload-changed';
  return {
    record,
    steps,
    selections: prepared?.selections ?? [],
    warnings: prepared?.warnings ?? [],
    scratchFiles: prepared?.scratchFiles ?? [],
    s3Manifests: prepared?.s3Manifests ?? [],
    s3: options.s3,
  };
}

const removeScratchFiles = (paths: string[]) => Promise.all(paths.map((path) => rm(path, { force: true })));

export interface RecordedRunOptions extends RunOptions {
  /** Told what went wrong after the run, which does not change its outcome (manifests S3 would not delete). */
  onWarning?: (warning: string) => void;
}

/** The run, recorded; whatever its outcome (succeeded, failed, cancelled), the files made for it are removed after. */
export async function* runRecorded(warehouse: Warehouse, planned: PlannedRun, options: RecordedRunOptions = {}): AsyncGenerator<PipelineEvent> {
  try {
    yield* recordRun(warehouse, runPipeline(warehouse, planned.steps, options), planned.record);
  } finally {
    const [, warning] = await Promise.all([removeScratchFiles(planned.scratchFiles), removeS3Manifests(planned.s3Manifests, planned.s3)]);
    if (warning) options.onWarning?.(warning);
  }
}
