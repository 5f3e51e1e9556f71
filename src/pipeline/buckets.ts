// The bucket map: on the local engine, s3://bucket/prefix names a folder on
// this machine, so a script written for Redshift runs unchanged. Set in the
// config (sources.buckets) or with --bucket NAME=DIR. A bucket not in the map
// is read from the S3 cache, where a run fetches its sources (src/pipeline/s3).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, UsageError } from './errors.js';

export type BucketMap = Record<string, string>;

const S3_URI = /^s3:\/\/([^/]+)\/?(.*)$/i;

/** Parses repeated `--bucket NAME=DIR` flags; relative folders are taken from the current one. */
export function parseBucketFlags(values: string[] | undefined): BucketMap {
  const map: BucketMap = {};
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    const name = at > 0 ? value.slice(0, at).trim().replace(/^s3:\/\//i, '').replace(/\/$/, '') : '';
    const dir = at > 0 ? value.slice(at + 1).trim() : '';
    if (!name || !dir || name.includes('/')) {
      throw new UsageError(`--bucket ${value} is not NAME=DIR`, 'map a bucket to a local folder, e.g. --bucket udacity-dend=./data');
    }
    map[name] = resolve(dir);
  }
  return map;
}

/** Flags over config, folder by bucket name. */
export function mergeBuckets(fromConfig: BucketMap | undefined, fromFlags: BucketMap): BucketMap {
  const merged: BucketMap = {};
  for (const [name, dir] of Object.entries(fromConfig ?? {})) merged[name] = resolve(dir);
  return { ...merged, ...fromFlags };
}

/**
 * Maps a COPY source to a local path: s3:// through the map, else to the
 * bucket's folder in the S3 cache (`cachedFolder`) once a run has fetched
 * from it; file:// and paths as they are.
 */
export function bucketResolver(buckets: BucketMap, cachedFolder?: (bucket: string) => string): (uri: string) => string {
  return (uri) => {
    const match = S3_URI.exec(uri);
    if (!match) return uri.replace(/^file:\/\//, '');
    const [, bucket, key] = match;
    const cached = cachedFolder?.(bucket);
    const folder = buckets[bucket] ?? (cached && existsSync(cached) ? cached : undefined);
    if (folder === undefined) {
      throw new ConfigError(
        `the local warehouse cannot read ${uri}: the bucket ${bucket} is not mapped to a local folder, and nothing was fetched from it`,
        `\`sparkify run\` with the S3 source fetches it into the cache first; or map the bucket to the folder that holds its objects with --bucket ${bucket}=/path/to/folder (or "sources": {"buckets": {"${bucket}": "/path/to/folder"}} in $SPARKIFY_HOME/config.json)`,
      );
    }
    return key ? resolve(folder, key) : folder;
  };
}
