// The local copy of S3 sources, under $SPARKIFY_HOME/s3-cache: objects/<bucket>/<key>
// is what the local engine's COPY reads, index/<bucket>.jsonl says which ETag
// each file holds, partial/ takes downloads while they run. An object is
// fetched when the cache lacks it or holds another ETag, several at once;
// each goes to a temporary name, is checked (its size, the ETag it came with,
// and its MD5 for a single-part ETag) and only then renamed into place and
// written to the index, so a run stopped by Ctrl-C (or killed) keeps every
// whole file and fetches none of them again, and a body cut short is fetched
// again, never loaded half.
import { createHash, randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { removeAbandoned } from '../abandoned-files.js';
import { sparkifyHome } from '../config.js';
import { CancelledError, DiskError, NetworkError, SparkifyError, isSystemError, systemErrorMessage } from '../errors.js';
import type { S3Access, S3Object } from './client.js';

export interface FetchProgress {
  /** What the listing asked for. */
  uri: string;
  /** Objects to fetch (not already in the cache) and done so far. */
  files: number;
  filesDone: number;
  bytes: number;
  bytesDone: number;
  /** Objects the cache already held with the same ETag. */
  cached: number;
  /** Fetches started again after a failure (a body cut short, a reset). */
  retries: number;
  startedAt: number;
}

export interface FetchOptions {
  /** Requests at once (default 16). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: FetchProgress) => void;
  /** Default $SPARKIFY_HOME/s3-cache. */
  root?: string;
  /** Fetch only these keys of the listing (an increment); the listing still says what to forget. */
  only?: Set<string>;
}

const ATTEMPTS = 5;

export function s3CacheRoot(home = sparkifyHome()): string {
  return join(home, 's3-cache');
}

/** Where a cached object lives: the folder the local engine reads s3://bucket/... from. */
export function cachedBucketFolder(bucket: string, root = s3CacheRoot()): string {
  return join(root, 'objects', bucket);
}

interface IndexEntry {
  etag: string;
  size: number;
}

async function readIndex(path: string): Promise<Map<string, IndexEntry>> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const index = new Map<string, IndexEntry>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const { key, etag, size } = JSON.parse(line) as { key: string; etag: string | null; size: number };
      if (etag === null) index.delete(key);
      else index.set(key, { etag, size });
    } catch {
      // A line cut short by a kill: that file is fetched again.
    }
  }
  return index;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function diskError(error: unknown, path: string): unknown {
  if (!isSystemError(error) || !['ENOSPC', 'EROFS', 'EACCES', 'EDQUOT'].includes(error.code ?? '')) return error;
  return new DiskError(`cannot write the S3 cache: ${systemErrorMessage(error, path)}`, 'free some space or set SPARKIFY_HOME to a place you can write to, then run again (what was fetched is kept)', error);
}

/**
 * Brings the cache up to date with a listing of `s3://bucket/prefix`: fetches
 * the new and changed objects, forgets the cached ones the listing no longer
 * has, and returns what it did.
 */
