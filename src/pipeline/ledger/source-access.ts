// Where a run's source files are and how it reaches them: folders on this
// machine (and s3:// buckets the bucket map points at folders) are read as
// they are; other s3:// sources are listed with ListObjectsV2. For the local
// engine the files a run loads are then fetched into the S3 cache its COPY
// reads; for Redshift, an increment's manifests are written to S3
// (redshift.manifestPrefix) where the cluster's COPY reads them.
import { join } from 'node:path';
import { removeAbandoned } from '../abandoned-files.js';
import type { BucketMap } from '../buckets.js';
import { sparkifyHome } from '../config.js';
import { ConfigError } from '../errors.js';
import { manifestLocation, parseS3Location } from '../provision/role.js';
import type { FetchProgress } from '../s3/cache.js';
import type { S3Access } from '../s3/client.js';
import { fetchForLoad, listS3Object, listS3Source, sourceFilesOf, type S3Listing } from '../s3/sources.js';
import { listSourceFiles, manifestText, writeManifest, type FileSelection, type SourceFile } from './files.js';

export interface S3SourceOptions {
  /** s3:// buckets the local engine reads from folders instead. */
  buckets?: BucketMap;
  region?: string;
  profile?: string;
  /** Objects fetched at once into the cache (default 16). */
  concurrency?: number;
  onProgress?: (progress: FetchProgress) => void;
  /** s3://bucket/prefix/ that takes an increment's manifests on Redshift. */
  manifestPrefix?: string;
}

export type SourceKind = 'folder' | 'mapped' | 's3';

/** The manifests of runs on this machine: each run removes its own when it ends. */
const manifestFolder = () => join(sparkifyHome(), 'manifests');

/**
 * A manifest on S3 older than this belongs to a run that was killed before it
 * could delete it (a run deletes its own when it ends, whatever the outcome;
 * no increment's COPY reads its manifest a day after the run wrote it).
 */
export const STALE_MANIFEST_MS = 24 * 60 * 60 * 1000;

/** Deletes the manifests (`*.manifest` right under the prefix) that runs killed long ago left; anything else there is not ours and stays. */
async function removeStaleS3Manifests(s3: S3Access, bucket: string, folder: string, signal?: AbortSignal): Promise<void> {
  const before = Date.now() - STALE_MANIFEST_MS;
  const stale = (await s3.list(bucket, folder, signal))
    .filter((o) => o.key.endsWith('.manifest') && !o.key.slice(folder.length).includes('/') && o.lastModified && o.lastModified.getTime() < before)
    .map((o) => o.key);
  if (stale.length > 0) await s3.remove(bucket, stale, signal);
}

/**
 * Deletes an increment's manifests from S3 once its run is over (they name
 * the run's files, and nothing reads them again); the words of a warning when
 * S3 would not, for the run's outcome stands either way.
 */
export async function removeS3Manifests(uris: readonly string[], options: S3SourceOptions = {}): Promise<string | undefined> {
  if (uris.length === 0) return undefined;
  const byBucket = new Map<string, string[]>();
  for (const uri of uris) {
    const { bucket, prefix: key } = parseS3Location(uri);
    byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), key]);
  }
  let s3: S3Access | undefined;
  try {
    const { openS3 } = await import('../s3/client.js');
    s3 = await openS3({ region: options.region, profile: options.profile });
    for (const [bucket, keys] of byBucket) await s3.remove(bucket, keys);
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `the run's COPY manifests stay on S3 (${uris.join(', ')}): ${reason}`;
  } finally {
    s3?.close();
  }
}

export class SourceAccess {
  private s3?: Promise<S3Access>;
  /** The manifests this access put on S3, for the run to delete when it ends. */
  readonly s3Manifests: string[] = [];
  private readonly listings = new Map<string, S3Listing>();
  private abandonedRemoved?: Promise<void>;
  private staleRemoved?: Promise<void>;

  constructor(
    private readonly target: 'local' | 'redshift',
    private readonly options: S3SourceOptions = {},
  ) {}

