// The sample generator: deterministic output, the course files' format quirks,
// sizes that scale, and the built CLI's arguments and output.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVENTS_PER_FILE, generateSample, planLogFiles, sampleSizes, type SampleSummary } from '../src/pipeline/sample/generate.js';
import { COURSE_DATA, runCli } from './helpers/cli.js';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const CLI = join(REPO_ROOT, 'dist', 'cli.js');

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-sample-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

function fingerprint(root: string): Map<string, string> {
  return new Map(listFiles(root).map((path) => [path, createHash('sha256').update(readFileSync(join(root, path))).digest('hex')]));
}

/** Top-level JSON values one after another, as song files must be read. */
function parseJsonStream(text: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) values.push(JSON.parse(text.slice(start, i + 1)));
    else if (depth === 0 && !/\s/.test(c)) throw new Error(`unexpected ${c} at ${i}`);
  }
  if (depth !== 0) throw new Error('unterminated JSON value');
  return values;
}

interface EventRow {
  artist: string | null;
  auth: string;
  firstName: string | null;
  itemInSession: number;
  length: number | null;
  level: string;
  page: string;
  registration: number | null;
  sessionId: number;
  song: string | null;
  status: number;
  ts: number;
  userAgent: string | null;
  userId: string;
}

interface SongRow {
  num_songs: number;
  song_id: string;
  artist_id: string;
  artist_name: string;
  title: string;
  duration: number;
  year: number;
}

function readSample(root: string): { logTexts: Map<string, string>; events: EventRow[]; songTexts: Map<string, string>; songs: SongRow[] } {
  const logTexts = new Map<string, string>();
  const songTexts = new Map<string, string>();
  for (const path of listFiles(join(root, 'log_data'))) logTexts.set(path, readFileSync(join(root, 'log_data', path), 'utf8'));
  for (const path of listFiles(join(root, 'song_data'))) songTexts.set(path, readFileSync(join(root, 'song_data', path), 'utf8'));
  const events = [...logTexts.values()].flatMap((text) => text.split('\n').map((line) => JSON.parse(line) as EventRow));
  const songs = [...songTexts.values()].flatMap((text) => parseJsonStream(text) as SongRow[]);
  return { logTexts, events, songTexts, songs };
}

