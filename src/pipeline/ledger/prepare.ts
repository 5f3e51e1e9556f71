// What a run loads, decided before it starts: the source files against the
// ledger (an incremental run takes the new ones, skips the changed ones with
// their names), the manifests its COPYs read, and the ledger statements its
// refresh commits with the data.
import { join } from 'node:path';
import { sparkifyHome } from '../config.js';
import { STAGING_TABLES, type RunMode } from '../model.js';
import type { PlanOptions, PlanSources } from '../plan.js';
import type { Warehouse } from '../warehouse/types.js';
import { ledgerStatements, listSourceFiles, loadedFiles, selectFiles, writeManifest, type DateRange, type FileSelection } from './files.js';

export interface PreparedRun {
  /** Per staging table, for the plan: what loads, what is skipped and why. */
  selections: FileSelection[];
  /** What buildPlan takes from this. */
  plan: Pick<PlanOptions, 'increment' | 'ledger' | 'mode'>;
}

export interface PrepareOptions {
  mode: RunMode;
  runId: string;
  sources: PlanSources;
  dates?: DateRange;
  /** The loads run in this run (not skipped, not resumed past): only then are files recorded. */
  loads: boolean;
  /** Write the manifests (not for a plan that only shows). */
  writeManifests: boolean;
  signal?: AbortSignal;
}

const SOURCE_OF: Record<(typeof STAGING_TABLES)[number], keyof PlanSources> = { 'staging.s_songs': 'songData', 'staging.s_events': 'logData' };

export async function prepareRun(warehouse: Warehouse, options: PrepareOptions): Promise<PreparedRun> {
  const local = !options.sources.songData.startsWith('s3://') && !options.sources.logData.startsWith('s3://');
  if (options.mode === 'full' && (!local || !options.loads)) {
    // Files on S3 are listed by Redshift's COPY itself; without a listing the ledger records what staging holds only.
    return { selections: [], plan: { mode: 'full', ledger: ledgerStatements(options.runId, [], 'full', STAGING_TABLES) } };
  }
  const selections: FileSelection[] = [];
  for (const table of ['staging.s_songs', 'staging.s_events'] as const) {
    const files = await listSourceFiles(String(options.sources[SOURCE_OF[table]]), table);
    const loaded = options.mode === 'incremental' ? await loadedFiles(warehouse, table, options.signal) : new Map();
    selections.push(selectFiles(table, files, loaded, table === 'staging.s_events' ? options.dates : undefined));
  }
  const ledger = ledgerStatements(options.runId, selections, options.mode, STAGING_TABLES);
  if (options.mode === 'full') return { selections, plan: { mode: 'full', ledger } };

  const [songs, events] = selections as [FileSelection, FileSelection];
  const folder = join(sparkifyHome(), 'manifests');
  const manifest = (name: string, selection: FileSelection) =>
    options.writeManifests ? writeManifest(folder, `${options.runId}-${name}.manifest`, selection.load) : Promise.resolve(join(folder, `${options.runId}-${name}.manifest`));
  const skip: Record<string, string> = {};
  if (songs.load.length === 0) skip['load-new-songs'] = 'no new song files';
  if (events.load.length === 0) skip['load-new-events'] = 'no new event files';
  return {
    selections,
    plan: { mode: 'incremental', ledger, increment: { songManifest: await manifest('songs', songs), logManifest: await manifest('events', events), skip } },
  };
}
