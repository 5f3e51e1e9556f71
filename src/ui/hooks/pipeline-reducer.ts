// State of the pipeline screen, driven by the runner's events. No pipeline
// logic here: the reducer only records what the runner reports.
import type { ErrorInfo, PipelineEvent, PlannedStatement, PlannedStep } from '../../pipeline/events.js';
import type { StatementStatus } from '../../pipeline/warehouse/types.js';
import type { RunSummary } from '../../pipeline/ledger/history.js';

/** What the ledger says of earlier runs, whichever process ran them. */
export interface RunHistory {
  last?: RunSummary;
  /** Each step's duration over the last runs, oldest first. */
  durations: Record<string, number[]>;
}

export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface RunningStatement {
  stepId: string;
  statementId: string;
  startedAt: number;
  status?: StatementStatus;
}

export interface FinishedStatement {
  ok: boolean;
  engineMs?: number;
  wallMs: number;
  rowsAffected: number | null;
}

export interface RunOutcome {
  ok: boolean;
  cancelled: boolean;
  wallMs: number;
  failedStepId?: string;
  message?: string;
  /** The failed step's whole error, for the error panel. */
  failure?: StepFailure;
}

export interface StepFailure {
  stepId?: string;
  statementId?: string;
  error: ErrorInfo;
}

export interface PipelineState {
  steps: PlannedStep[];
  planError: string | null;
  skipStaging: boolean;
  /** Load only the files the ledger has not seen, and merge them. */
  incremental: boolean;
  /** With incremental: a table with changed files is loaded again from all its files. */
  reloadChanged: boolean;
  /** What an incremental run would load, once the plan knows. */
  planFiles: string | null;
  phase: 'planning' | 'idle' | 'running' | 'cancelling';
  stepStates: Record<string, StepState>;
  stepWallMs: Record<string, number>;
  running: RunningStatement[];
  /** The latest Data API status per step: a one-transaction step is one batch, whose status its statements share. */
  stepStatus: Record<string, StatementStatus>;
  finished: Record<string, FinishedStatement>;
  lastRun: RunOutcome | null;
  history: RunHistory | null;
  cursor: number;
  expanded: Record<string, boolean>;
  showSql: boolean;
  /** Lines the SQL view is scrolled down by. */
  sqlScroll: number;
  /** The step that failed in the run under way, with its error. */
  failure: StepFailure | null;
}

export type PipelineAction =
  | { type: 'plan-loaded'; steps: PlannedStep[]; files?: string }
  | { type: 'plan-failed'; message: string }
  | { type: 'toggle-skip-staging' }
  | { type: 'toggle-incremental' }
  | { type: 'move'; delta: number }
  | { type: 'toggle-expand' }
  | { type: 'toggle-sql' }
  | { type: 'close-sql' }
  | { type: 'scroll-sql'; delta: number; max: number }
  | { type: 'run-requested' }
  | { type: 'cancel-requested' }
  | { type: 'event'; event: PipelineEvent }
  | { type: 'run-crashed'; message: string; cancelled: boolean; error?: ErrorInfo }
  | { type: 'history-loaded'; history: RunHistory };

export function initialPipelineState(): PipelineState {
  return {
    steps: [],
    planError: null,
    skipStaging: false,
    incremental: false,
    reloadChanged: false,
    planFiles: null,
    phase: 'planning',
    stepStates: {},
    stepWallMs: {},
    running: [],
    stepStatus: {},
    finished: {},
    lastRun: null,
    history: null,
    cursor: 0,
    expanded: {},
    showSql: false,
    sqlScroll: 0,
    failure: null,
  };
}

/** A row of the plan list: a step, or one of its statements when the step is expanded. */
export type PlanRow = { kind: 'step'; step: PlannedStep } | { kind: 'statement'; step: PlannedStep; statement: PlannedStatement };

export function planRows(state: Pick<PipelineState, 'steps' | 'expanded'>): PlanRow[] {
  return state.steps.flatMap((step): PlanRow[] => [
    { kind: 'step', step },
    ...(state.expanded[step.id] ? step.statements.map((statement) => ({ kind: 'statement' as const, step, statement })) : []),
  ]);
}

export function selectedRow(state: PipelineState): PlanRow | undefined {
  return planRows(state)[state.cursor];
}

function clampCursor(state: PipelineState): PipelineState {
  const count = planRows(state).length;
  return { ...state, cursor: Math.max(0, Math.min(state.cursor, count - 1)) };
}

function pendingStates(steps: PlannedStep[]): Record<string, StepState> {
  return Object.fromEntries(steps.map((s) => [s.id, 'pending' as const]));
}

