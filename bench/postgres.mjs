// PostgreSQL 15 as the baseline an analyst would reach for first: a local
// server in a temporary folder on a loopback port, the events loaded with COPY
// (each NDJSON line into a jsonb column, then cast), the same transform.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = '/usr/lib/postgresql/15/bin';
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/** Installs the Debian package when the binaries are missing. */
export function ensurePostgres() {
  if (existsSync(join(BIN, 'postgres'))) return;
  process.stderr.write('installing postgresql-15 with apt-get\n');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'postgresql-15'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** The server refuses to run as root: run its binaries as the postgres user then. */
function asServerUser(command, args) {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/**
 * Starts a throwaway server. Settings are the usual bulk-load tuning on this
 * machine's memory; fsync stays on, as DuckDB's file is durable too.
 */
export function startPostgres({ port = 54329 } = {}) {
  ensurePostgres();
  const root = mkdtempSync(join(tmpdir(), 'sparkify-bench-pg-'));
  chmodSync(root, 0o777);
  const data = join(root, 'data');
  run(...asServerUser(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']));
  const settings = {
    listen_addresses: "'127.0.0.1'",
    port,
    unix_socket_directories: `'${root}'`,
    shared_buffers: "'2GB'",
    work_mem: "'512MB'",
    maintenance_work_mem: "'1GB'",
    max_wal_size: "'8GB'",
    wal_level: 'minimal',
    max_wal_senders: 0,
    checkpoint_timeout: "'30min'",
    max_parallel_workers_per_gather: 2,
  };
  writeFileSync(join(data, 'postgresql.auto.conf'), Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n');
  run(...asServerUser(join(BIN, 'pg_ctl'), ['-D', data, '-l', join(root, 'server.log'), '-w', 'start']));
  return {
    port,
    root,
    data,
    stop() {
      spawnSync(...asServerUser(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']), { encoding: 'utf8' });
      rmSync(root, { recursive: true, force: true });
    },
    /**
     * CPU seconds the server has used: the postmaster with its ended children
     * (each session's backend) plus the children still running.
     */
    cpuSeconds() {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const ticks = (p, withChildren) => {
        try {
          const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
          // utime, stime, cutime, cstime are fields 14-17 of /proc/PID/stat (11-14 after the name).
          const own = Number(fields[11]) + Number(fields[12]);
          return withChildren ? own + Number(fields[13]) + Number(fields[14]) : own;
        } catch {
          return 0;
        }
      };
      const children = run('pgrep', ['-P', String(pid)]).split('\n').filter(Boolean).map(Number);
      return (ticks(pid, true) + children.reduce((sum, p) => sum + ticks(p, false), 0)) / CLOCK_TICKS;
    },
    /** Summed proportional set size (shared memory counted once) of the server's processes, in KB. */
    memoryKb() {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const pids = [pid, ...run('pgrep', ['-P', String(pid)]).split('\n').filter(Boolean).map(Number)];
      let total = 0;
      for (const p of pids) {
        try {
          const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
          total += match ? Number(match[1]) : 0;
        } catch {
          // The process ended between listing and reading.
        }
      }
      return total;
    },
  };
}

function listJson(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Song files hold one or more JSON values, some over several lines: one per line for COPY. */
function songsAsNdjson(songDir) {
  const lines = [];
  for (const file of listJson(songDir)) {
    const text = readFileSync(file, 'utf8');
    let depth = 0;
    let inString = false;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' && depth++ === 0) start = i;
      else if (c === '}' && --depth === 0) lines.push(JSON.stringify(JSON.parse(text.slice(start, i + 1))));
    }
  }
  return lines.join('\n') + '\n';
}

const literal = (text) => `'${text.replaceAll("'", "''")}'`;
// CSV with quote and delimiter bytes that never occur: each line arrives whole, backslashes untouched.
const WHOLE_LINES = "(FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')";

/** The pipeline as one psql script: staging, COPY, cast, transform in one transaction. */
function pipelineScript(songFile, logFiles) {
  return `
\\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE SCHEMA staging; CREATE SCHEMA analytics;
CREATE UNLOGGED TABLE staging.raw_events (doc jsonb);
CREATE UNLOGGED TABLE staging.raw_songs (doc jsonb);
${logFiles.map((file) => `COPY staging.raw_events (doc) FROM ${literal(file)} WITH ${WHOLE_LINES};`).join('\n')}
COPY staging.raw_songs (doc) FROM ${literal(songFile)} WITH ${WHOLE_LINES};
CREATE UNLOGGED TABLE staging.s_events AS SELECT
  doc->>'artist' AS artist, doc->>'auth' AS auth, doc->>'firstName' AS firstname, doc->>'gender' AS gender,
  (doc->>'itemInSession')::int AS iteminsession, doc->>'lastName' AS lastname, (doc->>'length')::float8 AS length,
  doc->>'level' AS level, doc->>'location' AS location, doc->>'method' AS method, doc->>'page' AS page,
  (doc->>'registration')::float8 AS registration, (doc->>'sessionId')::int AS sessionid, doc->>'song' AS song,
  (doc->>'status')::int AS status, (doc->>'ts')::bigint AS ts, doc->>'userAgent' AS useragent, doc->>'userId' AS userid
FROM staging.raw_events;
CREATE UNLOGGED TABLE staging.s_songs AS SELECT
  (doc->>'num_songs')::int AS num_songs, doc->>'artist_id' AS artist_id, (doc->>'artist_latitude')::float8 AS artist_latitude,
  (doc->>'artist_longitude')::float8 AS artist_longitude, doc->>'artist_location' AS artist_location,
  doc->>'artist_name' AS artist_name, doc->>'song_id' AS song_id, doc->>'title' AS title,
  (doc->>'duration')::float8 AS duration, (doc->>'year')::int AS year
FROM staging.raw_songs;
CREATE TABLE analytics.d_users (user_id int NOT NULL, first_name text, last_name text, gender text, level text);
CREATE TABLE analytics.d_songs (song_id text NOT NULL, title text, artist_id text, year int, duration float8);
CREATE TABLE analytics.d_artists (artist_id text NOT NULL, name text, location text, latitude float8, longitude float8);
CREATE TABLE analytics.d_time (start_time timestamp NOT NULL, hour smallint, day smallint, week smallint, month smallint, year smallint, weekday smallint);
CREATE TABLE analytics.f_songplays (songplay_id bigint GENERATED BY DEFAULT AS IDENTITY (START 0 MINVALUE 0), start_time timestamp NOT NULL,
  user_id int, level text, song_id text, artist_id text, session_id int, location text, user_agent text);
BEGIN;
INSERT INTO analytics.d_users
SELECT user_id, first_name, last_name, gender, level FROM (
  SELECT CAST(userid AS int) AS user_id, firstname AS first_name, lastname AS last_name, gender, level,
         row_number() OVER (PARTITION BY userid ORDER BY ts DESC, sessionid DESC, iteminsession DESC, level DESC, firstname, lastname, gender) AS latest
  FROM staging.s_events WHERE userid <> '') AS ranked
WHERE latest = 1;
INSERT INTO analytics.d_songs
SELECT song_id, title, artist_id, NULLIF(year, 0), duration FROM (
  SELECT *, row_number() OVER (PARTITION BY song_id ORDER BY title, artist_id, duration, year) AS pick
  FROM staging.s_songs WHERE song_id IS NOT NULL) AS ranked
WHERE pick = 1;
INSERT INTO analytics.d_artists
SELECT artist_id, artist_name, NULLIF(artist_location, ''), artist_latitude, artist_longitude FROM (
  SELECT *, row_number() OVER (PARTITION BY artist_id ORDER BY artist_latitude IS NULL, NULLIF(artist_location, '') IS NULL,
         artist_name, artist_location, artist_latitude, artist_longitude) AS pick
  FROM staging.s_songs WHERE artist_id IS NOT NULL) AS ranked
WHERE pick = 1;
INSERT INTO analytics.f_songplays (start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT to_timestamp(e.ts / 1000.0) AT TIME ZONE 'UTC', CAST(NULLIF(e.userid, '') AS int), e.level, m.song_id, m.artist_id,
       e.sessionid, e.location, e.useragent
FROM staging.s_events AS e
LEFT JOIN (
  SELECT title, artist_name, duration, song_id, artist_id FROM (
    SELECT title, artist_name, duration, song_id, artist_id,
           row_number() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id, artist_id) AS pick
    FROM staging.s_songs) AS ranked
  WHERE pick = 1) AS m
  ON e.song = m.title AND e.artist = m.artist_name AND e.length = m.duration
WHERE e.page = 'NextSong';
INSERT INTO analytics.d_time
SELECT start_time, EXTRACT(HOUR FROM start_time), EXTRACT(DAY FROM start_time), EXTRACT(WEEK FROM start_time),
       EXTRACT(MONTH FROM start_time), EXTRACT(YEAR FROM start_time), EXTRACT(DOW FROM start_time)
FROM (SELECT DISTINCT start_time FROM analytics.f_songplays) AS plays;
COMMIT;
SELECT (SELECT count(*) FROM staging.s_events) || ' ' || (SELECT count(*) FROM analytics.f_songplays) || ' ' || (SELECT count(song_id) FROM analytics.f_songplays);
`;
}

/**
 * Runs the whole pipeline once against `server`; returns wall time (ms), the
 * server's peak memory (KB, sampled) and the row counts.
 */
export async function runPostgresPipeline(server, songDir, logDir) {
  // Dropping the previous run's tables is not part of the measured work.
  run('psql', ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-X', '-q', '-c',
    'SET client_min_messages = warning; DROP SCHEMA IF EXISTS staging CASCADE; DROP SCHEMA IF EXISTS analytics CASCADE; CHECKPOINT']);
  const started = performance.now();
  const cpuBefore = server.cpuSeconds();
  const work = mkdtempSync(join(tmpdir(), 'sparkify-bench-pg-run-'));
  chmodSync(work, 0o755);
  try {
    const songFile = join(work, 'songs.ndjson');
    writeFileSync(songFile, songsAsNdjson(songDir), { mode: 0o644 });
    const script = join(work, 'pipeline.sql');
    writeFileSync(script, pipelineScript(songFile, listJson(logDir)));
    let peakKb = 0;
    const sampler = setInterval(() => {
      peakKb = Math.max(peakKb, server.memoryKb());
    }, 200);
    const output = await new Promise((resolve, reject) => {
      const child = spawn('psql', ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-X', '-q', '-t', '-A', '-f', script], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`psql failed (${code}): ${stderr}`))));
    });
    clearInterval(sampler);
    const wallMs = performance.now() - started;
    // The session's backend is counted once the postmaster has reaped it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cpuSeconds = server.cpuSeconds() - cpuBefore;
    const [events, plays, matchedPlays] = output.trim().split(/\s+/).map(Number);
    return { wallMs, cpuSeconds, peakKb, events, plays, matchedPlays };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
