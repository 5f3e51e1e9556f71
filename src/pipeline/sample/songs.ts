// The song catalog: songs written to song_data/ (the ones plays can match) and
// a larger pool of songs that exist only in the event logs, as in the course
// data where most plays have no song file.
import { latin1 } from './byte-arena.js';
import type { PlayedSong } from './events.js';
import { eventString, pythonFloat, songString } from './json-text.js';
import type { Random } from './random.js';
import { BAND_FORMS, FEMALE_NAMES, LAST_NAMES, LOCATIONS, MALE_NAMES, TITLE_FORMS, TITLE_WORDS } from './vocabulary.js';

export interface Artist {
  id: string;
  name: string;
  location: string;
  latitude: number | null;
  longitude: number | null;
}

export interface Song {
  trackId: string;
  songId: string;
  title: string;
  artist: Artist;
  /** Seconds, at most 5 decimals, written identically in song files and logs. */
  duration: number;
  year: number;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789ABCDEF';

function chars(random: Random, alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[random.int(alphabet.length)];
  return out;
}

function fill(form: string, random: Random, words: readonly string[]): string {
  return form.replace('{a}', random.pick(words)).replace('{b}', random.pick(words));
}

export function songTitle(random: Random): string {
  return fill(random.pick(TITLE_FORMS), random, TITLE_WORDS);
}

export function artistName(random: Random): string {
  if (random.chance(0.45)) {
    const first = random.chance(0.5) ? random.pick(FEMALE_NAMES) : random.pick(MALE_NAMES);
    return `${first} ${random.pick(LAST_NAMES)}`;
  }
  return fill(random.pick(BAND_FORMS), random, TITLE_WORDS);
}

/** Seconds with five decimals, never whole: song files print it as Python would. */
function duration(random: Random): number {
  return (random.between(60, 600) * 100_000 + random.between(1, 99_999)) / 100_000;
}

function coordinate(random: Random, min: number, max: number): number {
  return Math.round((min + random.next() * (max - min)) * 100_000) / 100_000;
}

function makeArtist(random: Random, id: string): Artist {
  const placed = random.chance(0.45);
  return {
    id,
    name: artistName(random),
    location: placed || random.chance(0.3) ? random.pick(LOCATIONS) : '',
    latitude: placed ? coordinate(random, 25, 49) : null,
    longitude: placed ? coordinate(random, -124, -67) : null,
  };
}

/**
 * `count` songs with unique track and song ids, by about 0.93 artists per song
 * (some artists have several songs). Track ids start with `TRA` and two letters
 * from the first `dirLetters` of the alphabet: those three letters name the
 * song_data/A/B/C folder.
 */
export function buildCatalog(random: Random, count: number): Song[] {
  const dirLetters = Math.min(26, Math.max(3, Math.ceil(Math.sqrt(count / 8))));
  const trackIds = new Set<string>();
  const songIds = new Set<string>();
  const artists: Artist[] = [];
  const artistIds = new Set<string>();
  const songs: Song[] = [];
  const unique = (seen: Set<string>, make: () => string): string => {
    for (;;) {
      const id = make();
      if (!seen.has(id)) {
        seen.add(id);
        return id;
      }
    }
  };
  for (let i = 0; i < count; i++) {
    const trackId = unique(trackIds, () =>
      `TRA${UPPER[random.int(dirLetters)]}${UPPER[random.int(dirLetters)]}${chars(random, UPPER, 2)}128F${chars(random, HEX, 7)}`,
    );
    let artist: Artist;
    if (artists.length > 0 && random.chance(0.07)) {
      artist = random.pick(artists);
      // The Million Song Dataset sometimes disagrees with itself about an artist.
      if (random.chance(0.3)) artist = { ...artist, location: random.pick(LOCATIONS) };
    } else {
      artist = makeArtist(random, unique(artistIds, () => `AR${chars(random, UPPER_DIGITS, 5)}1187B9${chars(random, HEX, 5)}`));
      artists.push(artist);
    }
    songs.push({
      trackId,
      songId: unique(songIds, () => `SO${chars(random, UPPER, 5)}12A${chars(random, HEX, 8)}`),
      title: songTitle(random),
      artist,
      duration: duration(random),
      year: random.chance(0.5) ? 0 : random.between(1956, 2010),
    });
  }
  return songs;
}

/** Songs that appear only in the logs. */
export function buildUnlistedSongs(random: Random, count: number): PlayedSong[] {
  const artistPool = Array.from({ length: Math.max(1, Math.round(count / 4)) }, () => artistName(random));
  return Array.from({ length: count }, () => playedSong(random.pick(artistPool), songTitle(random), duration(random)));
}

export function playedSong(artist: string, title: string, length: number): PlayedSong {
  return {
    artist: latin1(eventString(artist)),
    title: latin1(eventString(title)),
    length: latin1(pythonFloat(length)),
    seconds: Math.round(length),
  };
}

const SONG_KEYS = [
  'num_songs', 'artist_id', 'artist_latitude', 'artist_longitude', 'artist_location', 'artist_name', 'song_id', 'title',
  'duration', 'year',
] as const;

function songFields(song: Song): Record<(typeof SONG_KEYS)[number], string> {
  return {
    num_songs: '1',
    artist_id: songString(song.artist.id),
    artist_latitude: pythonFloat(song.artist.latitude),
    artist_longitude: pythonFloat(song.artist.longitude),
    artist_location: songString(song.artist.location),
    artist_name: songString(song.artist.name),
    song_id: songString(song.songId),
    title: songString(song.title),
    duration: pythonFloat(song.duration),
    year: String(song.year),
  };
}

/** One object on one line, no trailing newline: most course song files. */
export function songLine(song: Song): string {
  const fields = songFields(song);
  return `{${SONG_KEYS.map((key) => `"${key}": ${fields[key]}`).join(', ')}}`;
}

/** Pretty-printed over 12 lines with a trailing newline; `sortKeys` as in the S3 copy. */
export function songPretty(song: Song, sortKeys = false): string {
  const fields = songFields(song);
  const keys = sortKeys ? [...SONG_KEYS].sort() : SONG_KEYS;
  return `{\n${keys.map((key) => `  "${key}": ${fields[key]}`).join(',\n')}\n}\n`;
}

/** song_data/A/B/C/TRABC....json */
export function songPath(song: Song): string {
  return `${song.trackId[2]}/${song.trackId[3]}/${song.trackId[4]}/${song.trackId}.json`;
}
