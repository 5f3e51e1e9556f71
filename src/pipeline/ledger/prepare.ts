// What a run loads, decided before it starts: the source files against the
// ledger (an incremental run takes the new ones, skips the changed ones with
// their names or, asked to, loads their tables again), the manifests its COPYs read, and the ledger statements its
// refresh commits with the data.
import { STAGING_TABLES, type RunMode } from '../model.js';
import type { PlanOptions, PlanSources } from '../plan.js';
import type { Warehouse } from '../warehouse/types.js';
import { isAbortError } from '../errors.js';
import { ledgerStatements, loadCommitsView, loadedFiles, reloadSelection, selectFiles, type DateRange, type FileSelection, type LoadedFile } from './files.js';
import { fileListPath, writeFileList } from './file-list.js';
import { SKIPPED_NAMED, skippedEntriesWarning } from './run-warnings.js';
import { SourceAccess, removeS3Manifests, type S3SourceOptions } from './source-access.js';

export interface PreparedRun {
  /** Per staging table, for the plan: what loads, what is skipped and why. */
  selections: FileSelection[];
  /** What buildPlan takes from this. */
  plan: Pick<PlanOptions, 'increment' | 'ledger' | 'mode'>;
  /** What the person should know before the run starts (a listing the run went on without, entries skipped). */
  warnings?: string[];
  /** Files written on this machine for the run to read (the ledger's CSV list, local manifests), removed when it ends. */
  scratchFiles: string[];
  /** Manifests put on S3 for the run's COPYs (Redshift), deleted when it ends. */
  s3Manifests: string[];
}

export interface PrepareOptions {
  mode: RunMode;
  runId: string;
  sources: PlanSources;
  dates?: DateRange;
  /** The loads run in this run (not skipped, not resumed past): only then are files recorded. */
  loads: boolean;
  /** Write the manifests and fetch S3 sources into the cache (not for a plan that only shows). */
  writeManifests: boolean;
  /** A table with changed files is loaded again from all its files, and the star schema transformed again. */
  reloadChanged?: boolean;
  /** How s3:// sources are reached. */
  s3?: S3SourceOptions;
  signal?: AbortSignal;
}

const SOURCE_OF: Record<(typeof STAGING_TABLES)[number], keyof PlanSources> = { 'staging.s_songs': 'songData', 'staging.s_events': 'logData' };

/**
 * A warehouse that may still be opening: the sources are listed meanwhile
 * (opening the local engine is mostly loading DuckDB, a few hundred ms that
 * the listing of a big folder can overlap).
 */
export interface WarehouseOpening {
  target: Warehouse['target'];
  opened: Promise<Warehouse>;
}

export async function prepareRun(warehouse: Warehouse | WarehouseOpening, options: PrepareOptions): Promise<PreparedRun> {
  const opening = 'opened' in warehouse ? warehouse : { target: warehouse.target, opened: Promise.resolve(warehouse) };
  const access = new SourceAccess(opening.target, options.s3);
  // A warehouse that cannot open (another process holds the file) is said as soon as it fails, and the
  // listing stops: listing a big folder or an S3 prefix first would keep the person waiting for nothing.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const openFailed = opening.opened.then(
    () => new Promise<never>(() => undefined),
    (error: unknown) => {
      stop.abort(error);
      throw error;
    },
  );
  try {
    const prepared = await Promise.race([prepareWith(access, opening, { ...options, signal }), openFailed]);
    return { ...prepared, s3Manifests: access.s3Manifests };
  } catch (error) {
    // Manifests put before the failure (the songs' before the events' failed) would be left on S3.
    await removeS3Manifests(access.s3Manifests, options.s3);
    throw error;
  } finally {
    await access.close();
  }
}

