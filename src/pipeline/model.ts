// The model as the pipeline sees it: its tables, its steps (which SQL file,
// what each depends on, what it does to the tables) and what a step guards
// against. The plan builds statements from this; the runner reads only the
// properties the plan gives each step, never a table name or a step id.
import type { Warehouse } from './warehouse/types.js';

export const STAGING_TABLES = ['staging.s_events', 'staging.s_songs'] as const;
export const ANALYTICS_TABLES = ['analytics.f_songplays', 'analytics.d_users', 'analytics.d_songs', 'analytics.d_artists', 'analytics.d_time'] as const;
export const MODEL_TABLES = [...STAGING_TABLES, ...ANALYTICS_TABLES] as const;

export type PlanScope = 'create-tables' | 'etl' | 'run';

/** A full run reloads every file; an incremental run loads the files the ledger has not seen and merges them. */
export type RunMode = 'full' | 'incremental';

/**
 * What a step does: makes tables, stages source files into a staging table,
 * commits the analytics refresh (one transaction), or checks the result.
 */
export type StepRole = 'create' | 'stage' | 'refresh' | 'check';

/**
 * A query a step runs first when a step it depends on that stages data did not
 * run in this run (skip-staging, or a resume past the loads), or after its own
 * statements when it checks what they made. It returns the names of what is
 * wrong; no rows means the run may go on. Its SQL takes the plan's placeholders.
 */
export interface StepGuard {
  sql: string;
  /** Run before every run of the step, not only after a skipped load. */
  always?: boolean;
  /** Run after the step's statements, in every run of the step. */
  after?: boolean;
  /** Left out when the step's last statement reported rows affected: a COPY that loaded rows into the table it emptied. */
  unlessLastRows?: boolean;
  message(failing: string[]): string;
  hint: string;
}

export interface StepDefinition {
  id: string;
  title: string;
  /** The SQL file, or files whose statements run in this order. */
  file: string | readonly string[];
  role: StepRole;
  dependsOn: string[];
  parallel?: boolean;
  /** Only the statements whose name passes this (told which staging tables a reload fills again). */
  filter?: (name: string, plan: { rebuilt: readonly string[] }) => boolean;
  /** Only in an incremental run that loads tables again (true) or one that does not (false). */
  rebuild?: boolean;
  scopes: PlanScope[];
  /** Part of staging: skipped when staging is kept as it is. */
  staging?: boolean;
  /** The staging table a stage step fills. */
  table?: string;
  guard?: StepGuard;
  /** Runs in these modes (default: full only). */
  modes?: RunMode[];
}

const forTable = (table: string) => (name: string) => name.endsWith(` ${table}`);

/** An empty staging table would refresh the analytics tables into empty ones. */
const STAGED_GUARD: StepGuard = {
  sql:
    'SELECT table_name FROM (' +
    STAGING_TABLES.map((t) => `SELECT '${t}' AS table_name, COUNT(*) AS row_count FROM ${t}`).join(' UNION ALL ') +
    ') AS staged WHERE row_count = 0 ORDER BY table_name',
  message: (empty) =>
    `${empty.join(' and ')} ${empty.length > 1 ? 'are' : 'is'} empty: the transform would empty the analytics tables, so it did not run`,
  hint: 'load staging first: run without --skip-staging, or resume from a load step',
};

/**
 * An increment is appended to staging only when staging holds what the
 * ledger says the analytics tables were built from: a full run stopped after
 * its load leaves staging ahead of them.
 */
const STAGED_AS_RECORDED: StepGuard = {
  sql:
    'SELECT table_name FROM (' +
    STAGING_TABLES.map(
      (t) =>
        `SELECT '${t}' AS table_name, (SELECT COUNT(*) FROM ${t}) AS staged, ` +
        `(SELECT COALESCE(MAX(row_count), 0) FROM sparkify.staged_rows WHERE staging_table = '${t}') AS recorded`,
    ).join(' UNION ALL ') +
    ') AS counts WHERE staged <> recorded ORDER BY table_name',
  always: true,
  message: (tables) =>
    `${tables.join(' and ')} ${tables.length > 1 ? 'hold' : 'holds'} rows the analytics tables were not built from (a run stopped after its load), so the increment was not merged`,
  hint: '`sparkify retry` finishes the stopped run, or a full `sparkify run` rebuilds everything',
};

/**
 * After a full load: a source whose files hold no rows (0-byte files, a folder
 * of files not yet written) is almost always a mistake, and refreshing from it
 * would empty the analytics tables. Returns the source as the run names it.
 */
const loadedGuard = (table: string, source: 'song_data' | 'log_data'): StepGuard => ({
  sql: `SELECT source FROM (SELECT '{{${source}}}' AS source, COUNT(*) AS row_count FROM ${table}) AS staged WHERE row_count = 0`,
  after: true,
  // The COPY's own row count answers the question without a query of its own on the critical path.
  unlessLastRows: true,
  message: ([path]) => `COPY into ${table}: the files under ${path} hold no rows (they are empty)`,
  hint: `check the source path (--${source.replace('_', '-')}, or the config) and that its files have been written, then run again`,
});

const isCreate = (name: string) => name.startsWith('create ');

