// Turns flags and config into a warehouse to talk to. Engines load lazily:
// DuckDB only for the local target, the Data API client only for Redshift.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { bucketResolver, mergeBuckets, parseBucketFlags, type BucketMap } from './buckets.js';
import { ConfigError, SqlError, describeSystemError, isSystemError } from './errors.js';
import { absolutePath, jsonpathsSetting, defaultLocalDatabase, keepPrivate, sparkifyHome, type SparkifyConfig, type SourceSettings } from './config.js';
import { DEFAULT_SEARCH_PATH, parseSearchPath } from './search-path.js';
import type { Warehouse } from './warehouse/types.js';
import { cachedBucketFolder } from './s3/cache.js';
import type { PlanSources } from './plan.js';
import type { RedshiftConnectionSettings } from './warehouse/redshift-scope.js';
import type { S3SourceOptions } from './ledger/source-access.js';

export type ResolvedTarget =
  | { target: 'local'; databasePath: string; buckets?: BucketMap; searchPath?: string[]; tempDirectory?: string }
  | ({ target: 'redshift'; searchPath?: string[] } & RedshiftConnectionSettings);

/** Flags every warehouse command takes (see src/cli.ts). */
export interface TargetFlags {
  target?: 'local' | 'redshift';
  databaseFile?: string;
  clusterId?: string;
  workgroup?: string;
  database?: string;
  dbUser?: string;
  secretArn?: string;
  region?: string;
  profile?: string;
  /** `--bucket NAME=DIR`, repeated: local folders for s3:// sources. */
  bucket?: string[];
}

export interface SourceFlags {
  songData?: string;
  logData?: string;
  logJsonpaths?: string;
  iamRole?: string;
  sourceRegion?: string;
}

const REDSHIFT_FLAGS: (keyof TargetFlags)[] = ['clusterId', 'workgroup', 'dbUser', 'secretArn'];

/** Flags win over the config; naming a cluster or workgroup implies --target redshift. */
export function resolveTarget(flags: TargetFlags, config: SparkifyConfig, home = sparkifyHome()): ResolvedTarget {
  const impliesRedshift = REDSHIFT_FLAGS.some((k) => flags[k] !== undefined);
  const target = flags.target ?? (impliesRedshift ? 'redshift' : config.target);
  if (target === 'local') {
    return {
      target: 'local',
      databasePath: flags.databaseFile ?? config.localDatabase ?? defaultLocalDatabase(home),
      buckets: mergeBuckets(config.sources.buckets, parseBucketFlags(flags.bucket)),
      searchPath: config.searchPath === undefined ? undefined : parseSearchPath(config.searchPath),
      tempDirectory: join(home, 'tmp'),
    };
  }
  const saved = config.redshift;
  const fromFlags = flags.clusterId !== undefined || flags.workgroup !== undefined;
  return {
    target: 'redshift',
    region: flags.region ?? saved.region ?? config.cluster?.region,
    profile: flags.profile ?? saved.profile,
    clusterIdentifier: flags.clusterId ?? (fromFlags ? undefined : saved.clusterIdentifier),
    workgroupName: flags.workgroup ?? (fromFlags ? undefined : saved.workgroupName),
    database: flags.database ?? saved.database ?? 'dev',
    dbUser: flags.dbUser ?? saved.dbUser,
    secretArn: flags.secretArn ?? saved.secretArn,
    searchPath: config.searchPath === undefined ? undefined : parseSearchPath(config.searchPath),
  };
}

/**
 * Sources from flags over config; a jsonpaths file beside the log folder is
 * used when none is named. A relative path in a flag is made absolute here
 * (as the config's are against its folder), so the ledger names a file the
 * same whichever folder a run starts in.
 */
export function resolveSources(flags: SourceFlags, config: SparkifyConfig): Partial<PlanSources> {
  const saved: SourceSettings = config.sources;
  const logData = absolutePath(flags.logData) ?? saved.logData;
  return {
    songData: absolutePath(flags.songData) ?? saved.songData,
    logData,
    logJsonpaths: jsonpathsSetting(flags.logJsonpaths) ?? (flags.logData ? undefined : saved.logJsonpaths) ?? jsonpathsBeside(logData),
    iamRole: flags.iamRole ?? config.redshift.iamRole ?? config.cluster?.roleArn,
    sourceRegion: flags.sourceRegion ?? saved.sourceRegion,
  };
}

/** How a run reaches s3:// sources: the bucket map (local engine), the source region, the profile, the manifest prefix. */
export function s3SourceOptions(target: ResolvedTarget, config: SparkifyConfig, sources: Partial<PlanSources> | undefined, profile?: string): S3SourceOptions {
  return {
    buckets: target.target === 'local' ? target.buckets : undefined,
    region: sources?.sourceRegion,
    profile: profile ?? config.redshift.profile,
    manifestPrefix: config.redshift.manifestPrefix,
  };
}

