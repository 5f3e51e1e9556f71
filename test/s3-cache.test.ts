// The S3 cache of the local engine, through the real S3 client against the
// fake S3 on loopback: several objects at once, each checked before it is put
// in place, faults survived, a stop (Ctrl-C) kept and resumed without
// fetching again what is there, changed objects fetched again.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, NetworkError } from '../src/pipeline/errors.js';
import { cachedBucketFolder, fetchToCache, type FetchProgress } from '../src/pipeline/s3/cache.js';
import { openS3, type S3Access } from '../src/pipeline/s3/client.js';
import { TEST_CREDENTIALS } from './fakes/aws/data-api-harness.js';
import { startS3, type S3Harness } from './fakes/aws/s3-harness.js';

let harness: S3Harness;
let bucketDir: string;
let s3: S3Access;
const OBJECTS = 120;
const keyOf = (i: number) => `song_data/${String.fromCharCode(65 + (i % 3))}/TR${String(i).padStart(4, '0')}.json`;
const contentOf = (i: number) => JSON.stringify({ song_id: `SO${i}`, title: 'x'.repeat(i % 50) }) + '\n';
const saved = { ...process.env };

function freshCache(): string {
  return mkdtempSync(join(tmpdir(), 'sparkify-s3-cache-'));
}

function partialFiles(root: string): string[] {
  return existsSync(join(root, 'partial')) ? readdirSync(join(root, 'partial')) : [];
}

beforeAll(async () => {
  bucketDir = mkdtempSync(join(tmpdir(), 'sparkify-s3-bucket-'));
  for (let i = 0; i < OBJECTS; i++) {
    mkdirSync(join(bucketDir, keyOf(i), '..'), { recursive: true });
    writeFileSync(join(bucketDir, keyOf(i)), contentOf(i));
  }
  harness = await startS3({ buckets: { 'udacity-dend': bucketDir } });
  Object.assign(process.env, harness.env);
  s3 = await openS3({ connections: 8 });
});

afterEach(() => harness.fake.control('/reset', undefined));

afterAll(async () => {
  s3?.close();
  process.env = saved;
  await harness?.close();
  rmSync(bucketDir, { recursive: true, force: true });
});

const gets = () => harness.fake.calls('GetObject').length;

