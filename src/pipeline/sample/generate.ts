// Writes a course-shaped sample: song_data/A/B/C/TR....json, log_data/YYYY/MM/
// daily NDJSON files and log_json_path.json. Deterministic: the same scale and
// seed give byte-identical files. Log files are generated and written one at
// a time, so memory stays flat at any scale.
import { mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CancelledError, SparkifyError, UsageError } from '../errors.js';
import { HOUR_WEIGHTS, buildUsers, simulateWindow, type PlayedSong, type SongPicker } from './events.js';
import { LOG_JSONPATHS_FILE } from './json-text.js';
import { Random } from './random.js';
import { buildCatalog, buildUnlistedSongs, playedSong, songLine, songPath, songPretty, type Song } from './songs.js';

export const MIN_SCALE = 0.01;
export const MAX_SCALE = 10_000;

/** Events in one log file at most; a day with more is split into parts. */
export const MAX_EVENTS_PER_FILE = 40_000;
/** Share of NextSong events whose title, artist and length match a song file. */
const LISTED_PLAY_SHARE = 0.45;
/** Share of listed plays logged with a different length (title and artist still match). */
const LENGTH_MISMATCH_SHARE = 0.03;
const MONTH_START = Date.UTC(2018, 10, 1);
const DAYS = 30;
const DAY_MS = 86_400_000;

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

  const catalog = buildCatalog(new Random(seed, 1), sizes.songFiles);
  const songFiles = songFileTexts(new Random(seed, 2), catalog);
  for (const [index, [path, text]] of songFiles.entries()) {
    if (index % 256 === 0) stopIfCancelled(signal);
    const file = join(root, 'song_data', path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    bytes += text.length;
  }
  onProgress?.({ phase: 'songs', filesDone: songFiles.length, filesTotal: songFiles.length, bytes });

  const users = buildUsers(new Random(seed, 3), sizes.users, MONTH_START);
  const songs = songPicker(catalog, buildUnlistedSongs(new Random(seed, 4), sizes.unlistedSongs));
  const parts = planLogFiles(seed, sizes.events);
  let sessionId = 1;
  let events = 0;
  // The next file is generated while the previous one is being written.
  let writing: Promise<void> = Promise.resolve();
  for (const [index, part] of parts.entries()) {
    stopIfCancelled(signal);
    const window = simulateWindow({
      random: new Random(seed, 6, index),
      users,
      songs,
      windowStart: part.start,
      windowEnd: part.end,
      targetEvents: part.events,
      nextSessionId: sessionId,
    });
    sessionId = window.nextSessionId;
    events += window.events;
    await writing;
    onProgress?.({ phase: 'events', filesDone: index, filesTotal: parts.length, bytes });
    const path = join(root, 'log_data', part.path);
    await mkdir(dirname(path), { recursive: true });
    writing = writeFile(path, window.file);
    // Awaited on the next turn; this keeps a failed write from counting as unhandled if a cancel comes first.
    writing.catch(() => undefined);
    bytes += window.file.length;
  }
  await writing;
  onProgress?.({ phase: 'events', filesDone: parts.length, filesTotal: parts.length, bytes });
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

function songPicker(catalog: Song[], unlisted: PlayedSong[]): SongPicker {
  const listed = catalog.map((song) => playedSong(song.artist.name, song.title, song.duration));
  const misheard = catalog.map((song) => playedSong(song.artist.name, song.title, song.duration + 0.5));
  return {
    next(random) {
      if (!random.chance(LISTED_PLAY_SHARE)) return unlisted[random.skewed(unlisted.length, 2)];
      const index = random.skewed(listed.length, 1.6);
      return (random.chance(LENGTH_MISMATCH_SHARE) ? misheard[index] : listed[index]);
    },
  };
}

export interface LogFilePlan {
  path: string;
  start: number;
  end: number;
  events: number;
}

/** Splits the events over the 30 days of November 2018 (weekends quieter) and each day into files. */
export function planLogFiles(seed: number, events: number): LogFilePlan[] {
  const random = new Random(seed, 5);
  const weights = Array.from({ length: DAYS }, (_, day) => {
    const weekday = new Date(MONTH_START + day * DAY_MS).getUTCDay();
    return (0.5 + random.next()) * (weekday === 0 || weekday === 6 ? 0.75 : 1);
  });
  const total = weights.reduce((a, b) => a + b, 0);
  const parts: LogFilePlan[] = [];
  let assigned = 0;
  let weightSoFar = 0;
  for (let day = 0; day < DAYS; day++) {
    weightSoFar += weights[day];
    const dayEvents = Math.max(1, Math.round((events * weightSoFar) / total) - assigned);
    assigned += dayEvents;
    const dayStart = MONTH_START + day * DAY_MS;
    const date = new Date(dayStart).toISOString().slice(0, 10);
    const folder = `${date.slice(0, 4)}/${date.slice(5, 7)}`;
    const split = splitDay(dayEvents);
    split.forEach(({ start, end, events: partEvents }, part) => {
      parts.push({
        path: split.length === 1 ? `${folder}/${date}-events.json` : `${folder}/${date}-part${String(part + 1).padStart(2, '0')}-events.json`,
        start: dayStart + start,
        end: dayStart + end,
        events: partEvents,
      });
    });
  }
  return parts;
}

/**
 * Cuts a day into equal stretches, each with the events its hours are busy
 * for, in as few parts as keep every part within MAX_EVENTS_PER_FILE.
 */
function splitDay(dayEvents: number): { start: number; end: number; events: number }[] {
  for (let count = Math.ceil(dayEvents / MAX_EVENTS_PER_FILE); ; count++) {
    const bounds = Array.from({ length: count + 1 }, (_, part) => Math.floor((part * DAY_MS) / count));
    const shares = bounds.map((ms) => Math.round((dayEvents * busynessUntil(ms)) / DAY_BUSYNESS));
    const parts = bounds.slice(0, count).map((start, part) => ({
      start,
      end: bounds[part + 1],
      events: (shares[part + 1]) - (shares[part]),
    }));
    if (parts.every((part) => part.events <= MAX_EVENTS_PER_FILE)) return parts;
  }
}

const DAY_BUSYNESS = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);

/** Sum of hourly session weights from midnight to `ms` into the day. */
function busynessUntil(ms: number): number {
  const hours = ms / 3_600_000;
  const whole = Math.floor(hours);
  const before = HOUR_WEIGHTS.slice(0, whole).reduce((a, b) => a + b, 0);
  return before + (whole < 24 ? (HOUR_WEIGHTS[whole]) * (hours - whole) : 0);
}