function applyEvent(state: PipelineState, event: PipelineEvent): PipelineState {
  switch (event.type) {
    case 'run-started':
      return clampCursor({
        ...state,
        steps: event.steps,
        stepStates: pendingStates(event.steps),
        stepWallMs: {},
        running: [],
        stepStatus: {},
        finished: {},
        failure: null,
        phase: state.phase === 'cancelling' ? 'cancelling' : 'running',
      });
    case 'step-started':
      return { ...state, stepStates: { ...state.stepStates, [event.stepId]: 'running' } };
    case 'step-skipped':
      return { ...state, stepStates: { ...state.stepStates, [event.stepId]: 'skipped' } };
    case 'statement-started': {
      const atomic = state.steps.find((s) => s.id === event.stepId)?.atomic ?? false;
      const status = atomic ? state.stepStatus[event.stepId] : undefined;
      return {
        ...state,
        running: [...state.running, { stepId: event.stepId, statementId: event.statementId, startedAt: event.at, ...(status ? { status } : {}) }],
      };
    }
    case 'statement-status':
      return {
        ...state,
        running: state.running.map((r) => (r.statementId === event.statementId ? { ...r, status: event.status } : r)),
        stepStatus: { ...state.stepStatus, [event.stepId]: event.status },
      };
    case 'statement-finished':
      return {
        ...state,
        running: state.running.filter((r) => r.statementId !== event.statementId),
        finished: {
          ...state.finished,
          [event.statementId]: { ok: true, engineMs: event.engineMs, wallMs: event.wallMs, rowsAffected: event.rowsAffected },
        },
      };
    case 'check-finished':
      return state;
    case 'step-finished':
      return {
        ...state,
        stepStates: { ...state.stepStates, [event.stepId]: 'done' },
        stepWallMs: { ...state.stepWallMs, [event.stepId]: event.wallMs },
      };
    case 'step-failed': {
      const failed = event.statementId ? state.running.find((r) => r.statementId === event.statementId) : undefined;
      return {
        ...state,
        stepStates: { ...state.stepStates, [event.stepId]: 'failed' },
        running: state.running.filter((r) => r.stepId !== event.stepId),
        failure: state.failure ?? { stepId: event.stepId, statementId: event.statementId, error: event.error },
        finished:
          failed && event.statementId
            ? { ...state.finished, [event.statementId]: { ok: false, wallMs: event.at - failed.startedAt, rowsAffected: null } }
            : state.finished,
      };
    }
    case 'run-finished': {
      const failedStepId = Object.entries(state.stepStates).find(([, s]) => s === 'failed')?.[0];
      const cursorStep = failedStepId ?? state.steps[0]?.id;
      const rows = planRows(state);
      const cursor = Math.max(0, rows.findIndex((r) => r.kind === 'step' && r.step.id === cursorStep));
      return {
        ...state,
        phase: 'idle',
        running: [],
        cursor: event.ok ? state.cursor : cursor,
        lastRun: {
          ok: event.ok,
          cancelled: event.cancelled,
          wallMs: event.wallMs,
          failedStepId,
          message: event.error?.message,
          failure: state.failure ?? (event.error ? { error: event.error } : undefined),
        },
      };
    }
  }
}

export function pipelineReducer(state: PipelineState, action: PipelineAction): PipelineState {
  switch (action.type) {
    case 'plan-loaded':
      return clampCursor({
        ...state,
        steps: action.steps,
        planFiles: action.files ?? null,
        planError: null,
        phase: state.phase === 'planning' ? 'idle' : state.phase,
        stepStates: state.phase === 'running' ? state.stepStates : pendingStates(action.steps),
      });
    case 'plan-failed':
      return { ...state, planError: action.message, phase: state.phase === 'planning' ? 'idle' : state.phase };
    case 'toggle-incremental': {
      // Off, then on, then on reloading changed files, then off again.
      if (state.phase === 'running' || state.phase === 'cancelling') return state;
      const [incremental, reloadChanged] = !state.incremental ? [true, false] : !state.reloadChanged ? [true, true] : [false, false];
      return { ...state, incremental, reloadChanged, planFiles: null };
    }
    case 'toggle-skip-staging':
      return state.phase === 'running' || state.phase === 'cancelling' ? state : { ...state, skipStaging: !state.skipStaging };
    case 'move':
      return clampCursor({ ...state, cursor: state.cursor + action.delta });
    case 'toggle-expand': {
      const row = selectedRow(state);
      if (!row) return state;
      const expanded = { ...state.expanded, [row.step.id]: !state.expanded[row.step.id] };
      const next = { ...state, expanded };
      const cursor = planRows(next).findIndex((r) => r.kind === 'step' && r.step.id === row.step.id);
      return { ...next, cursor };
    }
    case 'toggle-sql':
      return { ...state, showSql: !state.showSql, sqlScroll: 0 };
    case 'close-sql':
      return { ...state, showSql: false };
    case 'scroll-sql':
      return { ...state, sqlScroll: Math.max(0, Math.min(action.max, state.sqlScroll + action.delta)) };
    case 'run-requested':
      return { ...state, phase: 'running', lastRun: null, planError: null, showSql: false, failure: null };
    case 'cancel-requested':
      return state.phase === 'running' ? { ...state, phase: 'cancelling' } : state;
    case 'event':
      return applyEvent(state, action.event);
    case 'history-loaded':
      return { ...state, history: action.history };
    case 'run-crashed':
      return {
        ...state,
        phase: 'idle',
        running: [],
        lastRun: { ok: false, cancelled: action.cancelled, wallMs: 0, message: action.message, failure: action.error ? { error: action.error } : undefined },
      };
  }
}