describe('sample generator', () => {
  let one: string;
  let summary: SampleSummary;
  let sample: ReturnType<typeof readSample>;

  beforeAll(async () => {
    one = join(scratch, 'scale-1');
    summary = await generateSample({ out: one, scale: 1, seed: 42 });
    sample = readSample(one);
  });

  it('writes the course layout and reports what it wrote', () => {
    const files = listFiles(one);
    expect(files).toContain('log_json_path.json');
    const logs = files.filter((f) => f.startsWith('log_data/'));
    const songFiles = files.filter((f) => f.startsWith('song_data/'));
    expect(logs).toHaveLength(30);
    expect(logs[0]).toBe('log_data/2018/11/2018-11-01-events.json');
    expect(logs[29]).toBe('log_data/2018/11/2018-11-30-events.json');
    for (const path of songFiles) {
      const match = /^song_data\/([A-Z])\/([A-Z])\/([A-Z])\/(TR[A-Z0-9]{16})\.json$/.exec(path);
      expect(match, path).not.toBeNull();
      // The folders are the 3rd, 4th and 5th characters of the track id.
      expect(match![4].slice(2, 5)).toBe(`${match![1]}${match![2]}${match![3]}`);
    }
    const bytes = files.reduce((sum, f) => sum + readFileSync(join(one, f)).length, 0);
    expect(summary).toMatchObject({
      files: files.length,
      logFiles: 30,
      songFiles: songFiles.length,
      events: sample.events.length,
      songs: sample.songs.length,
      bytes,
    });
  });

  it('is about the size of the course sample at scale 1', () => {
    expect(sample.events.length).toBeGreaterThan(7_500);
    expect(sample.events.length).toBeLessThan(8_600);
    expect(sample.songTexts.size).toBeGreaterThan(60);
    expect(sample.songTexts.size).toBeLessThan(80);
    const users = new Set(sample.events.map((e) => e.userId).filter(Boolean));
    expect(users.size).toBeGreaterThan(80);
    expect(users.size).toBeLessThan(110);
  });

  it('writes log_json_path.json byte for byte as the course published it', () => {
    const ours = readFileSync(join(one, 'log_json_path.json'));
    expect(ours.equals(readFileSync(join(COURSE_DATA, 'log_json_path.json')))).toBe(true);
    expect((JSON.parse(ours.toString()) as { jsonpaths: string[] }).jsonpaths).toHaveLength(18);
  });

  it('writes log files as strict NDJSON without a final newline, with the Java escapes', () => {
    for (const [path, text] of sample.logTexts) {
      expect(text.endsWith('\n'), path).toBe(false);
      expect(text.includes('\r'), path).toBe(false);
      expect(/^[\x20-\x7e\n]*$/.test(text), `${path} is plain ASCII`).toBe(true);
      const stamps = text.split('\n').map((line) => (JSON.parse(line) as EventRow).ts);
      expect(stamps, `${path} is in ts order`).toEqual([...stamps].sort((a, b) => a - b));
    }
    const all = [...sample.logTexts.values()].join('\n');
    expect(all).toContain('"userAgent":"\\"Mozilla\\/5.0 (');
    expect(all).toMatch(/\\u00[0-9a-f]{2}/);
    expect(all).toMatch(/"registration":1\d{12}\.0,/);
    expect(all).toContain('"registration":null,');
    expect(all).toContain('"userId":""}');
    expect(all.replaceAll('\\/', '')).not.toContain('/');
  });

  it('gives events the course field types and rules', () => {
    const keys = ['artist', 'auth', 'firstName', 'gender', 'itemInSession', 'lastName', 'length', 'level', 'location',
      'method', 'page', 'registration', 'sessionId', 'song', 'status', 'ts', 'userAgent', 'userId'];
    for (const event of sample.events) {
      expect(Object.keys(event)).toEqual(keys);
      expect(typeof event.userId).toBe('string');
      expect(event.ts % 1000).toBe(796);
      expect(event.ts).toBeGreaterThanOrEqual(Date.UTC(2018, 10, 1));
      expect(event.ts).toBeLessThan(Date.UTC(2018, 11, 2));
      if (event.page === 'NextSong') {
        expect(typeof event.artist).toBe('string');
        expect(typeof event.song).toBe('string');
        expect(typeof event.length).toBe('number');
      } else {
        expect([event.artist, event.song, event.length]).toEqual([null, null, null]);
      }
      if (event.userId === '') {
        expect(event.auth).toBe('Logged Out');
        expect([event.firstName, event.registration, event.userAgent]).toEqual([null, null, null]);
      } else {
        expect(event.auth).toBe('Logged In');
        expect(event.userId).toMatch(/^[1-9]\d*$/);
      }
    }
    const pages = new Map<string, number>();
    for (const event of sample.events) pages.set(event.page, (pages.get(event.page) ?? 0) + 1);
    const nextSongShare = (pages.get('NextSong') ?? 0) / sample.events.length;
    expect(nextSongShare).toBeGreaterThan(0.75);
    expect(nextSongShare).toBeLessThan(0.92);
    for (const page of ['Home', 'Login', 'Logout', 'Settings', 'Help', 'About', 'Upgrade', 'Downgrade']) {
      expect(pages.get(page), page).toBeGreaterThan(0);
    }
  });

  it('numbers items within a session from 0 and lets users change level', () => {
    const sessions = new Map<number, number[]>();
    for (const event of sample.events) sessions.set(event.sessionId, [...(sessions.get(event.sessionId) ?? []), event.itemInSession]);
    for (const items of sessions.values()) expect(items.sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
    const levels = new Map<string, Set<string>>();
    for (const event of sample.events.filter((e) => e.userId)) {
      levels.set(event.userId, (levels.get(event.userId) ?? new Set()).add(event.level));
    }
    const changed = [...levels.values()].filter((set) => set.size === 2).length;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(levels.size / 2);
  });

  it('writes song files like the course: one line, a few pretty-printed, one with two objects', () => {
    const texts = [...sample.songTexts.values()];
    const oneLine = texts.filter((t) => !t.includes('\n'));
    const multiLine = texts.filter((t) => t.includes('\n'));
    expect(oneLine.length).toBeGreaterThan(texts.length * 0.8);
    expect(oneLine[0]).toMatch(/^\{"num_songs": 1, "artist_id": "AR[A-Z0-9]{16}", "artist_latitude": /);
    expect(multiLine.length).toBeGreaterThanOrEqual(1);
    const doubles = texts.filter((t) => parseJsonStream(t).length === 2);
    expect(doubles).toHaveLength(1);
    const [first, second] = parseJsonStream(doubles[0]) as SongRow[];
    expect(first.song_id).not.toBe(second.song_id);
    // The second object repeats a song that has its own file.
    expect(sample.songs.filter((s) => s.song_id === second.song_id)).toHaveLength(2);
    const ids = new Set(sample.songs.map((s) => s.song_id));
    expect(ids.size).toBe(sample.songs.length - 1);
    for (const song of sample.songs) {
      expect(song.num_songs).toBe(1);
      expect(song.song_id).toMatch(/^SO[A-Z0-9]{16}$/);
      expect(Number.isInteger(song.duration)).toBe(false);
    }
    expect(sample.songs.some((s) => s.year === 0)).toBe(true);
    expect(sample.songs.some((s) => s.year > 1900)).toBe(true);
  });

  it('matches 30-60% of plays to a song file on title, artist and length', () => {
    const listed = new Set(sample.songs.map((s) => JSON.stringify([s.title, s.artist_name, s.duration])));
    const plays = sample.events.filter((e) => e.page === 'NextSong');
    const matched = plays.filter((e) => listed.has(JSON.stringify([e.song, e.artist, e.length])));
    expect(matched.length / plays.length).toBeGreaterThan(0.3);
    expect(matched.length / plays.length).toBeLessThan(0.6);
    // Popular songs are played more: the top song has several times the median plays.
    const counts = new Map<string, number>();
    for (const play of matched) counts.set(play.song!, (counts.get(play.song!) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect(sorted[0]).toBeGreaterThan(3 * sorted[Math.floor(sorted.length / 2)]);
  });

  it('gives the same bytes for the same seed and different ones for another seed', async () => {
    const again = join(scratch, 'scale-1-again');
    const other = join(scratch, 'scale-1-seed-43');
    await generateSample({ out: again, scale: 1, seed: 42 });
    await generateSample({ out: other, scale: 1, seed: 43 });
    const first = fingerprint(one);
    expect(fingerprint(again)).toEqual(first);
    const otherPrints = fingerprint(other);
    expect(otherPrints.get('log_data/2018/11/2018-11-15-events.json')).not.toBe(first.get('log_data/2018/11/2018-11-15-events.json'));
    expect([...otherPrints.keys()].filter((k) => k.startsWith('song_data/'))).not.toEqual(
      [...first.keys()].filter((k) => k.startsWith('song_data/')),
    );
  });
});

describe('the sample on several threads', () => {
  it('the built CLI makes its log files on worker threads, byte for byte the files made on one thread', async () => {
    const threaded = join(scratch, 'scale-3-cli');
    const single = join(scratch, 'scale-3-here');
    const cli = await runCli(['sample', '--out', threaded, '--scale', '3', '--seed', '7']);
    expect(cli.code).toBe(0);
    await generateSample({ out: single, scale: 3, seed: 7 });
    const prints = fingerprint(threaded);
    expect([...prints.keys()].filter((k) => k.startsWith('log_data/')).length).toBe(planLogFiles(7, sampleSizes(3).events).length);
    expect(prints).toEqual(fingerprint(single));
  });
});

describe('sample sizes', () => {
  it('grows events with the scale and songs and users more slowly', async () => {
    const half = await generateSample({ out: join(scratch, 'scale-0.5'), scale: 0.5, seed: 1 });
    const four = await generateSample({ out: join(scratch, 'scale-4'), scale: 4, seed: 1 });
    expect(four.events / half.events).toBeGreaterThan(7.8);
    expect(four.events / half.events).toBeLessThan(8.2);
    expect(four.songFiles / half.songFiles).toBeGreaterThan(2.5);
    expect(four.songFiles / half.songFiles).toBeLessThan(3.2);
    expect(four.bytes / half.bytes).toBeGreaterThan(7);
  });

  it('plans about 8M events at scale 1000, split so no log file holds more than its cap', () => {
    const sizes = sampleSizes(1000);
    expect(sizes.events).toBe(8_056_000);
    expect(sizes.songFiles).toBeLessThan(5_000);
    const plan = planLogFiles(42, sizes.events);
    expect(plan.reduce((sum, file) => sum + file.events, 0)).toBe(sizes.events);
    expect(Math.max(...plan.map((file) => file.events))).toBeLessThanOrEqual(MAX_EVENTS_PER_FILE);
    expect(plan.length).toBeGreaterThan(200);
    expect(new Set(plan.map((file) => file.path)).size).toBe(plan.length);
    expect(plan[0].path).toBe('2018/11/2018-11-01-part01-events.json');
  });
});

describe('sparkify sample (built CLI)', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, [CLI, 'sample', ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });

  it('prints progress on stderr and a one-line summary on stdout', () => {
    const out = join(scratch, 'cli');
    const result = run(['--out', out, '--scale', '0.2', '--seed', '9']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toMatch(/^\d+ files \(\d+ song, 30 log, 1 jsonpaths\), [\d,]+ events, \d+ songs, [\d.]+ [KM]B in /);
    expect(result.stdout).toContain(out);
    expect(result.stderr).toContain('log files 30/30');
    expect(existsSync(join(out, 'log_data', '2018', '11', '2018-11-30-events.json'))).toBe(true);
  });

  it.each([
    [['--scale', '0.001'], /--scale must be between/],
    [['--scale', '100001'], /--scale must be between/],
    [['--scale', 'lots'], /--scale must be a number, got "lots"/],
    [['--seed', '-3'], /--seed must be 0 or more, got -3/],
  ])('refuses %j with a usage error', (extra, message) => {
    const out = join(scratch, `bad-${extra.join('')}`);
    const result = run(['--out', out, ...extra]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('stops on Ctrl-C with exit code 130 and leaves no files behind', async () => {
    const out = join(scratch, 'interrupted');
    const child = spawn(process.execPath, [CLI, 'sample', '--out', out, '--scale', '40'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    await new Promise<void>((started) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // Interrupt once the first log files are written, well before the end.
        if (/log files [1-9]\d*\/30/.test(stderr)) started();
      });
    });
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    expect(stderr).toContain('error: sample cancelled: no files were left behind');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(scratch).filter((name) => name.startsWith('.interrupted'))).toEqual([]);
  });

  it('refuses a folder that is not empty and leaves it untouched', () => {
    const out = join(scratch, 'not-empty');
    rmSync(out, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', out]);
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const result = run(['--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`error: ${out} is not empty`);
    expect(readdirSync(out)).toEqual(['keep.txt']);
    expect(readdirSync(scratch).filter((name) => name.includes('.partial-'))).toEqual([]);
  });
});
