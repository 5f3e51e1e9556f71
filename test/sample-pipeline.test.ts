// Generated sample data through the built CLI: `sparkify sample`, then
// `sparkify run` on the local warehouse, then the star schema read back with
// `sparkify query` and compared with what the generated files say.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const CLI = join(REPO_ROOT, 'dist', 'cli.js');

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-sample-run-'));
const home = join(scratch, 'home');
const data = join(scratch, 'data');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function sparkify(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SPARKIFY_HOME: home, FORCE_COLOR: '0' },
  });
  return result;
}

function queryCsv(sql: string): string[][] {
  const result = sparkify(['query', '--format', 'csv', sql]);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim().split('\n').slice(1).map((line) => line.split(','));
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

interface Event {
  page: string;
  userId: string;
  level: string;
  ts: number;
  sessionId: number;
  itemInSession: number;
  song: string | null;
  artist: string | null;
  length: number | null;
}

describe('sparkify run on generated data', () => {
  let events: Event[];
  let songKeys: Set<string>;
  let songIds: Set<string>;

  beforeAll(() => {
    const generated = sparkify(['sample', '--out', data, '--scale', '0.5', '--seed', '2018']);
    expect(generated.status, generated.stderr).toBe(0);
    events = files(join(data, 'log_data')).flatMap((file) =>
      readFileSync(file, 'utf8').split('\n').map((line) => JSON.parse(line) as Event),
    );
    songKeys = new Set();
    songIds = new Set();
    for (const file of files(join(data, 'song_data'))) {
      // Song files hold one or two objects; each starts on a line of its own.
      for (const text of readFileSync(file, 'utf8').split(/\n(?=\{)/)) {
        const song = JSON.parse(text) as { song_id: string; title: string; artist_name: string; duration: number };
        songKeys.add(JSON.stringify([song.title, song.artist_name, song.duration]));
        songIds.add(song.song_id);
      }
    }
    const run = sparkify([
      'run',
      '--song-data', join(data, 'song_data'),
      '--log-data', join(data, 'log_data'),
      '--log-jsonpaths', join(data, 'log_json_path.json'),
    ]);
    expect(run.status, run.stderr).toBe(0);
  });

  it('loads every event and song object into staging', () => {
    const [[staged, stagedSongs]] = queryCsv('select (select count(*) from staging.s_events), (select count(*) from staging.s_songs)') as [string[]];
    expect(Number(staged)).toBe(events.length);
    expect(Number(stagedSongs)).toBe(songIds.size + 1);
  });

  it('makes one play per NextSong event and matches the share the files say', () => {
    const plays = events.filter((e) => e.page === 'NextSong');
    const matched = plays.filter((e) => songKeys.has(JSON.stringify([e.song, e.artist, e.length])));
    expect(matched.length / plays.length).toBeGreaterThan(0.3);
    const [[total, withSong, withArtist]] = queryCsv(
      'select count(*), count(song_id), count(artist_id) from analytics.f_songplays',
    ) as [string[]];
    expect(Number(total)).toBe(plays.length);
    expect(Number(withSong)).toBe(matched.length);
    expect(Number(withArtist)).toBe(matched.length);
  });

  it('joins matched plays to the song and artist dimensions', () => {
    const [[joined]] = queryCsv(
      `select count(*) from analytics.f_songplays f
       join analytics.d_songs s on s.song_id = f.song_id
       join analytics.d_artists a on a.artist_id = f.artist_id
       where s.artist_id = f.artist_id`,
    ) as [string[]];
    const [[withSong]] = queryCsv('select count(song_id) from analytics.f_songplays') as [string[]];
    expect(Number(joined)).toBe(Number(withSong));
    const [[songs]] = queryCsv('select count(*) from analytics.d_songs') as [string[]];
    expect(Number(songs)).toBe(songIds.size);
  });

  it("keeps each user's level from their latest event", () => {
    const latest = new Map<string, Event>();
    for (const event of events) {
      if (!event.userId) continue;
      const seen = latest.get(event.userId);
      const later = !seen || event.ts > seen.ts || (event.ts === seen.ts && (event.sessionId > seen.sessionId ||
        (event.sessionId === seen.sessionId && event.itemInSession > seen.itemInSession)));
      if (later) latest.set(event.userId, event);
    }
    const rows = queryCsv('select user_id, level from analytics.d_users order by user_id');
    expect(rows).toHaveLength(latest.size);
    for (const [userId, level] of rows) expect(level, `user ${userId}`).toBe(latest.get(userId)!.level);
    const changed = new Set(events.filter((e) => e.userId && e.level !== latest.get(e.userId)!.level).map((e) => e.userId));
    expect(changed.size).toBeGreaterThan(0);
  });
});
