// Turns flags and config into a warehouse to talk to. Engines load lazily:
// DuckDB only for the local target, the Data API client only for Redshift.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { defaultLocalDatabase, sparkifyHome, type RedshiftSettings, type SparkifyConfig, type SourceSettings } from './config.js';
import type { Warehouse } from './warehouse/types.js';
import type { PlanSources } from './plan.js';

/** Where and as whom to reach Redshift: the saved settings less the COPY role. */
export type RedshiftConnectionSettings = Omit<RedshiftSettings, 'iamRole'>;

export type ResolvedTarget =
  | { target: 'local'; databasePath: string }
  | ({ target: 'redshift' } & RedshiftConnectionSettings);

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
    return { target: 'local', databasePath: flags.databaseFile ?? config.localDatabase ?? defaultLocalDatabase(home) };
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
  };
}

/** Sources from flags over config; a jsonpaths file beside the log folder is used when none is named. */
export function resolveSources(flags: SourceFlags, config: SparkifyConfig): Partial<PlanSources> {
  const saved: SourceSettings = config.sources;
  const logData = flags.logData ?? saved.logData;
  return {
    songData: flags.songData ?? saved.songData,
    logData,
    logJsonpaths: flags.logJsonpaths ?? (flags.logData ? undefined : saved.logJsonpaths) ?? jsonpathsBeside(logData),
    iamRole: flags.iamRole ?? config.redshift.iamRole ?? config.cluster?.roleArn,
    sourceRegion: flags.sourceRegion ?? saved.sourceRegion,
  };
}

/** The course layout keeps log_json_path.json next to the log_data folder. */
function jsonpathsBeside(logData: string | undefined): string | undefined {
  if (!logData || /^s3:\/\//i.test(logData)) return undefined;
  const candidate = join(dirname(resolve(logData)), 'log_json_path.json');
  return existsSync(candidate) ? candidate : undefined;
}

export async function openWarehouse(target: ResolvedTarget): Promise<Warehouse> {
  if (target.target === 'local') {
    const { DuckDbWarehouse } = await import('./warehouse/duckdb.js');
    return DuckDbWarehouse.open({ path: target.databasePath });
  }
  if (!target.clusterIdentifier && !target.workgroupName) {
    throw new ConfigError(
      'no Redshift cluster or workgroup configured',
      'pass --cluster-id (with --db-user or --secret-arn) or --workgroup, run `sparkify cluster create`, or `sparkify setup`',
    );
  }
  const { RedshiftDataWarehouse } = await import('./warehouse/redshift-data.js');
  return RedshiftDataWarehouse.open(target);
}
