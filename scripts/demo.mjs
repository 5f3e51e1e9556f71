// The main job in one go, for a first look: sample data, the whole pipeline on
// the embedded warehouse, then a star-schema query. Everything lands in
// ./.sparkify-demo (SPARKIFY_HOME), so it never touches ~/.sparkify.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const cli = resolve(root, 'dist/cli.js');
const home = process.env.SPARKIFY_HOME ?? resolve(root, '.sparkify-demo');
const data = resolve(home, 'sample');
const env = { ...process.env, SPARKIFY_HOME: home };

if (!existsSync(cli)) {
  const built = spawnSync(process.execPath, [resolve(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

/** An argument as a POSIX shell reads it back: single quotes keep newlines and everything else as typed. */
function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function sparkify(...args) {
  process.stderr.write(`\n$ sparkify ${args.map(shellQuote).join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The sample is deterministic: made once, reused by later demos.
if (!existsSync(resolve(data, 'log_json_path.json'))) sparkify('sample', '--out', data, '--seed', '42');
sparkify('run', '--song-data', resolve(data, 'song_data'), '--log-data', resolve(data, 'log_data'), '--log-jsonpaths', resolve(data, 'log_json_path.json'));
sparkify(
  'query',
  `SELECT s.title, a.name AS artist, COUNT(*) AS plays
   FROM analytics.f_songplays f
   JOIN analytics.d_songs s ON f.song_id = s.song_id
   JOIN analytics.d_artists a ON f.artist_id = a.artist_id
   GROUP BY s.title, a.name ORDER BY plays DESC, s.title LIMIT 10`,
);
