// `node bench/many-files.mjs`: `sparkify run` over song folders of many
// one-object files (as the Million Song Dataset ships them), at two file
// counts, to show that peak RSS stays flat as the count grows and to record
// files per second. Uses the built CLI (npm run build first).
//
// Options: --counts N,N (default 10000,100000)  --data DIR (default $TMPDIR/sparkify-many-files)  --keep
//          --cli FILE (default dist/cli.js: a copy lets a long run go on while the source changes)
// Besides peak RSS it prints the peak of the JavaScript heap (bench/heap-peak.mjs), and when it came:
// what is left of the RSS is mostly DuckDB's.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = resolve(import.meta.dirname, '..');
const COURSE_LOGS = resolve(REPO, '../shared/data/sparkify/log_data/2018/11/2018-11-01-events.json');

const { values: flags } = parseArgs({
  options: {
    counts: { type: 'string', default: '10000,100000' },
    data: { type: 'string', default: join(tmpdir(), 'sparkify-many-files') },
    keep: { type: 'boolean', default: false },
    cli: { type: 'string', default: join(REPO, 'dist', 'cli.js') },
  },
});
const CLI = resolve(flags.cli);
const counts = flags.counts.split(',').map(Number);

/** N song files of one object each, 100 to a folder, made once and kept for the next run. */
function songFolder(n) {
  const dir = join(flags.data, `songs-${n}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < n; i++) {
    const sub = join(dir, String(Math.floor(i / 10000)), String(Math.floor(i / 100) % 100));
    if (i % 100 === 0) mkdirSync(sub, { recursive: true });
    const id = `SO${String(i).padStart(16, '0')}`;
    writeFileSync(
      join(sub, `TR${String(i).padStart(16, '0')}.json`),
      JSON.stringify({ num_songs: 1, artist_id: `AR${i % 5000}`, artist_latitude: null, artist_longitude: null, artist_location: '', artist_name: `Artist ${i % 5000}`, song_id: id, title: `Song ${i}`, duration: 200 + (i % 100), year: 2000 }),
    );
  }
  writeFileSync(join(dir, '.complete'), '');
  return dir;
}

function measure(args, env) {
  const rssFile = join(tmpdir(), `sparkify-many-files-rss-${process.pid}`);
  const heapFile = join(tmpdir(), `sparkify-many-files-heap-${process.pid}`);
  const preload = ['--import', pathToFileURL(join(REPO, 'bench', 'heap-peak.mjs')).href];
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, ...preload, CLI, ...args], {
      env: { ...process.env, ...env, SPARKIFY_BENCH_HEAP_OUT: heapFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`sparkify ${args.join(' ')} exited ${code}\n${stderr}`));
      const rssKb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1));
      const heap = JSON.parse(readFileSync(heapFile, 'utf8'));
      rmSync(rssFile, { force: true });
      rmSync(heapFile, { force: true });
      resolvePromise({ wallMs, rssMb: rssKb / 1024, heapMb: heap.heapMb, heapAtS: heap.heapAtS });
    });
  });
}

const logs = mkdtempSync(join(tmpdir(), 'sparkify-many-files-logs-'));
writeFileSync(join(logs, 'events.json'), readFileSync(COURSE_LOGS));
const results = [];
for (const n of counts) {
  const songs = songFolder(n);
  const home = mkdtempSync(join(tmpdir(), 'sparkify-many-files-home-'));
  const { wallMs, rssMb, heapMb, heapAtS } = await measure(['run', '--song-data', songs, '--log-data', logs], { SPARKIFY_HOME: home });
  rmSync(home, { recursive: true, force: true });
  results.push({ n, wallMs, rssMb });
  process.stdout.write(
    `${n.toLocaleString('en-US')} files: ${(wallMs / 1000).toFixed(1)} s, ${Math.round(n / (wallMs / 1000)).toLocaleString('en-US')} files/s, ` +
      `peak RSS ${Math.round(rssMb)} MB, peak JS heap ${Math.round(heapMb)} MB at ${heapAtS.toFixed(0)} s\n`,
  );
}
rmSync(logs, { recursive: true, force: true });
if (!flags.keep) rmSync(flags.data, { recursive: true, force: true });
const [first, last] = [results[0], results.at(-1)];
if (results.length > 1) {
  process.stdout.write(`peak RSS ×${(last.rssMb / first.rssMb).toFixed(2)} for ×${last.n / first.n} the files\n`);
}
