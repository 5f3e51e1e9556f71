// The pipeline plan: the model's steps (src/pipeline/model.ts) with their
// statements read from the SQL files in sql/ and the placeholders filled.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './errors.js';
import { splitStatements } from './sql/tokenizer.js';
import type { PlannedStep } from './events.js';
import { stepsFor, type PlanScope, type RunMode } from './model.js';
import type { LedgerStatement } from './ledger/files.js';

export type { PlanScope } from './model.js';

export interface PlanSources {
  songData: string;
  logData: string;
  /** jsonpaths file for the events COPY; absent = 'auto ignorecase'. */
  logJsonpaths?: string;
  iamRole?: string;
  sourceRegion?: string;
}

export interface PlanOptions {
  sources?: PlanSources;
  skipStaging?: boolean;
  scope?: PlanScope;
  mode?: RunMode;
  /** An incremental run's manifests, and why a load has nothing to do. */
  increment?: {
    songManifest: string;
    logManifest: string;
    skip?: Partial<Record<string, string>>;
    /** Staging tables loaded again from all their files: the refresh replaces them and transforms all of staging. */
    rebuilt?: string[];
  };
  /** The ledger's statements, run at the end of the refresh's transaction. */
  ledger?: LedgerStatement[];
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

export async function buildPlan(options: PlanOptions = {}): Promise<PlannedStep[]> {
  const scope = options.scope ?? 'run';
  const mode = options.mode ?? 'full';
  const rebuilt = options.increment?.rebuilt ?? [];
  const chosen = stepsFor(scope, mode, rebuilt.length > 0);
  const needsSources = chosen.some((s) => s.role === 'stage') && !options.skipStaging;
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
    song_manifest: options.increment?.songManifest ?? '',
    log_manifest: options.increment?.logManifest ?? '',
  };
  const chosenIds = new Set(chosen.map((s) => s.id));
  const steps: PlannedStep[] = [];
  for (const step of chosen) {
    const texts = await Promise.all([step.file].flat().map(readSqlFile));
    const statements = texts
      .flatMap((text) => splitStatements(text))
      .filter((s) => !step.filter || step.filter(s.name ?? '', { rebuilt }))
      .map((s, i) => ({
        id: `${step.id}.${i + 1}`,
        name: s.name ?? `${step.id} #${i + 1}`,
        sql: fillPlaceholders(s.sql, values),
      }));
    if (step.role === 'refresh' && options.ledger) {
      statements.push(...options.ledger.map((l, i) => ({ id: `${step.id}.ledger.${i + 1}`, name: l.name, sql: l.sql })));
    }
    steps.push({
      id: step.id,
      title: step.title,
      role: step.role,
      guard: step.guard && { ...step.guard, sql: fillPlaceholders(step.guard.sql, values) },
      dependsOn: step.dependsOn.filter((d) => chosenIds.has(d)),
      atomic: step.role === 'refresh',
      parallel: step.parallel ?? false,
      checks: step.role === 'check',
      skip: options.skipStaging && step.staging ? 'skip-staging: staging tables kept as they are' : options.increment?.skip?.[step.id],
      statements,
    });
  }
  return steps;
}
