// Sources on S3 for a run: a prefix listed as the ledger's files (the s3://
// URI, the size, the ETag), and for the local engine the files a run loads
// fetched into the cache its COPY reads them from.
import { LoadError } from '../errors.js';
import type { SourceFile } from '../ledger/files.js';
import { parseS3Location } from '../provision/role.js';
import { fetchToCache, type FetchProgress } from './cache.js';
import type { S3Access, S3Object } from './client.js';

export interface S3Listing {
  bucket: string;
  prefix: string;
  objects: S3Object[];
}

/**
 * Every object under an s3:// source, as Redshift's COPY reads a key prefix;
 * none at all is the COPY's own load error. `asFolder` reads it as the local
 * engine reads the cached copy: a prefix that names a folder (keys under
 * `prefix/`) means the keys under it only, not `song_data_old/...` beside it.
 */
export async function listS3Source(s3: S3Access, uri: string, table: string, signal?: AbortSignal, asFolder = false): Promise<S3Listing> {
  const location = parseS3Location(uri);
  const { bucket } = location;
  let { prefix } = location;
  let objects = await s3.list(bucket, prefix, signal);
  if (asFolder && prefix && !prefix.endsWith('/') && objects.some((o) => o.key.startsWith(`${prefix}/`))) {
    prefix = `${prefix}/`;
    objects = objects.filter((o) => o.key.startsWith(prefix));
  }
  if (objects.length === 0) {
    throw new LoadError(table, `COPY into ${table}: no objects under ${uri}`, [], { hint: 'check the source prefix (--song-data / --log-data, or the config), then run again' });
  }
  return { bucket, prefix, objects };
}

export function sourceFilesOf(listing: S3Listing): SourceFile[] {
  return listing.objects.map((o) => ({ uri: `s3://${listing.bucket}/${o.key}`, size: o.size, tag: o.etag }));
}

export interface CacheFetch {
  listing: S3Listing;
  /** The files of the listing this run loads. */
  load: SourceFile[];
}

/** Fetches what each listing's run loads into the cache (the rest stays as cached), one listing after the other. */
export async function fetchForLoad(
  s3: S3Access,
  fetches: CacheFetch[],
  options: { concurrency?: number; signal?: AbortSignal; onProgress?: (progress: FetchProgress) => void } = {},
): Promise<FetchProgress[]> {
  const done: FetchProgress[] = [];
  for (const { listing, load } of fetches) {
    const only = new Set(load.map((f) => f.uri.slice(`s3://${listing.bucket}/`.length)));
    done.push(await fetchToCache(s3, listing.bucket, listing.prefix, listing.objects, { ...options, only }));
  }
  return done;
}

/** A single object (a jsonpaths file) as a listing of itself. */
export async function listS3Object(s3: S3Access, uri: string, table: string, signal?: AbortSignal): Promise<S3Listing> {
  const { bucket, prefix: key } = parseS3Location(uri);
  const objects = (await s3.list(bucket, key, signal)).filter((o) => o.key === key);
  if (objects.length === 0) {
    throw new LoadError(table, `COPY into ${table}: the jsonpaths file ${uri} is not on S3`, [], { hint: 'check --log-jsonpaths (or the config), then run again' });
  }
  return { bucket, prefix: key, objects };
}
