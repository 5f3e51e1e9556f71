// The pipeline run lives above the screens, so it goes on while another screen
// is up. It feeds runPipeline's events into the pipeline reducer and prints
// finished statements, load errors and the summary into the transcript.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SparkifyConfig } from '../../pipeline/config.js';
import { ExitCode, SparkifyError, isAbortError, LoadError } from '../../pipeline/errors.js';
import type { PipelineEvent, PlannedStep } from '../../pipeline/events.js';
import { analyticsSentence } from '../../pipeline/run-outcome.js';
import { initialPipelineState, pipelineReducer, type PipelineAction, type PipelineState, type RunHistory } from '../hooks/pipeline-reducer.js';
import type { Warehouse } from '../../pipeline/warehouse/types.js';
import type { FetchProgress } from '../../pipeline/s3/cache.js';
import { useAppActions, useAppState, type AppActions } from './app-context.js';

export interface PipelineRunApi {
  state: PipelineState;
  dispatch: (action: PipelineAction) => void;
  /** Runs the whole plan, or from `fromStep` on (resume after a failure). */
  run: (fromStep?: string) => void;
  cancel: () => void;
}

const PipelineRunContext = createContext<PipelineRunApi | null>(null);

export function usePipelineRun(): PipelineRunApi {
  const api = useContext(PipelineRunContext);
  if (!api) throw new Error('usePipelineRun outside PipelineRunProvider');
  return api;
}

/** Runs shown in the pipeline screen's sparklines. */
const HISTORY_RUNS = 10;

async function loadHistory(warehouse: Warehouse): Promise<RunHistory> {
  const { listRuns, stepDurations } = await import('../../pipeline/ledger/history.js');
  const [last] = await listRuns(warehouse, 1);
  return { last, durations: await stepDurations(warehouse, HISTORY_RUNS) };
}

/**
 * The plan a run will run, planned as the run plans it: the refresh ends with
 * the ledger's statements, as many as the files listed make (an incremental
 * plan also asks the ledger which files are new).
 */
async function loadPlan(config: SparkifyConfig, mode: 'full' | 'incremental', skipStaging: boolean, reloadChanged: boolean, actions: AppActions): Promise<{ steps: PlannedStep[]; files?: string }> {
  const [{ planRun }, { selectionSummary }, { resolveSources, resolveTarget, s3SourceOptions }, warehouse] = await Promise.all([
    import('../../pipeline/ledger/run.js'),
    import('../../pipeline/ledger/plan-text.js'),
    import('../../pipeline/connect.js'),
    actions.warehouse(),
  ]);
  const { songData, logData, ...rest } = resolveSources({}, config);
  const sources = songData && logData ? { songData, logData, ...rest } : undefined;
  const s3 = s3SourceOptions(resolveTarget({}, config), config, sources);
  const planned = await planRun(warehouse, { scope: 'run', mode, sources, skipStaging, reloadChanged: mode === 'incremental' && reloadChanged, dryRun: true, s3 });
  return { steps: planned.steps, files: mode === 'incremental' ? selectionSummary(planned.selections) : undefined };
}

/** The app's way to do what a run warning suggests. */
const APP_REMEDIES = { reloadChanged: 'incremental reloading changed files, i, reloads it', listGone: '`sparkify run --plan` names them' };

