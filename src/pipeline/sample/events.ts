// Listening events, shaped like the eventsim logs of the course: users in
// sessions that start at realistic hours, mostly NextSong pages, sometimes
// logged out (userId ""), sometimes upgrading or downgrading their level.
// Lines are assembled from pre-encoded pieces in a byte arena.
import { ByteArena, latin1 } from './byte-arena.js';
import { eventString } from './json-text.js';
import type { Random } from './random.js';
import { cumulativeWeights } from './random.js';
import { FEMALE_NAMES, LAST_NAMES, LOCATIONS, MALE_NAMES, USER_AGENTS } from './vocabulary.js';

type Level = 'free' | 'paid';

/** The parts of an event line that depend on who is (or is not) logged in. */
interface Identity {
  afterArtist: Uint8Array;
  afterItem: Uint8Array;
  afterLength: Record<Level, Uint8Array>;
  afterPage: Uint8Array;
  afterTs: Uint8Array;
}

export interface User extends Identity {
  level: Level;
}

/** A song as the event logs quote it, pre-encoded. */
export interface PlayedSong {
  artist: Uint8Array;
  title: Uint8Array;
  length: Uint8Array;
  /** Length in whole seconds, for spacing the next event. */
  seconds: number;
}

export interface SongPicker {
  /** A song for the next NextSong event. */
  next(random: Random): PlayedSong;
}

/** Every eventsim timestamp ends in 796 ms; so do ours. */
const TS_MS = 796;

const OPEN = latin1('{"artist":');
const NULL = latin1('null');
const SONG_KEY = latin1(',"song":');
/** Longest line we can produce, with room to spare: reserved before each event. */
const MAX_LINE_BYTES = 8192;

const LOGGED_OUT: Identity = {
  afterArtist: latin1(',"auth":"Logged Out","firstName":null,"gender":null,"itemInSession":'),
  afterItem: latin1(',"lastName":null,"length":'),
  afterLength: {
    free: latin1(',"level":"free","location":null,"method":'),
    paid: latin1(',"level":"paid","location":null,"method":'),
  },
  afterPage: latin1(',"registration":null,"sessionId":'),
  afterTs: latin1(',"userAgent":null,"userId":""}'),
};

export function buildUsers(random: Random, count: number, before: number): User[] {
  const users: User[] = [];
  for (let i = 0; i < count; i++) {
    const female = random.chance(0.52);
    const firstName = random.pick(female ? FEMALE_NAMES : MALE_NAMES);
    const lastName = random.pick(LAST_NAMES);
    const location = eventString(random.pick(LOCATIONS));
    const userAgent = eventString(random.pick(USER_AGENTS));
    const registration = (Math.floor(before / 1000) - random.between(86_400, 400 * 86_400)) * 1000 + TS_MS;
    // Heavy listeners come first (they are picked most) and are more often paying.
    const level = random.chance(i < count / 5 ? 0.7 : 0.25) ? 'paid' : 'free';
    users.push({
      level,
      afterArtist: latin1(`,"auth":"Logged In","firstName":${eventString(firstName)},"gender":"${female ? 'F' : 'M'}","itemInSession":`),
      afterItem: latin1(`,"lastName":${eventString(lastName)},"length":`),
      afterLength: {
        free: latin1(`,"level":"free","location":${location},"method":`),
        paid: latin1(`,"level":"paid","location":${location},"method":`),
      },
      afterPage: latin1(`,"registration":${registration}.0,"sessionId":`),
      afterTs: latin1(`,"userAgent":${userAgent},"userId":"${i + 1}"}`),
    });
  }
  return users;
}

type PageName =
  | 'NextSong' | 'Home' | 'Login' | 'Logout' | 'Downgrade' | 'Settings' | 'Help' | 'About' | 'Upgrade'
  | 'Save Settings' | 'Error' | 'Submit Upgrade' | 'Submit Downgrade';

interface PagePieces {
  /** `"METHOD","page":"Name"` */
  methodPage: Uint8Array;
  /** `,"status":NNN,"ts":` */
  statusTs: Uint8Array;
}

/** Method and status as eventsim pairs them with each page. */
const PAGES = Object.fromEntries(
  (
    [
      ['NextSong', 'PUT', 200], ['Home', 'GET', 200], ['Login', 'PUT', 307], ['Logout', 'PUT', 307],
      ['Downgrade', 'GET', 200], ['Settings', 'GET', 200], ['Help', 'GET', 200], ['About', 'GET', 200],
      ['Upgrade', 'GET', 200], ['Save Settings', 'PUT', 307], ['Error', 'GET', 404], ['Submit Upgrade', 'PUT', 307],
      ['Submit Downgrade', 'PUT', 307],
    ] as const
  ).map(([page, method, status]) => [
    page,
    { methodPage: latin1(`"${method}","page":"${page}"`), statusTs: latin1(`,"status":${status},"ts":`) },
  ]),
) as Record<PageName, PagePieces>;

/** What a logged-in user does next; weights from the course logs. */
const NEXT_PAGES: PageName[] = ['NextSong', 'Home', 'Logout', 'Settings', 'Help', 'About', 'Upgrade', 'Error'];
const NEXT_PAGE_WEIGHTS = cumulativeWeights([6820, 635, 90, 56, 47, 22, 81, 9]);

