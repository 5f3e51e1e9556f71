// The log files of a sample: how the events are spread over the days of
// November 2018 and cut into files, and one file's events. Each file is made
// from the seed and its index alone (its own random stream, session ids from
// its own range, users at their first level), so files can be made in any
// order, on any thread, and come out the same.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HOUR_WEIGHTS, buildUsers, simulateWindow, type PlayedSong, type SongPicker, type User } from './events.js';
import type { SampleSizes } from './generate.js';
import { Random } from './random.js';
import { buildCatalog, buildUnlistedSongs, playedSong, type Song } from './songs.js';

/** Events in one log file at most; a day with more is split into parts. */
export const MAX_EVENTS_PER_FILE = 40_000;
/** Share of NextSong events whose title, artist and length match a song file. */
const LISTED_PLAY_SHARE = 0.45;
/** Share of listed plays logged with a different length (title and artist still match). */
const LENGTH_MISMATCH_SHARE = 0.03;
export const MONTH_START = Date.UTC(2018, 10, 1);
export const DAYS = 30;
const DAY_MS = 86_400_000;

/** The catalog every part of a sample draws on, from its seed. */
export function sampleCatalog(seed: number, sizes: SampleSizes): Song[] {
  return buildCatalog(new Random(seed, 1), sizes.songFiles);
}

/** Makes the log files of one sample, by index. */
export class LogFileMaker {
  private readonly users: User[];
  private readonly songs: SongPicker;

  constructor(private readonly seed: number, sizes: SampleSizes, catalog = sampleCatalog(seed, sizes)) {
    this.users = buildUsers(new Random(seed, 3), sizes.users, MONTH_START);
    this.songs = songPicker(catalog, buildUnlistedSongs(new Random(seed, 4), sizes.unlistedSongs));
  }

  /** The bytes and event count of file `index`; a session holds at least one event, so ids stay within the file's range. */
  make(part: LogFilePlan, index: number): { file: Buffer; events: number } {
    const window = simulateWindow({
      random: new Random(this.seed, 6, index),
      users: this.users.map((user) => ({ ...user })),
      songs: this.songs,
      windowStart: part.start,
      windowEnd: part.end,
      targetEvents: part.events,
      nextSessionId: index * MAX_EVENTS_PER_FILE + 1,
    });
    return { file: window.file, events: window.events };
  }
}

export async function writeLogFile(root: string, part: LogFilePlan, file: Buffer): Promise<void> {
  const path = join(root, 'log_data', part.path);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, file);
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
