// Writes a course-shaped sample: song_data/A/B/C/TR....json, log_data/YYYY/MM/
// daily NDJSON files and log_json_path.json. Deterministic: the same scale and
// seed give byte-identical files. Log files are made and written a few at a
// time, one per core (log-workers.ts), so memory stays flat at any scale.
import { mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CancelledError, SparkifyError, UsageError } from '../errors.js';
import { LOG_JSONPATHS_FILE } from './json-text.js';
import { DAYS, planLogFiles, sampleCatalog } from './log-files.js';
import { writeLogFiles } from './log-workers.js';
import { Random } from './random.js';
import { songLine, songPath, songPretty, type Song } from './songs.js';

export { MAX_EVENTS_PER_FILE, planLogFiles, type LogFilePlan } from './log-files.js';

export const MIN_SCALE = 0.01;
export const MAX_SCALE = 10_000;


export interface SampleSizes {
  events: number;
  songFiles: number;
  unlistedSongs: number;
  users: number;
}

/** Scale 1 is about the course sample; songs and users grow slower than events. */
export function sampleSizes(scale: number): SampleSizes {
  return {
    events: Math.max(DAYS, Math.round(8056 * scale)),
    songFiles: Math.max(3, Math.round(71 * Math.sqrt(scale))),
    unlistedSongs: Math.max(50, Math.round(4000 * Math.sqrt(scale))),
    users: Math.max(3, Math.round(97 * scale ** 0.75)),
  };
}

export interface SampleProgress {
  phase: 'songs' | 'events';
  filesDone: number;
  filesTotal: number;
  bytes: number;
}

export interface SampleSummary {
  out: string;
  files: number;
  songFiles: number;
  logFiles: number;
  songs: number;
  events: number;
  bytes: number;
}

export interface SampleOptions {
  out: string;
  scale: number;
  seed: number;
  signal?: AbortSignal;
  onProgress?: (progress: SampleProgress) => void;
}

export async function generateSample(options: SampleOptions): Promise<SampleSummary> {
  const { scale, seed, signal, onProgress } = options;
  if (!Number.isFinite(scale) || scale < MIN_SCALE || scale > MAX_SCALE) {
    throw new UsageError(`--scale must be between ${MIN_SCALE} and ${MAX_SCALE}, got ${scale}`, 'scale 1 is about the course sample (8,000 events); 1000 is about 8M events');
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new UsageError(`--seed must be a whole number from 0 to 4294967295, got ${seed}`);
  }
  if (!options.out) throw new UsageError('--out needs a folder', 'e.g. --out ./sample');
  const out = resolve(options.out);
  await checkEmptyOrMissing(out);
  await mkdir(dirname(out), { recursive: true });
  // Written beside the target and renamed into place at the end, so an
  // interrupted run leaves no half-written sample. Made with mkdir, not
  // mkdtemp (which makes it private), so the sample gets the usual permissions.
  const work = join(dirname(out), `.${basename(out)}.partial-${process.pid}-${Date.now()}`);
  await mkdir(work);
  try {
    const summary = await writeSample(work, sampleSizes(scale), seed, signal, onProgress);
    await checkEmptyOrMissing(out);
    await rmdir(out).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(work, out);
    return { ...summary, out };
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}

/** Throws the reason the caller gave for cancelling, when it is one of ours. */
function stopIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof SparkifyError ? signal.reason : new CancelledError('sample cancelled');
}

async function checkEmptyOrMissing(out: string): Promise<void> {
  const info = await stat(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!info) return;
  if (!info.isDirectory()) throw new UsageError(`${out} exists and is not a folder`, 'choose a new folder for --out');
  if ((await readdir(out)).length > 0) {
    throw new UsageError(`${out} is not empty`, 'choose a new or empty folder for --out (sample never overwrites files)');
  }
}

async function writeSample(
  root: string,
  sizes: SampleSizes,
  seed: number,
  signal: AbortSignal | undefined,
  onProgress: ((progress: SampleProgress) => void) | undefined,
): Promise<Omit<SampleSummary, 'out'>> {
  await writeFile(join(root, 'log_json_path.json'), LOG_JSONPATHS_FILE);
  let bytes = LOG_JSONPATHS_FILE.length;

  const catalog = sampleCatalog(seed, sizes);
  const songFiles = songFileTexts(new Random(seed, 2), catalog);
  for (const [index, [path, text]] of songFiles.entries()) {
    if (index % 256 === 0) stopIfCancelled(signal);
    const file = join(root, 'song_data', path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    bytes += text.length;
  }
  onProgress?.({ phase: 'songs', filesDone: songFiles.length, filesTotal: songFiles.length, bytes });

  const parts = planLogFiles(seed, sizes.events);
  let events = 0;
  let filesDone = 0;
  await writeLogFiles({ root, seed, sizes, parts }, (written) => {
    events += written.events;
    bytes += written.bytes;
    onProgress?.({ phase: 'events', filesDone: ++filesDone, filesTotal: parts.length, bytes });
  }, signal);
  stopIfCancelled(signal);
  return {
    files: 1 + songFiles.length + parts.length,
    songFiles: songFiles.length,
    logFiles: parts.length,
    songs: catalog.length + 1,
    events,
    bytes,
  };
}

/**
 * One file per song, mostly on one line; about 4% pretty-printed; one file
 * holds two pretty-printed objects, the second repeating another song, as in
 * the S3 copy of the course data.
 */
function songFileTexts(random: Random, catalog: Song[]): [path: string, text: string][] {
  const twoObjects = random.int(catalog.length);
  const repeated = (twoObjects + 1 + random.int(catalog.length - 1)) % catalog.length;
  return catalog
    .map((song, index): [string, string] => {
      if (index === twoObjects) return [songPath(song), songPretty(song, true) + songPretty(catalog[repeated], true)];
      return [songPath(song), random.chance(0.04) ? songPretty(song) : songLine(song)];
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