describe('fetchToCache', () => {
  it('fetches every object several at once, and nothing again the second time', async () => {
    const root = freshCache();
    const listing = await s3.list('udacity-dend', 'song_data/');
    expect(listing).toHaveLength(OBJECTS);
    let mostInFlight = 0;
    const seen: FetchProgress[] = [];
    const first = await fetchToCache(s3, 'udacity-dend', 'song_data/', listing, {
      root,
      concurrency: 8,
      onProgress: (p) => {
        seen.push({ ...p });
        mostInFlight = Math.max(mostInFlight, harness.fake.calls('GetObject').length - p.filesDone);
      },
    });
    expect(first).toMatchObject({ files: OBJECTS, filesDone: OBJECTS, cached: 0, retries: 0 });
    expect(first.bytesDone).toBe(first.bytes);
    expect(gets()).toBe(OBJECTS);
    expect(mostInFlight).toBeGreaterThan(1);
    expect(seen.at(-1)!.filesDone).toBe(OBJECTS);
    for (let i = 0; i < OBJECTS; i++) expect(readFileSync(join(cachedBucketFolder('udacity-dend', root), keyOf(i)), 'utf8')).toBe(contentOf(i));
    expect(partialFiles(root)).toEqual([]);

    const second = await fetchToCache(s3, 'udacity-dend', 'song_data/', await s3.list('udacity-dend', 'song_data/'), { root });
    expect(second).toMatchObject({ files: 0, cached: OBJECTS });
    expect(gets()).toBe(OBJECTS);
  });

  it('fetches again a body cut short or a throttled call, and never keeps half a file', async () => {
    const root = freshCache();
    harness.fake.inject({ kind: 'truncate', key: keyOf(7), count: 2 }, { kind: 'slowdown', key: keyOf(9), count: 2 }, { kind: 'reset', key: keyOf(11) });
    const progress = await fetchToCache(s3, 'udacity-dend', 'song_data/', await s3.list('udacity-dend', 'song_data/'), { root, concurrency: 4 });
    expect(progress.retries).toBeGreaterThanOrEqual(2);
    expect(harness.fake.calls('GetObject').filter((c) => c.key === keyOf(7)).map((c) => c.fault)).toEqual(['truncate', 'truncate', undefined]);
    for (const i of [7, 9, 11]) expect(readFileSync(join(cachedBucketFolder('udacity-dend', root), keyOf(i)), 'utf8')).toBe(contentOf(i));
    expect(partialFiles(root)).toEqual([]);
  });

  it('gives up on an object that keeps arriving cut short: it is not in the cache, the whole ones are', async () => {
    const root = freshCache();
    harness.fake.inject({ kind: 'truncate', key: keyOf(3), count: 99 });
    const error = await fetchToCache(s3, 'udacity-dend', 'song_data/', await s3.list('udacity-dend', 'song_data/'), { root, concurrency: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toContain(`s3://udacity-dend/${keyOf(3)}`);
    expect(existsSync(join(cachedBucketFolder('udacity-dend', root), keyOf(3)))).toBe(false);
    expect(partialFiles(root)).toEqual([]);
    const kept = readFileSync(join(root, 'index', 'udacity-dend.jsonl'), 'utf8').trim().split('\n').length;
    expect(kept).toBeGreaterThan(0);

    harness.fake.control('/reset', undefined);
    const resumed = await fetchToCache(s3, 'udacity-dend', 'song_data/', await s3.list('udacity-dend', 'song_data/'), { root });
    expect(resumed.cached).toBe(kept);
    expect(gets()).toBe(OBJECTS - kept);
    expect(readFileSync(join(cachedBucketFolder('udacity-dend', root), keyOf(3)), 'utf8')).toBe(contentOf(3));
  });

  it('stops on abort keeping what it fetched, and the next fetch takes only the rest', async () => {
    const root = freshCache();
    const controller = new AbortController();
    const error = await fetchToCache(s3, 'udacity-dend', 'song_data/', await s3.list('udacity-dend', 'song_data/'), {
      root,
      concurrency: 4,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.filesDone >= 30) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(partialFiles(root)).toEqual([]);
    const before = gets();
    const resumed = await fetchToCache(s3, 'udacity-dend', 'song_data/', await s3.list('udacity-dend', 'song_data/'), { root });
    expect(resumed.cached).toBeGreaterThanOrEqual(30);
    expect(resumed.cached + resumed.files).toBe(OBJECTS);
    expect(gets() - before).toBe(resumed.files);
  });

  it('fetches a changed object again by its ETag, forgets a deleted one, and fetches only the keys asked for', async () => {
    const root = freshCache();
    await fetchToCache(s3, 'udacity-dend', 'song_data/', await s3.list('udacity-dend', 'song_data/'), { root });
    const changed = join(bucketDir, keyOf(5));
    writeFileSync(changed, '{"song_id":"changed"}\n');
    const gone = join(bucketDir, keyOf(6));
    rmSync(gone);
    try {
      const listing = await s3.list('udacity-dend', 'song_data/');
      expect(listing.find((o) => o.key === keyOf(5))!.etag).toBe(`"${createHash('md5').update('{"song_id":"changed"}\n').digest('hex')}"`);
      const before = gets();
      const again = await fetchToCache(s3, 'udacity-dend', 'song_data/', listing, { root, only: new Set([keyOf(5), keyOf(8)]) });
      expect(again).toMatchObject({ files: 1, cached: 1 });
      expect(harness.fake.calls('GetObject').slice(before).map((c) => c.key)).toEqual([keyOf(5)]);
      expect(readFileSync(join(cachedBucketFolder('udacity-dend', root), keyOf(5)), 'utf8')).toBe('{"song_id":"changed"}\n');
      expect(existsSync(join(cachedBucketFolder('udacity-dend', root), keyOf(6)))).toBe(false);
    } finally {
      writeFileSync(changed, contentOf(5));
      writeFileSync(gone, contentOf(6));
    }
  });
});

describe('credentials', () => {
  it('signs with the standard chain when it has credentials, and goes unsigned when it has none', async () => {
    const signed = await openS3();
    await signed.list('udacity-dend', 'song_data/A/');
    expect(harness.fake.seen.at(-1)).toMatchObject({ op: 'ListObjectsV2', signed: true });
    expect(signed.anonymous).toBe(false);
    signed.close();

    const home = freshCache();
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete process.env[key];
    Object.assign(process.env, { AWS_CONFIG_FILE: join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'), AWS_EC2_METADATA_DISABLED: 'true' });
    try {
      const anonymous = await openS3();
      expect(await anonymous.list('udacity-dend', 'song_data/A/')).toHaveLength(OBJECTS / 3);
      expect(anonymous.anonymous).toBe(true);
      expect(harness.fake.seen.at(-1)).toMatchObject({ op: 'ListObjectsV2', signed: false });
      anonymous.close();
    } finally {
      Object.assign(process.env, TEST_CREDENTIALS);
    }
  });
});
