// Fetching many small S3 objects into the local engine's cache: the cache's
// bounded concurrency against one request at a time, measured in one run.
// The fake S3 (`npm run fake-aws`) runs in a process of its own, each answer
// held BENCH_S3_LATENCY_MS (default 10 ms: S3's time to first byte for a small
// GET is tens of ms), so the client and the server do not share one core.
// The one-at-a-time baseline fetches a sample (BENCH_S3_SAMPLE, default 1,000
// objects) into its own cache; the concurrent run fetches all of them
// (BENCH_S3_OBJECTS, default 15,000). Rates are compared, objects per second.
//
//   npm run build && node bench/s3-fetch.mjs
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { importBundle } from './bundle.mjs';

const OBJECTS = Number(process.env.BENCH_S3_OBJECTS ?? 15_000);
const SAMPLE = Number(process.env.BENCH_S3_SAMPLE ?? 1_000);
const LATENCY_MS = Number(process.env.BENCH_S3_LATENCY_MS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_S3_CONCURRENCY ?? 16);
const TARGET = 5;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID = 'AKIDSPARKIFYBENCH';
process.env.AWS_SECRET_ACCESS_KEY = 'sparkify-bench-secret';
delete process.env.AWS_PROFILE;

const { openS3, fetchToCache } = await importBundle(
  's3-fetch',
  `
    export { openS3 } from './src/pipeline/s3/client.ts';
    export { fetchToCache } from './src/pipeline/s3/cache.ts';
  `,
);

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-bench-s3-'));
const bucket = join(scratch, 'bucket');
// Song-file shaped objects, ~250 bytes each, spread over folders as song_data is.
for (let i = 0; i < OBJECTS; i++) {
  const id = String(i).padStart(6, '0');
  const dir = join(bucket, 'song_data', id[3], id[4]);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `TR${id}.json`),
    JSON.stringify({ num_songs: 1, artist_id: `AR${id}`, artist_latitude: null, artist_longitude: null, artist_location: '', artist_name: `Artist ${id}`, song_id: `SO${id}`, title: `Song ${id}`, duration: 200.5, year: 0 }),
  );
}

const server = spawn(process.execPath, ['scripts/fake-aws.mjs', '--bucket', `bench=${bucket}`, '--s3-latency-ms', String(LATENCY_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  server.once('exit', (code) => reject(new Error(`fake-aws exited (${code})`)));
  createInterface({ input: server.stdout }).on('line', (line) => {
    const match = /^listening (\S+)/.exec(line);
    if (match) resolve(match[1]);
  });
});
process.env.AWS_ENDPOINT_URL_S3 = url;

async function timed(label, concurrency, objects) {
  const s3 = await openS3({ connections: concurrency });
  const root = join(scratch, `cache-${label}`);
  const started = performance.now();
  const progress = await fetchToCache(s3, 'bench', 'song_data/', objects, { root, concurrency });
  const seconds = (performance.now() - started) / 1000;
  s3.close();
  if (progress.filesDone !== objects.length) throw new Error(`${label}: fetched ${progress.filesDone} of ${objects.length}`);
  return { label, concurrency, objects: objects.length, seconds, rate: objects.length / seconds, bytes: progress.bytes };
}

try {
  const lister = await openS3();
  const listStarted = performance.now();
  const listing = await lister.list('bench', 'song_data/');
  const listSeconds = (performance.now() - listStarted) / 1000;
  lister.close();
  if (listing.length !== OBJECTS) throw new Error(`listed ${listing.length} of ${OBJECTS}`);
  const sample = listing.filter((_, i) => i % Math.ceil(OBJECTS / SAMPLE) === 0).slice(0, SAMPLE);

  const serial = await timed('serial', 1, sample);
  const concurrent = await timed('concurrent', CONCURRENCY, listing);
  const ratio = concurrent.rate / serial.rate;
  console.log(`fake S3 in its own process, ${LATENCY_MS} ms per answer; listing ${OBJECTS.toLocaleString('en-US')} objects took ${listSeconds.toFixed(2)} s`);
  console.log('| run | requests at once | objects | time | objects/s |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const run of [serial, concurrent]) {
    console.log(`| ${run.label} | ${run.concurrency} | ${run.objects.toLocaleString('en-US')} | ${run.seconds.toFixed(2)} s | ${Math.round(run.rate).toLocaleString('en-US')} |`);
  }
  console.log(`rate ratio (concurrent / one at a time): ${ratio.toFixed(1)}× (target ≥ ${TARGET}×: ${ratio >= TARGET ? 'met' : 'NOT met'})`);
} finally {
  server.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
}