async function prepareWith(access: SourceAccess, opening: WarehouseOpening, options: PrepareOptions): Promise<Omit<PreparedRun, 's3Manifests'>> {
  const kinds = [options.sources.songData, options.sources.logData].map((root) => access.kind(root));
  // A mapped bucket is read as a folder: without a listing the ledger records what staging holds only. A full run on
  // Redshift lists S3 too (its COPY reads the prefix), so the incremental run after it finds nothing new.
  if (options.mode === 'full' && (kinds.includes('mapped') || !options.loads)) {
    const warehouse = await opening.opened;
    return { selections: [], plan: { mode: 'full', ledger: ledgerStatements(options.runId, [], 'full', STAGING_TABLES, loadCommitsView(warehouse)) }, scratchFiles: [] };
  }
  if (options.mode === 'full' && opening.target === 'redshift' && kinds.includes('s3')) {
    // The cluster's COPY reads S3 with its own role: a listing that these credentials cannot make (no
    // s3:ListBucket, no route to S3) costs the ledger its file list, not the run.
    try {
      return await listAndSelect(access, opening, options);
    } catch (error) {
      if (isAbortError(error)) throw error;
      const warehouse = await opening.opened;
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return {
        selections: [],
        plan: { mode: 'full', ledger: ledgerStatements(options.runId, [], 'full', STAGING_TABLES, loadCommitsView(warehouse)) },
        warnings: [`${reason}; the run goes on, but the ledger records no file list (the next --incremental run loads every file again)`],
        scratchFiles: [],
      };
    }
  }
  return listAndSelect(access, opening, options);
}

async function listAndSelect(access: SourceAccess, opening: WarehouseOpening, options: PrepareOptions): Promise<Omit<PreparedRun, 's3Manifests'>> {
  const selections: FileSelection[] = [];
  const tables = ['staging.s_songs', 'staging.s_events'] as const;
  // The ledger is read by the engine's threads while this one lists and stats the folders.
  const readings = tables.map((table) =>
    options.mode === 'incremental' ? opening.opened.then((warehouse) => loadedFiles(warehouse, table, options.signal)) : Promise.resolve(new Map<string, LoadedFile>()),
  );
  for (const reading of readings) reading.catch(() => undefined);
  // Counted, and the first few kept: a folder of pipes needs no list of them all in memory.
  const skipped = { count: 0, first: [] as string[] };
  const onSkipped = (path: string) => {
    if (skipped.count++ < SKIPPED_NAMED) skipped.first.push(path);
  };
  for (const [i, table] of tables.entries()) {
    const files = await access.list(String(options.sources[SOURCE_OF[table]]), table, options.signal, onSkipped);
    const loaded = await readings[i];
    const selection = selectFiles(table, files, loaded, table === 'staging.s_events' ? options.dates : undefined);
    selections.push(options.reloadChanged && selection.changed.length > 0 ? reloadSelection(selection) : selection);
  }
  const warehouse = await opening.opened;
  if (options.writeManifests && options.loads) await access.fetch(selections, options.sources.logJsonpaths, options.signal);
  const fileList = warehouse.target === 'local' ? { path: fileListPath(options.runId), loadedAt: new Date() } : undefined;
  if (fileList && options.writeManifests) await writeFileList(fileList.path, options.runId, selections, fileList.loadedAt);
  const ledger = ledgerStatements(options.runId, selections, options.mode, STAGING_TABLES, loadCommitsView(warehouse), fileList);
  const scratchFiles = fileList && options.writeManifests ? [fileList.path] : [];
  const warnings = skipped.count > 0 ? [skippedEntriesWarning(skipped.count, skipped.first)] : [];
  if (options.mode === 'full') return { selections, plan: { mode: 'full', ledger }, warnings, scratchFiles };

  const [songs, events] = selections as [FileSelection, FileSelection];
  const manifest = async (name: string, selection: FileSelection) => {
    const location = access.manifestUri(options.runId, name, selection.load);
    if (options.writeManifests) {
      await access.writeManifest(location, selection.load, options.signal);
      if (!location.startsWith('s3://')) scratchFiles.push(location);
    }
    return location;
  };
  const skip: Record<string, string> = {};
  if (songs.load.length === 0) skip['load-new-songs'] = 'no new song files';
  if (events.load.length === 0) skip['load-new-events'] = 'no new event files';
  return {
    selections,
    scratchFiles,
    warnings,
    plan: {
      mode: 'incremental',
      ledger,
      increment: {
        songManifest: await manifest('songs', songs),
        logManifest: await manifest('events', events),
        skip,
        rebuilt: selections.filter((s) => s.reloaded).map((s) => s.table),
      },
    },
  };
}
