// Where sparkify keeps its state and what it is configured to do. Everything
// lives under the sparkify home (SPARKIFY_HOME, default ~/.sparkify): the
// config file (0600, no secrets ever), the local warehouse file, the SQL
// prompt's history. conf validates the file against a JSON schema.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { mkdirSync, chmodSync, existsSync } from 'node:fs';
import Conf from 'conf';
import { ConfigError } from './errors.js';

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
}

export function sparkifyHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.SPARKIFY_HOME && env.SPARKIFY_HOME.trim() !== '' ? env.SPARKIFY_HOME : join(homedir(), '.sparkify');
}

export function ensureHome(home = sparkifyHome()): string {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return home;
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

const schema = {
  target: { type: 'string', enum: ['local', 'redshift'], default: 'local' },
  localDatabase: stringProp,
  sources: {
    type: 'object',
    additionalProperties: false,
    properties: { songData: stringProp, logData: stringProp, logJsonpaths: stringProp, sourceRegion: stringProp },
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
} as const;

/** Keys that must never reach the config file, whatever a caller passes. */
const SECRET_KEY = /pass(word)?|secret(?!arn)|access.?key|token/i;

export class ConfigStore {
  readonly home: string;
  private readonly conf: Conf<SparkifyConfig>;

  constructor(home = sparkifyHome()) {
    this.home = ensureHome(home);
    try {
      this.conf = new Conf<SparkifyConfig>({
        cwd: this.home,
        configName: 'config',
        projectName: 'sparkify',
        // A broken file is reported, never silently replaced.
        clearInvalidConfig: false,
        configFileMode: 0o600,
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        schema: schema as any,
      });
    } catch (error) {
      throw new ConfigError(
        `the config file ${configPath(this.home)} is not valid: ${(error as Error).message}`,
        'fix or delete the file, or run `sparkify setup` to write a new one',
        error,
      );
    }
  }

  get path(): string {
    return this.conf.path;
  }

  read(): SparkifyConfig {
    const store = this.conf.store;
    return {
      target: store.target ?? 'local',
      localDatabase: store.localDatabase,
      sources: { ...(store.sources ?? {}) },
      redshift: { ...(store.redshift ?? {}) },
      cluster: store.cluster,
      prices: store.prices,
    };
  }

  /** Merges a partial config in and writes it (mode 0600). Refuses secret-looking keys. */
  update(patch: Partial<SparkifyConfig>): SparkifyConfig {
    assertNoSecrets(patch);
    const next = { ...this.read(), ...patch };
    try {
      this.conf.store = stripUndefined(next) as SparkifyConfig;
    } catch (error) {
      throw new ConfigError(`cannot save the config: ${(error as Error).message}`, undefined, error);
    }
    chmodSync(this.conf.path, 0o600);
    return this.read();
  }

  exists(): boolean {
    return existsSync(this.conf.path) && Object.keys(this.conf.store).length > 0;
  }
}

function assertNoSecrets(value: unknown, path = ''): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (SECRET_KEY.test(key)) throw new ConfigError(`refusing to store ${path}${key} in the config: secrets are never saved`);
    assertNoSecrets(inner, `${path}${key}.`);
  }
}

function stripUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