export const STEPS: StepDefinition[] = [
  { id: 'create-schemas', title: 'Create schemas', file: '01_create_schemas.sql', role: 'create', dependsOn: [], parallel: true, scopes: ['create-tables', 'run'], modes: ['full', 'incremental'] },
  { id: 'create-staging-songs', title: 'Create staging.s_songs', file: '02_create_staging.sql', role: 'create', filter: forTable('staging.s_songs'), dependsOn: ['create-schemas'], scopes: ['create-tables', 'run'], staging: true },
  { id: 'create-staging-events', title: 'Create staging.s_events', file: '02_create_staging.sql', role: 'create', filter: forTable('staging.s_events'), dependsOn: ['create-schemas'], scopes: ['create-tables', 'run'], staging: true },
  { id: 'keep-staging', title: 'Keep the staging tables (create when missing)', file: '02_create_staging.sql', role: 'create', filter: isCreate, dependsOn: ['create-schemas'], scopes: ['run'], modes: ['incremental'] },
  { id: 'create-increment', title: 'Create the increment tables', file: '09_increment_staging.sql', role: 'create', dependsOn: ['keep-staging'], scopes: ['run'], modes: ['incremental'] },
  { id: 'create-analytics', title: 'Create analytics tables', file: '03_create_analytics.sql', role: 'create', dependsOn: ['create-schemas'], parallel: true, scopes: ['create-tables', 'run'], modes: ['full', 'incremental'] },
  { id: 'load-songs', title: 'Load staging.s_songs', file: '04_load_staging.sql', role: 'stage', table: 'staging.s_songs', filter: forTable('staging.s_songs'), dependsOn: ['create-staging-songs'], scopes: ['etl', 'run'], staging: true, guard: loadedGuard('staging.s_songs', 'song_data') },
  { id: 'load-events', title: 'Load staging.s_events', file: '04_load_staging.sql', role: 'stage', table: 'staging.s_events', filter: forTable('staging.s_events'), dependsOn: ['create-staging-events'], scopes: ['etl', 'run'], staging: true, guard: loadedGuard('staging.s_events', 'log_data') },
  { id: 'load-new-songs', title: 'Load the new song files', file: '10_load_increment.sql', role: 'stage', table: 'staging.s_songs', filter: forTable('staging.s_songs_new'), dependsOn: ['create-increment'], scopes: ['run'], modes: ['incremental'] },
  { id: 'load-new-events', title: 'Load the new event files', file: '10_load_increment.sql', role: 'stage', table: 'staging.s_events', filter: forTable('staging.s_events_new'), dependsOn: ['create-increment'], scopes: ['run'], modes: ['incremental'] },
  { id: 'transform', title: 'Transform into the star schema', file: '05_transform.sql', role: 'refresh', dependsOn: ['load-songs', 'load-events', 'create-analytics'], scopes: ['etl', 'run'], guard: STAGED_GUARD },
  { id: 'merge', title: 'Merge the increment into the star schema', file: '11_merge_increment.sql', role: 'refresh', dependsOn: ['load-new-songs', 'load-new-events', 'create-analytics'], scopes: ['run'], guard: STAGED_AS_RECORDED, modes: ['incremental'], rebuild: false },
  {
    id: 'rebuild',
    title: 'Replace the reloaded staging tables and transform all of staging',
    file: ['12_reload_changed.sql', '05_transform.sql'],
    role: 'refresh',
    filter: (name, { rebuilt }) => !name.startsWith('empty ') || rebuilt.includes(name.slice('empty '.length)),
    dependsOn: ['load-new-songs', 'load-new-events', 'create-analytics'],
    scopes: ['run'],
    guard: STAGED_AS_RECORDED,
    modes: ['incremental'],
    rebuild: true,
  },
  { id: 'checks', title: 'Data-quality checks', file: '06_checks.sql', role: 'check', dependsOn: ['transform', 'merge', 'rebuild'], parallel: true, scopes: ['etl', 'run'], modes: ['full', 'incremental'] },
];

/** The model's steps for a scope and mode (an incremental run that loads tables again rebuilds instead of merging). */
export function stepsFor(scope: PlanScope, mode: RunMode = 'full', rebuild = false): StepDefinition[] {
  return STEPS.filter((s) => s.scopes.includes(scope) && (s.modes ?? ['full']).includes(mode) && (s.rebuild === undefined || s.rebuild === rebuild));
}

/** Ids of the model's steps, in order. */
export const STEP_IDS = STEPS.map((s) => s.id);

/** Rows in every model table: one query, or, when some table is missing, one per table that exists. */
export async function countTables(warehouse: Warehouse, signal?: AbortSignal): Promise<Record<string, number>> {
  const count = async (tables: readonly string[]) => {
    const sql = tables.map((t) => `SELECT '${t}' AS table_name, COUNT(*) AS row_count FROM ${t}`).join(' UNION ALL ');
    const result = await warehouse.query(sql, { signal });
    const counts: Record<string, number> = {};
    for await (const page of result.pages()) for (const [name, rows] of page) counts[String(name)] = Number(rows);
    return Object.fromEntries(tables.filter((t) => t in counts).map((t) => [t, counts[t]]));
  };
  try {
    return await count(MODEL_TABLES);
  } catch {
    const existing = await warehouse.query(
      "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema IN ('staging', 'analytics')",
      { signal },
    );
    const names = new Set<string>();
    for await (const page of existing.pages()) for (const row of page) names.add(String(row[0]));
    const tables = MODEL_TABLES.filter((t) => names.has(t));
    return tables.length === 0 ? {} : count(tables);
  }
}