/** The course layout keeps log_json_path.json next to the log_data folder. */
function jsonpathsBeside(logData: string | undefined): string | undefined {
  if (!logData || /^s3:\/\//i.test(logData)) return undefined;
  const candidate = join(dirname(resolve(logData)), 'log_json_path.json');
  return existsSync(candidate) ? candidate : undefined;
}

/** Extensions a DuckDB file goes by; a path without one is taken as a DuckDB file too. */
const DUCKDB_EXTENSIONS = ['', '.duckdb', '.db', '.ddb'];

const DATABASE_PATH_HINT = 'pass --database-file (or set localDatabase in the config) to a .duckdb file, or leave both out for $SPARKIFY_HOME/warehouse.duckdb';

/**
 * Refuses a local warehouse path that cannot hold the data: DuckDB takes an
 * empty path (or ':memory:') as an in-memory database, so a run would report
 * success and lose everything, and it opens a .json or .csv file as a view.
 */
export function checkLocalDatabasePath(path: string): void {
  if (path.trim() === '' || path === ':memory:') {
    throw new ConfigError(`the local warehouse path ${JSON.stringify(path)} is not a file: the data would be lost when sparkify exits`, DATABASE_PATH_HINT);
  }
  let kind: string | undefined;
  try {
    const info = statSync(path);
    // A FIFO would block the open for ever, a device takes no fsync: neither is a file DuckDB can keep.
    kind = info.isDirectory() ? 'a folder' : info.isFIFO() ? 'a named pipe' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : info.isSocket() ? 'a socket' : undefined;
  } catch {
    // Not there yet (DuckDB creates it), or not reachable: the mkdir below says which.
  }
  if (kind) throw new ConfigError(`the local warehouse ${path} is ${kind}, not a DuckDB file`, DATABASE_PATH_HINT);
  const extension = extname(path).toLowerCase();
  if (!DUCKDB_EXTENSIONS.includes(extension)) {
    throw new ConfigError(`the local warehouse ${path} is not a DuckDB file (it ends in ${extension}, not .duckdb, .db or .ddb)`, DATABASE_PATH_HINT);
  }
}

/** Makes the folder of the warehouse file, saying what is wrong with SPARKIFY_HOME or --database-file if it cannot. */
function ensureDatabaseFolder(path: string): void {
  const folder = dirname(path);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    if (!isSystemError(error)) throw error;
    throw new ConfigError(
      `cannot create the folder ${folder} for the local warehouse ${path}: ${describeSystemError(error)}`,
      'set SPARKIFY_HOME (or --database-file) to a place you can write to',
      error,
    );
  }
}

/** How long the app keeps the local warehouse file after its last statement: short, so another terminal is never locked out by an idle app. */
export const SHARED_IDLE_CLOSE_MS = 300;

export interface OpenOptions {
  /**
   * The work only reads: a local file on a read-only file system is opened
   * read-only, and a file another process holds is waited for rather than
   * reported as in use.
   */
  onlyReads?: boolean;
  /** Hold the local warehouse file only while something runs (the app), not until close (one-shot commands). */
  shared?: boolean;
  /** Look unqualified names up on the search path (the SQL prompt, `sparkify query`); the pipeline names every table itself. */
  searchPath?: boolean;
}

export async function openWarehouse(target: ResolvedTarget, options: OpenOptions = {}): Promise<Warehouse> {
  if (target.target === 'local') {
    const path = target.databasePath;
    checkLocalDatabasePath(path);
    ensureDatabaseFolder(path);
    // The warehouse file, its log and temporary files are the owner's alone, in the home or not.
    keepPrivate();
    const { DuckDbWarehouse } = await import('./warehouse/duckdb.js');
    try {
      return await DuckDbWarehouse.open({
        path,
        readOnlyFallback: options.onlyReads,
        resolveSource: bucketResolver(target.buckets ?? {}, (bucket) => cachedBucketFolder(bucket)),
        idleCloseMs: options.shared ? SHARED_IDLE_CLOSE_MS : undefined,
        access: options.onlyReads ? 'read' : 'write',
        searchPath: options.searchPath ? (target.searchPath ?? DEFAULT_SEARCH_PATH) : undefined,
        tempDirectory: target.tempDirectory,
      });
    } catch (error) {
      // A folder that exists but takes no files (read-only, /proc) is a
      // setting to change, not a SQL problem.
      if (error instanceof SqlError && !existsSync(path) && /IO Error: Cannot open file/i.test(error.message)) {
        const reason = error.message.match(/: ([^:]+)$/)?.[1]?.trim();
        throw new ConfigError(
          `cannot create the local warehouse ${path}${reason ? `: ${reason.toLowerCase()}` : ''}`,
          'set SPARKIFY_HOME (or --database-file) to a place you can write to',
          error,
        );
      }
      throw error;
    }
  }
  if (!target.clusterIdentifier && !target.workgroupName) {
    throw new ConfigError(
      'no Redshift cluster or workgroup configured',
      'pass --cluster-id (with --db-user or --secret-arn) or --workgroup, run `sparkify cluster create`, or `sparkify setup`',
    );
  }
  const { RedshiftDataWarehouse } = await import('./warehouse/redshift-data.js');
  return RedshiftDataWarehouse.open({ ...target, searchPath: options.searchPath ? (target.searchPath ?? DEFAULT_SEARCH_PATH) : undefined });
}