export async function fetchToCache(s3: S3Access, bucket: string, prefix: string, objects: S3Object[], options: FetchOptions = {}): Promise<FetchProgress> {
  const root = options.root ?? s3CacheRoot();
  const concurrency = Math.max(1, options.concurrency ?? 16);
  // Every request in flight listens to the one signal.
  if (options.signal) setMaxListeners(concurrency * 2 + 10, options.signal);
  const folder = cachedBucketFolder(bucket, root);
  const partial = join(root, 'partial');
  const indexPath = join(root, 'index', `${bucket}.jsonl`);
  await mkdir(partial, { recursive: true, mode: 0o700 });
  await mkdir(dirname(indexPath), { recursive: true, mode: 0o700 });
  await removeAbandoned(partial);
  const index = await readIndex(indexPath);

  const listed = new Set(objects.map((o) => o.key));
  const wanted: S3Object[] = [];
  let cached = 0;
  await Promise.all(
    objects.filter((o) => !options.only || options.only.has(o.key)).map(async (object) => {
      const known = index.get(object.key);
      const onDisk = known && known.etag === object.etag && known.size === object.size && (await stat(join(folder, object.key)).catch(() => undefined))?.size === object.size;
      if (onDisk) cached++;
      else wanted.push(object);
    }),
  );
  wanted.sort((a, b) => (a.key < b.key ? -1 : 1));
  const progress: FetchProgress = { uri: `s3://${bucket}/${prefix}`, files: wanted.length, filesDone: 0, bytes: wanted.reduce((n, o) => n + o.size, 0), bytesDone: 0, cached, retries: 0, startedAt: Date.now() };
  const log = await open(indexPath, 'a', 0o600);
  try {
    for (const [key] of index) {
      if (key.startsWith(prefix) && !listed.has(key)) {
        await rm(join(folder, key), { force: true });
        await log.write(JSON.stringify({ key, etag: null }) + '\n');
        index.delete(key);
      }
    }
    options.onProgress?.(progress);
    let next = 0;
    // The first failure stops the other workers; the files they finished stay.
    let failure: { error: unknown } | undefined;
    const worker = async () => {
      while (next < wanted.length && failure === undefined && !options.signal?.aborted) {
        const object = wanted[next++];
        try {
          await fetchOne(s3, bucket, object, join(folder, object.key), partial, progress, options);
        } catch (error) {
          failure ??= { error };
          return;
        }
        await log.write(JSON.stringify({ key: object.key, etag: object.etag, size: object.size }) + '\n');
        index.set(object.key, { etag: object.etag, size: object.size });
        progress.filesDone++;
        options.onProgress?.(progress);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, wanted.length)) }, worker));
    if (failure !== undefined) throw failure.error;
  } finally {
    await log.close();
  }
  if (options.signal?.aborted) throw new CancelledError('fetching from S3 was cancelled; what was fetched is kept');
  await compactIndex(indexPath, index);
  return progress;
}

/** One object into place, or an error after ATTEMPTS tries; the bytes of a failed try are taken back from the progress. */
async function fetchOne(s3: S3Access, bucket: string, object: S3Object, path: string, partial: string, progress: FetchProgress, options: FetchOptions): Promise<void> {
  const uri = `s3://${bucket}/${object.key}`;
  for (let attempt = 1; ; attempt++) {
    const temporary = join(partial, `${process.pid}-${randomUUID()}.part`);
    let received = 0;
    try {
      const body = await s3.get(bucket, object.key, options.signal);
      if (body.etag && object.etag && body.etag !== object.etag) {
        throw new NetworkError(`${uri} changed on S3 while it was fetched (ETag ${object.etag}, now ${body.etag})`, 'run again: the new listing fetches the new version');
      }
      const hash = createHash('md5');
      const out = createWriteStream(temporary, { mode: 0o600 });
      try {
        for await (const chunk of body.body) {
          hash.update(chunk);
          received += chunk.length;
          progress.bytesDone += chunk.length;
          if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        }
      } finally {
        await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      }
      const md5 = /^"([0-9a-f]{32})"$/.exec(object.etag)?.[1];
      if (received !== object.size || (md5 && hash.digest('hex') !== md5)) {
        throw new NetworkError(`${uri} arrived incomplete (${received} of ${object.size} bytes)`, 'run again: whole files are kept, this one is fetched again');
      }
      await mkdir(dirname(path), { recursive: true, mode: 0o700 }).catch((error: unknown) => {
        throw diskError(error, path);
      });
      await rename(temporary, path).catch((error: unknown) => {
        throw diskError(error, path);
      });
      return;
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      progress.bytesDone -= received;
      const cancelled = options.signal?.aborted || error instanceof CancelledError;
      if (cancelled) throw new CancelledError('fetching from S3 was cancelled; what was fetched is kept');
      const failure = diskError(error, temporary);
      if (failure instanceof SparkifyError && !(failure instanceof NetworkError)) throw failure;
      if (attempt >= ATTEMPTS) {
        throw failure instanceof SparkifyError
          ? failure
          : new NetworkError(`fetching ${uri} failed ${ATTEMPTS} times: ${(failure as Error).message}`, 'check the network and run again: whole files are kept, the rest are fetched', failure);
      }
      progress.retries++;
      await sleep(100 * 2 ** attempt);
    }
  }
}

/** The index rewritten with one line per cached object (it only grows by appending). */
async function compactIndex(path: string, index: Map<string, IndexEntry>): Promise<void> {
  const lines = [...index].map(([key, { etag, size }]) => JSON.stringify({ key, etag, size }) + '\n');
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, lines.join(''), { mode: 0o600 });
  await rename(temporary, path);
}
