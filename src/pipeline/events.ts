// What the pipeline runner yields. The Ink pipeline screen and the plain-text
// reporter both consume exactly these events; neither runs pipeline logic itself.
import type { LoadErrorDetail } from './errors.js';
import type { StepGuard, StepRole } from './model.js';
import type { StatementStatus } from './warehouse/types.js';

export interface PlannedStatement {
  /** Unique in the plan, e.g. `load.s_events`. */
  id: string;
  /** Short human name, e.g. `load staging.s_events`. */
  name: string;
  sql: string;
}

export interface PlannedStep {
  /** Stable id from the model (src/pipeline/model.ts). */
  id: string;
  title: string;
  /** What the step does to the tables: the runner tells from this whether the analytics tables changed. */
  role: StepRole;
  /** Run first when a step this one depends on that stages data did not run. */
  guard?: StepGuard;
  /** Ids of steps that must finish first. */
  dependsOn: string[];
  /** Statements run as one transaction. */
  atomic: boolean;
  /** Statements do not depend on each other and may run at once. */
  parallel: boolean;
  /** Statements are data-quality checks: queries returning the rows that break a rule. */
  checks: boolean;
  /** Why the step will not run (e.g. --skip-staging), when it will not. */
  skip?: string;
  statements: PlannedStatement[];
}

export interface CheckOutcome {
  name: string;
  description: string;
  ok: boolean;
  /** Rows that break the rule (0 when ok). */
  failingRows: number;
}

/**
 * What the analytics tables hold when a run ends: as before the run; this
 * run's data, checked; this run's data, the checks not done (cancelled or
 * stopped during them); this run's data, which failed a check.
 */
export type AnalyticsState = 'unchanged' | 'refreshed' | 'refreshed-unchecked' | 'refreshed-failed-check';

export interface ErrorInfo {
  message: string;
  hint?: string;
  exitCode: number;
  loadErrors?: LoadErrorDetail[];
}

export type PipelineEvent =
  | { type: 'run-started'; steps: PlannedStep[]; target: 'local' | 'redshift'; label: string; at: number }
  | { type: 'step-started'; stepId: string; at: number }
  | { type: 'step-skipped'; stepId: string; reason: string; at: number }
  | { type: 'statement-started'; stepId: string; statementId: string; at: number }
  | { type: 'statement-status'; stepId: string; statementId: string; status: StatementStatus; at: number }
  | {
      type: 'statement-finished';
      stepId: string;
      statementId: string;
      rowsAffected: number | null;
      engineMs: number;
      wallMs: number;
      /** The engine's id for the statement (Data API), when it has one. */
      queryId?: string;
      at: number;
    }
  | { type: 'check-finished'; stepId: string; statementId: string; outcome: CheckOutcome; at: number }
  | { type: 'step-finished'; stepId: string; wallMs: number; at: number }
  | { type: 'step-failed'; stepId: string; statementId?: string; error: ErrorInfo; at: number }
  | {
      type: 'run-finished';
      ok: boolean;
      cancelled: boolean;
      wallMs: number;
      analytics: AnalyticsState;
      /** Row counts per table after the run (staging and analytics), when it got that far. */
      tableRows?: Record<string, number>;
      /** The same counts after the previous run the ledger holds, when there is one. */
      previousTableRows?: Record<string, number>;
      checks?: CheckOutcome[];
      error?: ErrorInfo;
      at: number;
    };
