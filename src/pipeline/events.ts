// What the pipeline runner yields. The Ink pipeline screen and the plain-text
// reporter both consume exactly these events; neither runs pipeline logic itself.
import type { LoadErrorDetail } from './errors.js';
import type { StatementStatus } from './warehouse/types.js';

export interface PlannedStatement {
  /** Unique in the plan, e.g. `load.s_events`. */
  id: string;
  /** Short human name, e.g. `load staging.s_events`. */
  name: string;
  sql: string;
}

export interface PlannedStep {
  /** Stable id: create-schemas, create-staging, create-analytics, load-songs, load-events, transform, checks. */
  id: string;
  title: string;
  /** Ids of steps that must finish first. */
  dependsOn: string[];
  /** Statements run as one transaction (the analytics refresh). */
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
      /** Row counts per table after the run (staging and analytics), when it got that far. */
      tableRows?: Record<string, number>;
      checks?: CheckOutcome[];
      error?: ErrorInfo;
      at: number;
    };
