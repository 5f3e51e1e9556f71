// The pipeline plan: named steps built from the SQL files in sql/, with the
// steps each depends on, so independent ones can run at once.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './errors.js';
import { splitStatements } from './sql/tokenizer.js';
import type { PlannedStep } from './events.js';

export interface PlanSources {
  songData: string;
  logData: string;
  /** jsonpaths file for the events COPY; absent = 'auto ignorecase'. */
  logJsonpaths?: string;
  iamRole?: string;
  sourceRegion?: string;
}

export type PlanScope = 'create-tables' | 'etl' | 'run';

export interface PlanOptions {
  sources?: PlanSources;
  skipStaging?: boolean;
  scope?: PlanScope;
}

/** The folder holding the model's SQL, found from this module (source tree or bundle alike). */
export function sqlDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'sql');
    if (existsSync(join(candidate, '01_create_schemas.sql'))) return candidate;
    dir = dirname(dir);
  }
  throw new ConfigError('cannot find the sql/ folder of sparkify', 'reinstall sparkify');
}

export async function readSqlFile(name: string): Promise<string> {
  return readFile(join(sqlDirectory(), name), 'utf8');
}

/** Placeholders in the model's SQL and the values that fill them. */
export function fillPlaceholders(sql: string, values: Record<string, string>): string {
  return sql.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new ConfigError(`no value for {{${key}}} in the SQL`, `set it with --${key.replace(/_/g, '-')} or in the config`);
    return value.replace(/'/g, "''");
  });
}

interface StepDefinition {
  id: string;
  title: string;
  file: string;
  dependsOn: string[];
  atomic?: boolean;
  parallel?: boolean;
  checks?: boolean;
  /** Only the statements whose name passes this. */
  filter?: (name: string) => boolean;
  scopes: PlanScope[];
  staging?: boolean;
}

const forTable = (table: string) => (name: string) => name.endsWith(` ${table}`);

const STEPS: StepDefinition[] = [
  { id: 'create-schemas', title: 'Create schemas', file: '01_create_schemas.sql', dependsOn: [], parallel: true, scopes: ['create-tables', 'run'] },
  { id: 'create-staging-songs', title: 'Create staging.s_songs', file: '02_create_staging.sql', filter: forTable('staging.s_songs'), dependsOn: ['create-schemas'], scopes: ['create-tables', 'run'], staging: true },
  { id: 'create-staging-events', title: 'Create staging.s_events', file: '02_create_staging.sql', filter: forTable('staging.s_events'), dependsOn: ['create-schemas'], scopes: ['create-tables', 'run'], staging: true },
  { id: 'create-analytics', title: 'Create analytics tables', file: '03_create_analytics.sql', dependsOn: ['create-schemas'], parallel: true, scopes: ['create-tables', 'run'] },
  { id: 'load-songs', title: 'Load staging.s_songs', file: '04_load_staging.sql', filter: forTable('staging.s_songs'), dependsOn: ['create-staging-songs'], scopes: ['etl', 'run'], staging: true },
  { id: 'load-events', title: 'Load staging.s_events', file: '04_load_staging.sql', filter: forTable('staging.s_events'), dependsOn: ['create-staging-events'], scopes: ['etl', 'run'], staging: true },
  { id: 'transform', title: 'Transform into the star schema', file: '05_transform.sql', dependsOn: ['load-songs', 'load-events', 'create-analytics'], atomic: true, scopes: ['etl', 'run'] },
  { id: 'checks', title: 'Data-quality checks', file: '06_checks.sql', dependsOn: ['transform'], parallel: true, checks: true, scopes: ['etl', 'run'] },
];

/** Ids of the plan's steps, in order. */
export const STEP_IDS = STEPS.map((s) => s.id);

export async function buildPlan(options: PlanOptions = {}): Promise<PlannedStep[]> {
  const scope = options.scope ?? 'run';
  const chosen = STEPS.filter((s) => s.scopes.includes(scope));
  const needsSources = chosen.some((s) => s.file === '04_load_staging.sql') && !options.skipStaging;
  const sources = options.sources;
  if (needsSources && (!sources?.songData || !sources.logData)) {
    throw new ConfigError(
      'no data sources: the load needs song and event files',
      'pass --song-data and --log-data (folders or s3:// prefixes), or run `sparkify setup`; `sparkify sample --out DIR` makes sample data',
    );
  }
  const values: Record<string, string> = {
    song_data: sources?.songData ?? '',
    log_data: sources?.logData ?? '',
    log_jsonpaths: sources?.logJsonpaths ?? 'auto ignorecase',
    iam_role: sources?.iamRole ?? 'arn:aws:iam::000000000000:role/sparkify-local',
    source_region: sources?.sourceRegion ?? 'us-west-2',
  };
  const chosenIds = new Set(chosen.map((s) => s.id));
  const steps: PlannedStep[] = [];
  for (const step of chosen) {
    const statements = splitStatements(await readSqlFile(step.file))
      .filter((s) => !step.filter || step.filter(s.name ?? ''))
      .map((s, i) => ({
        id: `${step.id}.${i + 1}`,
        name: s.name ?? `${step.id} #${i + 1}`,
        sql: fillPlaceholders(s.sql, values),
      }));
    steps.push({
      id: step.id,
      title: step.title,
      dependsOn: step.dependsOn.filter((d) => chosenIds.has(d)),
      atomic: step.atomic ?? false,
      parallel: step.parallel ?? false,
      checks: step.checks ?? false,
      skip: options.skipStaging && step.staging ? 'skip-staging: staging tables kept as they are' : undefined,
      statements,
    });
  }
  return steps;
}