/** Relative share of sessions starting in each UTC hour (listeners are mostly in US time zones). */
export const HOUR_WEIGHTS = [9, 8, 7, 5, 4, 3, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 12, 11, 10, 10];
const MAX_HOUR_WEIGHT = Math.max(...HOUR_WEIGHTS);

/** Longest session, in events. */
const MAX_SESSION_EVENTS = 200;

class EventBuffer {
  readonly arena: ByteArena;
  readonly starts: number[] = [];
  readonly stamps: number[] = [];

  constructor(expectedEvents: number) {
    this.arena = new ByteArena(expectedEvents * 520);
  }

  get count(): number {
    return this.starts.length;
  }

  add(
    who: Identity,
    level: Level,
    page: PagePieces,
    song: PlayedSong | null,
    item: number,
    sessionId: number,
    ts: number,
  ): void {
    const arena = this.arena;
    arena.reserve(MAX_LINE_BYTES);
    this.starts.push(arena.length);
    this.stamps.push(ts);
    arena.put(OPEN);
    arena.put(song ? song.artist : NULL);
    arena.put(who.afterArtist);
    arena.putInt(item);
    arena.put(who.afterItem);
    arena.put(song ? song.length : NULL);
    arena.put(who.afterLength[level]);
    arena.put(page.methodPage);
    arena.put(who.afterPage);
    arena.putInt(sessionId);
    arena.put(SONG_KEY);
    arena.put(song ? song.title : NULL);
    arena.put(page.statusTs);
    arena.putInt(ts);
    arena.put(who.afterTs);
  }

  /** The lines ordered by ts (ties keep their order), newline-separated, no newline at the end. */
  toFile(): Buffer {
    const { starts, stamps, arena } = this;
    const count = starts.length;
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => (stamps[a]) - (stamps[b]));
    const file = Buffer.allocUnsafe(Math.max(0, arena.length + count - 1));
    let at = 0;
    for (let k = 0; k < count; k++) {
      const i = order[k];
      const end = i + 1 < count ? (starts[i + 1]) : arena.length;
      const start = starts[i];
      file.set(arena.bytes.subarray(start, end), at);
      at += end - start;
      if (k + 1 < count) file[at++] = 0x0a;
    }
    return file;
  }
}

/**
 * Simulates sessions starting in [windowStart, windowEnd) until about
 * `targetEvents` events exist, and returns them as one log file's bytes.
 * Session ids continue from `nextSessionId`; user levels change in place.
 */
export function simulateWindow(options: {
  random: Random;
  users: User[];
  songs: SongPicker;
  windowStart: number;
  windowEnd: number;
  targetEvents: number;
  nextSessionId: number;
}): { file: Buffer; events: number; nextSessionId: number } {
  const { random, users, songs, windowStart, windowEnd, targetEvents } = options;
  let sessionId = options.nextSessionId;
  const events = new EventBuffer(targetEvents);
  const windowSeconds = Math.max(1, Math.floor((windowEnd - windowStart) / 1000));
  while (events.count < targetEvents) {
    let start: number;
    do start = windowStart + random.int(windowSeconds) * 1000;
    while (!random.chance((HOUR_WEIGHTS[new Date(start).getUTCHours()]) / MAX_HOUR_WEIGHT));
    const user = users[random.skewed(users.length, 2)];
    const maxEvents = Math.min(MAX_SESSION_EVENTS, targetEvents - events.count);
    simulateSession(random, user, songs, sessionId++, start + TS_MS, maxEvents, events);
  }
  return { file: events.toFile(), events: events.count, nextSessionId: sessionId };
}

function simulateSession(
  random: Random,
  user: User,
  songs: SongPicker,
  sessionId: number,
  start: number,
  maxEvents: number,
  events: EventBuffer,
): void {
  const length = Math.min(maxEvents, 1 + Math.floor(-Math.log(1 - random.next()) * 7.5));
  let ts = start;
  let item = 0;
  let loggedIn = !random.chance(0.1);
  const other = (page: PageName): void => {
    events.add(loggedIn ? user : LOGGED_OUT, user.level, PAGES[page], null, item, sessionId, ts);
    item++;
    ts += random.between(1, 40) * 1000;
  };
  const logIn = (): void => {
    if (random.chance(0.6)) other('Home');
    other('Login');
    loggedIn = true;
  };
  if (!loggedIn) logIn();
  while (item < length) {
    let page = NEXT_PAGES[random.weighted(NEXT_PAGE_WEIGHTS)];
    if (page === 'Upgrade' && user.level === 'paid') page = 'Downgrade';
    if (page === 'NextSong') {
      const song = songs.next(random);
      events.add(user, user.level, PAGES.NextSong, song, item, sessionId, ts);
      item++;
      ts += song.seconds * 1000;
      continue;
    }
    other(page);
    if (page === 'Settings' && random.chance(0.2)) other('Save Settings');
    else if (page === 'Upgrade' && random.chance(0.3)) {
      other('Submit Upgrade');
      user.level = 'paid';
    } else if (page === 'Downgrade' && random.chance(0.03)) {
      other('Submit Downgrade');
      user.level = 'free';
    } else if (page === 'Logout') {
      loggedIn = false;
      if (random.chance(0.5)) return;
      logIn();
    }
  }
}