function describe(error: unknown): { message: string; hint?: string } {
  if (error instanceof SparkifyError) return { message: error.message, hint: error.hint };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** What one run has printed so far. */
interface RunPrintState {
  started: Map<string, number>;
  /** A failure was printed under its statement, so the summary need not repeat it. */
  failurePrinted: boolean;
}

/** Prints what an event leaves behind for good. */
function printEvent(event: PipelineEvent, steps: PlannedStep[], print: AppActions['print'], printed: RunPrintState): void {
  const { started } = printed;
  const name = (statementId: string) =>
    steps.flatMap((s) => s.statements).find((s) => s.id === statementId)?.name ?? statementId;
  switch (event.type) {
    case 'statement-started':
      started.set(event.statementId, event.at);
      return;
    case 'statement-finished':
      print({ kind: 'statement', name: name(event.statementId), ok: true, engineMs: event.engineMs, wallMs: event.wallMs, rows: event.rowsAffected });
      return;
    case 'step-skipped':
      print({ kind: 'note', text: `– ${steps.find((s) => s.id === event.stepId)?.title ?? event.stepId} skipped: ${event.reason}`, tone: 'dim' });
      return;
    case 'step-failed': {
      const statementName = event.statementId ? name(event.statementId) : (steps.find((s) => s.id === event.stepId)?.title ?? event.stepId);
      const startedAt = event.statementId ? started.get(event.statementId) : undefined;
      print({
        kind: 'statement',
        name: statementName,
        ok: false,
        wallMs: startedAt === undefined ? 0 : event.at - startedAt,
        error: event.error.message + (event.error.hint ? `\n  ${event.error.hint}` : ''),
      });
      if (event.error.loadErrors && event.error.loadErrors.length > 0) print({ kind: 'load-errors', details: event.error.loadErrors });
      printed.failurePrinted = true;
      return;
    }
    case 'run-finished':
      print({
        kind: 'summary',
        ok: event.ok,
        cancelled: event.cancelled,
        wallMs: event.wallMs,
        analytics: analyticsSentence(event.analytics, event.ok),
        tableRows: event.tableRows ?? {},
        previousTableRows: event.previousTableRows,
        checks: event.checks ?? [],
        error: event.ok || event.cancelled || printed.failurePrinted ? undefined : event.error?.message,
      });
      return;
    default:
      return;
  }
}

export function PipelineRunProvider({ children }: { children: ReactNode }) {
  const { config } = useAppState();
  const actions = useAppActions();
  // The reducer runs in dispatch rather than in useReducer, so a run started by
  // the key after a toggle (k, then r) sees the toggle before React renders it.
  const [state, setState] = useState(initialPipelineState);
  const stateRef = useRef(state);
  const dispatch = useCallback((action: PipelineAction) => {
    stateRef.current = pipelineReducer(stateRef.current, action);
    setState(stateRef.current);
  }, []);
  const controllerRef = useRef<AbortController | null>(null);

  // The ledger's history: at start, and again after each run.
  const historyKey = state.phase === 'idle' ? state.lastRun : 'busy';
  useEffect(() => {
    if (!config || historyKey === 'busy') return;
    let stale = false;
    actions
      .warehouse()
      .then(loadHistory)
      .then(
        (history) => !stale && dispatch({ type: 'history-loaded', history }),
        // No history to show (no warehouse yet, or it cannot be reached): the screens say so where it matters.
        () => undefined,
      );
    return () => {
      stale = true;
    };
  }, [config, actions, historyKey, dispatch]);

  useEffect(() => {
    if (!config || state.phase === 'running' || state.phase === 'cancelling') return;
    let stale = false;
    const planned = loadPlan(config, state.incremental ? 'incremental' : 'full', state.skipStaging, state.reloadChanged, actions);
    planned.then(
      ({ steps, files }) => !stale && dispatch({ type: 'plan-loaded', steps, files }),
      (error: unknown) => !stale && dispatch({ type: 'plan-failed', message: formatError(describe(error)) }),
    );
    return () => {
      stale = true;
    };
    // The plan is rebuilt when the config, skip-staging or the mode changes, and after a run; not on every phase change.
  }, [config, state.skipStaging, state.incremental, state.reloadChanged, state.incremental ? historyKey : null]);

  const run = useCallback(
    (fromStep?: string) => {
      const current = stateRef.current;
      if (!config || current.phase === 'running' || current.phase === 'cancelling') return;
      const controller = new AbortController();
      controllerRef.current = controller;
      const done = actions.startWork('pipeline running', () => {
        dispatch({ type: 'cancel-requested' });
        controller.abort();
      });
      dispatch({ type: 'run-requested' });
      actions.print({ kind: 'note', text: fromStep ? `▶ pipeline from ${fromStep}` : '▶ pipeline run', tone: 'info' });
      void (async () => {
        try {
          const [{ planRun, runRecorded }, { runWarnings }, { resolveSources, resolveTarget, s3SourceOptions }, { fetchEndText }, warehouse] = await Promise.all([
            import('../../pipeline/ledger/run.js'),
            import('../../pipeline/ledger/run-warnings.js'),
            import('../../pipeline/connect.js'),
            import('../../pipeline/s3/progress-text.js'),
            actions.warehouse(),
          ]);
          const { songData, logData, ...rest } = resolveSources({}, config);
          const sources = songData && logData ? { songData, logData, ...rest } : undefined;
          const mode = current.incremental ? 'incremental' : 'full';
          // S3 sources fetched for the local engine: a line for each prefix once it is in the cache.
          const s3 = {
            ...s3SourceOptions(resolveTarget({}, config), config, sources),
            onProgress: (p: FetchProgress) => {
              const text = p.filesDone === p.files ? fetchEndText(p) : undefined;
              if (text) actions.print({ kind: 'note', text, tone: 'dim' });
            },
          };
          const planned = await planRun(warehouse, { scope: 'run', mode, sources, skipStaging: current.skipStaging, reloadChanged: current.incremental && current.reloadChanged, fromStep, signal: controller.signal, s3 });
          // The warnings `sparkify run` prints before it starts, in the same words.
          for (const warning of runWarnings(planned, APP_REMEDIES)) actions.print({ kind: 'note', text: `warning: ${warning}`, tone: 'warning' });
          const steps = planned.steps;
          const printed: RunPrintState = { started: new Map(), failurePrinted: false };
          const startedAt = new Date();
          // The run is over on screen once its generator has cleaned up too: a key pressed after
          // "last run …" then finds no work running (Ctrl-C leaves with 0, not 130).
          let finished: PipelineEvent | undefined;
          const onWarning = (warning: string) => actions.print({ kind: 'note', text: `warning: ${warning}`, tone: 'warning' });
          for await (const event of runRecorded(warehouse, planned, { signal: controller.signal, fromStep, onWarning })) {
            if (event.type === 'run-finished') {
              finished = event;
              continue;
            }
            dispatch({ type: 'event', event });
            printEvent(event, steps, actions.print, printed);
          }
          if (finished) {
            dispatch({ type: 'event', event: finished });
            printEvent(finished, steps, actions.print, printed);
          }
          // What the run used of a Serverless workgroup, and its price, as `sparkify run` says it.
          if (config.target === 'redshift' && config.redshift.workgroupName && !controller.signal.aborted) {
            const { serverlessRunLine } = await import('../../pipeline/provision/serverless-usage.js');
            actions.print({ kind: 'note', text: await serverlessRunLine(warehouse, startedAt, config.prices, controller.signal), tone: 'dim' });
          }
        } catch (error) {
          const cancelled = isAbortError(error);
          const described = describe(error);
          const info = { ...described, exitCode: error instanceof SparkifyError ? error.exitCode : ExitCode.failure, loadErrors: error instanceof LoadError ? error.details : undefined };
          dispatch({ type: 'run-crashed', message: described.message, cancelled, error: info });
          actions.print({ kind: 'note', text: `✗ ${formatError(described)}`, tone: cancelled ? 'dim' : 'error' });
          if (error instanceof LoadError) actions.print({ kind: 'load-errors', table: error.table, details: error.details });
        } finally {
          controllerRef.current = null;
          done();
        }
      })();
    },
    [config, actions, dispatch],
  );

  const cancel = useCallback(() => {
    if (!controllerRef.current) return;
    dispatch({ type: 'cancel-requested' });
    controllerRef.current.abort();
  }, [dispatch]);

  const api = useMemo(() => ({ state, dispatch, run, cancel }), [state, dispatch, run, cancel]);
  return <PipelineRunContext.Provider value={api}>{children}</PipelineRunContext.Provider>;
}

function formatError({ message, hint }: { message: string; hint?: string }): string {
  return hint ? `${message}\n  ${hint}` : message;
}
