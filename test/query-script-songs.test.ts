// The song side of a Redshift script people publish for this project, run
// unchanged through the built CLI on the local engine: CTAS with keys, MINUS,
// INTERSECT and QUALIFY. Expected values come from the raw course song files.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COURSE_DATA, REPO, runCli, tempHome } from './helpers/cli.js';
import { courseSongs, distinct } from './helpers/course-facts.js';

const songs = courseSongs();

describe('sparkify query -f: the artists of the song files', () => {
  it('keeps one row per artist and answers the set-operator checks with the course counts', async () => {
    const env = { SPARKIFY_HOME: tempHome() };
    const run = await runCli(['query', '-f', join(REPO, 'test/fixtures/redshift-scripts/songs-artists.sql'), '--bucket', `udacity-dend=${COURSE_DATA}`, '--format', 'jsonl'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const artists = distinct(songs, (s) => s.artist_id);
    expect(lines.filter((line) => 'command' in line).map((line) => line.command)).toEqual(['DROP TABLE', 'DROP TABLE', 'CREATE TABLE', `COPY ${songs.length}`, `SELECT ${artists}`]);
    const perArtist = new Map<unknown, number>();
    for (const s of songs) perArtist.set(s.artist_id, (perArtist.get(s.artist_id) ?? 0) + 1);
    const decades = new Map<string, number>();
    for (const s of songs) {
      const year = Number(s.year);
      const decade = year === 0 ? 'unknown' : `${Math.trunc(year / 10) * 10}s`;
      decades.set(decade, (decades.get(decade) ?? 0) + 1);
    }
    const years = songs.map((s) => Number(s.year)).filter((y) => y !== 0);
    expect(lines.filter((line) => !('command' in line))).toEqual([
      { missing: 0 },
      { shared: artists },
      { second_songs: [...perArtist.values()].filter((n) => n >= 2).length },
      ...[...decades.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([decade, n]) => ({ decade, songs: n })),
      { latest: Math.max(...years), earliest: Math.min(...years) },
    ]);
  });
});
