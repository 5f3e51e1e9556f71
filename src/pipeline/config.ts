// Where sparkify keeps its state and what it is configured to do. Everything
// lives under the sparkify home (SPARKIFY_HOME, default ~/.sparkify): the
// config file (0600, no secrets ever), the local warehouse file, the SQL
// prompt's history. Reading is plain JSON checked against the schema below,
// so one-shot commands start fast; writing goes through conf (config-store.ts).
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { ConfigError, describeSystemError, isSystemError } from './errors.js';
import { jsonKeyword } from './sql/json-format.js';

export type Target = 'local' | 'redshift';

export interface RedshiftSettings {
  region?: string;
  profile?: string;
  clusterIdentifier?: string;
  database?: string;
  dbUser?: string;
  secretArn?: string;
  workgroupName?: string;
  iamRole?: string;
  /** s3://bucket/prefix/ where an incremental run writes its COPY manifests (the cluster's role must read it). */
  manifestPrefix?: string;
}

export interface SourceSettings {
  /** Folder or s3:// prefix of song JSON files. */
  songData?: string;
  /** Folder or s3:// prefix of event log NDJSON files. */
  logData?: string;
  /** jsonpaths file for the events COPY; absent = 'auto ignorecase'. */
  logJsonpaths?: string;
  /** Region of the source bucket (COPY ... REGION). */
  sourceRegion?: string;
  /** Local folders that stand in for S3 buckets on the local engine, by bucket name. */
  buckets?: Record<string, string>;
}

/** What `sparkify cluster create` / `serverless create` made, so later commands need nothing more. */
export interface ManagedCluster {
  kind: 'provisioned' | 'serverless';
  identifier: string;
  region: string;
  nodeType?: string;
  nodes?: number;
  roleName?: string;
  roleArn?: string;
  namespaceName?: string;
  createdAt?: string;
}

export interface SparkifyConfig {
  target: Target;
  /** Path of the local warehouse file; default <home>/warehouse.duckdb. */
  localDatabase?: string;
  sources: SourceSettings;
  redshift: RedshiftSettings;
  cluster?: ManagedCluster;
  /** Overrides of the price table, USD per node-hour by node type. */
  prices?: Record<string, number>;
  /** Schemas the SQL prompt and `sparkify query` look unqualified names up in, comma-separated (default: analytics, staging, public). */
  searchPath?: string;
  /** The SQL prompt's saved queries folder (`\save NAME`); default <home>/queries, relative to the config's folder. */
  queriesDir?: string;
}

export function sparkifyHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.SPARKIFY_HOME && env.SPARKIFY_HOME.trim() !== '' ? env.SPARKIFY_HOME : join(homedir(), '.sparkify');
}

const HOME_HINT = 'set SPARKIFY_HOME to a folder you can write to (default ~/.sparkify)';

export function ensureHome(home = sparkifyHome()): string {
  try {
    mkdirSync(home, { recursive: true, mode: 0o700 });
  } catch (error) {
    if (!isSystemError(error)) throw error;
    throw new ConfigError(`cannot create the sparkify home ${home}: ${describeSystemError(error)}`, HOME_HINT, error);
  }
  keepPrivate(home);
  return home;
}

/**
 * The home is 0700 and the files in it 0600, whatever the umask and however
 * the home was left: from here on this process creates files for its owner
 * only (DuckDB makes its write-ahead log and temporary files later, with the
 * process umask), and what is already there loses group and other access.
 */
export function keepPrivate(home = sparkifyHome()): void {
  process.umask(process.umask() | 0o077);
  const tighten = (path: string, mode: number) => {
    try {
      const info = lstatSync(path);
      if (!info.isSymbolicLink() && (info.mode & 0o077) !== 0) chmodSync(path, mode);
    } catch {
      // Gone meanwhile, or not ours to change: nothing to tighten.
    }
  };
  if (!existsSync(home)) return;
  tighten(home, 0o700);
  let entries: string[] = [];
  try {
    entries = readdirSync(home);
  } catch {
    return;
  }
  for (const name of entries) {
    const path = join(home, name);
    tighten(path, lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ? 0o700 : 0o600);
  }
}

export function defaultLocalDatabase(home = sparkifyHome()): string {
  return join(home, 'warehouse.duckdb');
}

export function configPath(home = sparkifyHome()): string {
  return join(home, 'config.json');
}

export function configExists(home = sparkifyHome()): boolean {
  return existsSync(configPath(home));
}

const stringProp = { type: 'string' } as const;

export const CONFIG_SCHEMA = {
  target: { type: 'string', enum: ['local', 'redshift'], default: 'local' },
  localDatabase: stringProp,
  sources: {
    type: 'object',
    additionalProperties: false,
    properties: {
      songData: stringProp,
      logData: stringProp,
      logJsonpaths: stringProp,
      sourceRegion: stringProp,
      buckets: { type: 'object', additionalProperties: stringProp },
    },
    default: {},
  },
  redshift: {
    type: 'object',
    additionalProperties: false,
    properties: {
      region: stringProp,
      profile: stringProp,
      clusterIdentifier: stringProp,
      database: stringProp,
      dbUser: stringProp,
      secretArn: stringProp,
      workgroupName: stringProp,
      iamRole: stringProp,
      manifestPrefix: stringProp,
    },
    default: {},
  },
  cluster: {
    type: 'object',
    additionalProperties: false,
    properties: {
      kind: { type: 'string', enum: ['provisioned', 'serverless'] },
      identifier: stringProp,
      region: stringProp,
      nodeType: stringProp,
      nodes: { type: 'integer', minimum: 1 },
      roleName: stringProp,
      roleArn: stringProp,
      namespaceName: stringProp,
      createdAt: stringProp,
    },
    required: ['kind', 'identifier', 'region'],
  },
  prices: { type: 'object', additionalProperties: { type: 'number', minimum: 0 } },
  searchPath: stringProp,
  queriesDir: stringProp,
} as const;

