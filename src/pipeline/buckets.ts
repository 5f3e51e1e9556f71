// The bucket map: on the local engine, s3://bucket/prefix names a folder on
// this machine, so a script written for Redshift runs unchanged. Set in the
// config (sources.buckets) or with --bucket NAME=DIR.
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

/** Maps a COPY source to a local path: s3:// through the map, file:// and paths as they are. */
export function bucketResolver(buckets: BucketMap): (uri: string) => string {
  return (uri) => {
    const match = S3_URI.exec(uri);
    if (!match) return uri.replace(/^file:\/\//, '');
    const [, bucket, key] = match;
    const folder = buckets[bucket];
    if (folder === undefined) {
      throw new ConfigError(
        `the local warehouse cannot read ${uri}: the bucket ${bucket} is not mapped to a local folder`,
        `map the bucket to the folder that holds its objects with --bucket ${bucket}=/path/to/folder (or "sources": {"buckets": {"${bucket}": "/path/to/folder"}} in $SPARKIFY_HOME/config.json), ` +
          'point the sources at local folders (--song-data / --log-data, or `sparkify setup`), or use the Redshift target for S3 sources',
      );
    }
    return key ? resolve(folder, key) : folder;
  };
}