  kind(root: string): SourceKind {
    if (!/^s3:\/\//i.test(root)) return 'folder';
    if (this.target === 'local' && this.options.buckets?.[parseS3Location(root).bucket] !== undefined) return 'mapped';
    return 's3';
  }

  private client(): Promise<S3Access> {
    this.s3 ??= import('../s3/client.js').then(({ openS3 }) => openS3({ region: this.options.region, profile: this.options.profile, connections: this.options.concurrency }));
    return this.s3;
  }

  /** A folder's named pipes, sockets and devices are told to `onSkipped` (S3 has none). */
  async list(root: string, table: string, signal?: AbortSignal, onSkipped?: (path: string) => void): Promise<SourceFile[]> {
    if (this.kind(root) !== 's3') return listSourceFiles(root, table, onSkipped, signal);
    const listing = await listS3Source(await this.client(), root, table, signal, this.target === 'local');
    this.listings.set(table, listing);
    return sourceFilesOf(listing);
  }

  /** The local engine: what the selections load (and an s3:// jsonpaths file) into the cache. */
  async fetch(selections: FileSelection[], jsonpaths: string | undefined, signal?: AbortSignal): Promise<void> {
    if (this.target !== 'local') return;
    const fetches = selections.flatMap((s) => {
      const listing = this.listings.get(s.table);
      return listing ? [{ listing, load: s.load }] : [];
    });
    if (jsonpaths && this.kind(jsonpaths) === 's3') {
      const listing = await listS3Object(await this.client(), jsonpaths, 'staging.s_events', signal);
      fetches.push({ listing, load: sourceFilesOf(listing) });
    }
    if (fetches.length === 0) return;
    await fetchForLoad(await this.client(), fetches, { concurrency: this.options.concurrency, signal, onProgress: this.options.onProgress });
  }

  /**
   * Where an increment's manifest goes: S3 for a cluster reading S3 sources,
   * else a file under SPARKIFY_HOME/manifests named after this process, so a
   * later run removes the manifests of one that was killed.
   */
  manifestUri(runId: string, name: string, files: SourceFile[]): string {
    const onS3 = this.target === 'redshift' && files.some((f) => f.uri.startsWith('s3://'));
    if (!onS3) return join(manifestFolder(), `${process.pid}-${runId}-${name}.manifest`);
    const prefix = this.options.manifestPrefix;
    if (!prefix) {
      throw new ConfigError(
        'an incremental run on Redshift writes its COPY manifests to S3, and no manifest prefix is set',
        'set "redshift": {"manifestPrefix": "s3://your-bucket/sparkify/manifests/"} in $SPARKIFY_HOME/config.json (a bucket you can write to, in the source region, that the cluster role can read: `sparkify cluster create --manifest-prefix` grants it)',
      );
    }
    const { bucket, prefix: folder } = manifestLocation(prefix);
    return `s3://${bucket}/${folder}${runId}-${name}.manifest`;
  }

  async writeManifest(location: string, files: SourceFile[], signal?: AbortSignal): Promise<void> {
    if (!location.startsWith('s3://')) {
      this.abandonedRemoved ??= removeAbandoned(manifestFolder());
      await this.abandonedRemoved;
      await writeManifest(location, files);
      return;
    }
    const { bucket, prefix: key } = parseS3Location(location);
    const s3 = await this.client();
    // Housekeeping for runs killed before they could clean up, beside the put (it deletes only day-old
    // manifests, never this run's): a refusal here must not stop this run.
    this.staleRemoved ??= removeStaleS3Manifests(s3, bucket, key.slice(0, key.lastIndexOf('/') + 1), signal).catch(() => undefined);
    await Promise.all([s3.put(bucket, key, manifestText(files), signal), this.staleRemoved]);
    this.s3Manifests.push(location);
  }

  async close(): Promise<void> {
    if (this.s3) (await this.s3.catch(() => undefined))?.close();
  }
}