/** Keys that must never reach the config file, whatever a caller passes. */
export const SECRET_KEY = /pass(word)?|secret(?!arn)|access.?key|token/i;

type SchemaNode = {
  type?: string;
  enum?: readonly string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: readonly string[];
  minimum?: number;
};

/** Checks a value against the config schema; returns the first problem, if any. */
function schemaProblem(value: unknown, node: SchemaNode, path: string): string | undefined {
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  if (node.type === 'integer' ? !Number.isInteger(value) : node.type && node.type !== kind) {
    return `${path} must be ${node.type === 'integer' ? 'a whole number' : `${node.type === 'object' || node.type === 'array' ? 'an' : 'a'} ${node.type}`}`;
  }
  if (node.enum && !node.enum.includes(value as string)) return `${path} must be one of ${node.enum.join(', ')}`;
  if (node.minimum !== undefined && (value as number) < node.minimum) return `${path} must be at least ${node.minimum}`;
  if (kind === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of node.required ?? []) if (!(key in record)) return `${path}.${key} is required`;
    for (const [key, inner] of Object.entries(record)) {
      // Own keys only: `toString`, `constructor` or `__proto__` name no setting, whatever Object.prototype holds.
      const own = node.properties && Object.hasOwn(node.properties, key) ? node.properties[key] : undefined;
      const child = own ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
      if (!child) {
        if (node.additionalProperties === false || node.properties) return `${path}.${key} is not a known setting`;
        continue;
      }
      const problem = schemaProblem(inner, child, `${path}.${key}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** The config file's JSON; a UTF-8 byte-order mark, as some editors write one, is not part of it. */
export function parseConfigText(text: string): unknown {
  return JSON.parse(text.replace(/^\uFEFF/, ''));
}

const DEFAULTS: SparkifyConfig = { target: 'local', sources: {}, redshift: {} };

function isNamedPipe(path: string): boolean {
  try {
    return statSync(path).isFIFO();
  } catch {
    // Missing or unreachable: the read says which.
    return false;
  }
}

/** The config, or the defaults when there is no file. A broken file is reported, never replaced. */
export function readConfig(home = sparkifyHome()): SparkifyConfig {
  const path = configPath(home);
  // A named pipe with no writer would block the read for ever, and no signal reaches a blocked read.
  if (isNamedPipe(path)) {
    throw new ConfigError(`the config file ${path} is a named pipe, not a file`, `move it away: sparkify keeps its settings in a file of that name`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...DEFAULTS, sources: {}, redshift: {} };
    const why = isSystemError(error) ? describeSystemError(error) : (error as Error).message;
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'ENOTDIR' ? HOME_HINT : code === 'EISDIR' ? `move the folder ${path} away: sparkify keeps its settings in a file of that name` : 'check its permissions';
    throw new ConfigError(`cannot read the config file ${path}: ${why}`, hint, error);
  }
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : parseConfigText(text);
  } catch (error) {
    throw new ConfigError(`the config file ${path} is not valid: ${(error as Error).message}`, 'fix or delete the file, or run `sparkify setup` to write a new one', error);
  }
  const problem = schemaProblem(parsed, { type: 'object', properties: CONFIG_SCHEMA }, 'config');
  if (problem) {
    throw new ConfigError(`the config file ${path} is not valid: ${problem}`, 'fix or delete the file, or run `sparkify setup` to write a new one');
  }
  const store = parsed as Partial<SparkifyConfig>;
  // A relative path means the same file whichever folder sparkify starts in: the config's own folder is its base.
  const base = dirname(resolve(path));
  const sources = { ...(store.sources ?? {}) };
  for (const key of ['songData', 'logData'] as const) sources[key] = absolutePath(sources[key], base);
  sources.logJsonpaths = jsonpathsSetting(sources.logJsonpaths, base);
  return {
    target: store.target ?? 'local',
    localDatabase: store.localDatabase === '' ? '' : absolutePath(store.localDatabase, base),
    sources,
    redshift: { ...(store.redshift ?? {}) },
    cluster: store.cluster,
    prices: store.prices,
    searchPath: store.searchPath,
    queriesDir: absolutePath(store.queriesDir, base),
  };
}

/** A local path made absolute against `base`; URIs (s3://, file://) and absent values as they are. */
/** A jsonpaths setting: a COPY keyword ('auto', 'auto ignorecase') as COPY spells it, else a path made absolute against `base`. */
export function jsonpathsSetting<T extends string | undefined>(value: T, base = process.cwd()): T {
  return (jsonKeyword(value) ?? absolutePath(value, base)) as T;
}

export function absolutePath<T extends string | undefined>(value: T, base = process.cwd()): T {
  if (value === undefined || value === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  return resolve(base, value) as T;
}
