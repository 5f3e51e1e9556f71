// The plan as steps and statements, the statements running now with live
// timers, a failed run's error, and the keys to run, resume, skip staging and
// read the SQL. Finished statements print into the transcript above (see
// PipelineRunProvider).
import { useEffect } from 'react';
import { Box, Text } from 'ink';
import type { PlannedStep } from '../../pipeline/events.js';
import { ElapsedTimer } from '../components/elapsed-timer.js';
import { slowerThanUsual, sparkline } from '../../pipeline/ledger/present.js';
import { formatCount, formatSeconds } from '../components/format.js';
import { Spinner } from '../components/spinner.js';
import { useAppActions, useAppState } from '../contexts/app-context.js';
import { usePipelineRun } from '../contexts/pipeline-run-context.js';
import { planRows, selectedRow, type PipelineState, type PlanRow, type RunningStatement, type StepState } from '../hooks/pipeline-reducer.js';
import { useKeys } from '../hooks/use-keys.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { useTimer } from '../hooks/use-timer.js';
import { matches } from '../key-bindings.js';
import { ErrorPanel, errorPanelLayout, type ErrorPanelLayout } from './pipeline-error-panel.js';
import { SqlView, sqlViewLines, sqlViewPage } from './pipeline-sql-view.js';

/** Plan rows the list keeps however much else the screen shows. */
const MIN_LIST_ROWS = 3;

const STEP_ICONS: Record<Exclude<StepState, 'running'>, { icon: string; color?: string }> = {
  pending: { icon: '·', color: 'gray' },
  done: { icon: '✓', color: 'green' },
  failed: { icon: '✗', color: 'red' },
  skipped: { icon: '–', color: 'gray' },
};

function StepIcon({ state }: { state: StepState }) {
  if (state === 'running') return <Spinner />;
  const { icon, color } = STEP_ICONS[state];
  return <Text color={color}>{icon}</Text>;
}

function RowView({ row, state, selected }: { row: PlanRow; state: PipelineState; selected: boolean }) {
  const pointer = <Text color="cyan">{selected ? '❯' : ' '}</Text>;
  if (row.kind === 'step') {
    const stepState = state.stepStates[row.step.id] ?? 'pending';
    const wall = state.stepWallMs[row.step.id];
    const count = row.step.statements.length;
    const past = state.history?.durations[row.step.id] ?? [];
    const slow = slowerThanUsual(past);
    return (
      <Text wrap="truncate-end">
        {pointer} <StepIcon state={stepState} /> <Text bold={selected}>{row.step.title}</Text>
        <Text dimColor>
          {' '}
          {state.expanded[row.step.id] ? '▾' : '▸'} {count} statement{count === 1 ? '' : 's'}
          {row.step.atomic ? ' · one transaction' : ''}
          {row.step.skip && stepState === 'pending' ? ' · will be skipped' : ''}
          {wall !== undefined ? ` · ${formatSeconds(wall)}` : ''}
          {past.length > 0 ? ` · ${sparkline(past)}` : ''}
        </Text>
        {slow !== undefined ? <Text color="yellow"> ▲ {slow.toFixed(1)}× its median</Text> : null}
      </Text>
    );
  }
  const finished = state.finished[row.statement.id];
  const running = state.running.some((r) => r.statementId === row.statement.id);
  return (
    <Text wrap="truncate-end">
      {pointer}
      {'   '}
      {running ? <Spinner /> : finished ? <Text color={finished.ok ? 'green' : 'red'}>{finished.ok ? '✓' : '✗'}</Text> : <Text dimColor>·</Text>}{' '}
      {row.statement.name}
      {finished?.ok ? (
        <Text dimColor>
          {' '}
          engine {formatSeconds(finished.engineMs ?? 0)}
          {finished.rowsAffected !== null ? ` · ${formatCount(finished.rowsAffected)} rows` : ''}
        </Text>
      ) : null}
    </Text>
  );
}

function RunningLine({ running, steps }: { running: RunningStatement; steps: PlannedStep[] }) {
  const name = steps.flatMap((s) => s.statements).find((s) => s.id === running.statementId)?.name ?? running.statementId;
  return (
    <Text wrap="truncate-end">
      <Spinner /> {name}{' '}
      <Text color="yellow">
        <ElapsedTimer isActive resetKey={running.statementId} />
      </Text>
      {running.status ? <Text dimColor> {running.status}</Text> : null}
    </Text>
  );
}

/** The run's state in a line; a failed run's whole error in a panel, unless the SQL view needs the room. */
function RunStatus({ state, panel }: { state: PipelineState; panel?: ErrorPanelLayout }) {
  const runWall = useTimer(state.phase === 'running' || state.phase === 'cancelling', state.phase === 'idle');
  if (state.phase === 'planning') return <Text dimColor>reading the plan…</Text>;
  if (state.phase === 'running') return <Text color="yellow">running · {formatSeconds(runWall)} · Ctrl-C cancels</Text>;
  if (state.phase === 'cancelling') return <Text color="yellow">cancelling the running statement… (Ctrl-C again leaves)</Text>;
  const last = state.lastRun;
  if (!last) return <Text dimColor>ready · r runs the pipeline</Text>;
  if (last.ok) return <Text color="green">last run finished in {formatSeconds(last.wallMs)}</Text>;
  if (last.cancelled) return <Text color="yellow">last run cancelled{last.failedStepId ? ` at ${last.failedStepId}` : ''} · f resumes from the selected step</Text>;
  if (last.failure && panel) return <ErrorPanel failure={last.failure} steps={state.steps} layout={panel} />;
  return (
    <Box flexDirection="column">
      <Text color="red" wrap="truncate-end">
        last run failed{last.failedStepId ? ` at ${last.failedStepId}` : ''}
        {last.message ? `: ${last.message.split('\n')[0]}` : ''}
      </Text>
      <Text dimColor>fix the cause, then f resumes from the selected step</Text>
    </Box>
  );
}

export function PipelineScreen({ isActive, height }: { isActive: boolean; height: number }) {
  const { state, dispatch, run } = usePipelineRun();
  const rows = planRows(state);
  const busy = state.phase === 'running' || state.phase === 'cancelling';
  const { columns } = useTerminalSize();
  const local = (useAppState().config?.target ?? 'local') === 'local';
  // Border and padding take four columns.
  const sqlWidth = columns - 4;
  const failure = state.phase === 'idle' && state.lastRun && !state.lastRun.ok && !state.lastRun.cancelled && !state.showSql ? state.lastRun.failure : undefined;
  const sqlHeight = height - 5 - (state.lastRun && !state.lastRun.ok ? 1 : 0);
  const sqlLines = state.showSql ? sqlViewLines(selectedRow(state), sqlWidth, local) : [];

  // While a run is under way or the SQL is open, run, run-from and skip-staging do nothing: the help line says so by leaving them out.
  const actions = useAppActions();
  const runKeysOff = busy || state.showSql;
  useEffect(() => {
    actions.keysOff(runKeysOff ? ['pipeline.run', 'pipeline.run-from', 'pipeline.toggle-skip-staging', 'pipeline.toggle-incremental'] : []);
  }, [runKeysOff, actions]);
  useEffect(() => () => actions.keysOff([]), [actions]);

  useKeys((input, key) => {
    if (state.showSql) {
      const page = sqlViewPage(sqlHeight);
      const max = Math.max(0, sqlLines.length - page);
      if (matches('pipeline.show-sql', input, key) || key.escape) dispatch({ type: 'close-sql' });
      else if (matches('list.up', input, key)) dispatch({ type: 'scroll-sql', delta: -1, max });
      else if (matches('list.down', input, key)) dispatch({ type: 'scroll-sql', delta: 1, max });
      else if (matches('pipeline.sql-page-up', input, key)) dispatch({ type: 'scroll-sql', delta: -page, max });
      else if (matches('pipeline.sql-page-down', input, key)) dispatch({ type: 'scroll-sql', delta: page, max });
      return;
    }
    if (matches('list.up', input, key)) dispatch({ type: 'move', delta: -1 });
    else if (matches('list.down', input, key)) dispatch({ type: 'move', delta: 1 });
    else if (matches('pipeline.expand', input, key)) dispatch({ type: 'toggle-expand' });
    else if (matches('pipeline.show-sql', input, key)) dispatch({ type: 'toggle-sql' });
    else if (busy) return;
    else if (matches('pipeline.run', input, key)) run();
    else if (matches('pipeline.run-from', input, key)) {
      const row = selectedRow(state);
      if (row) run(row.step.id);
    } else if (matches('pipeline.toggle-skip-staging', input, key)) dispatch({ type: 'toggle-skip-staging' });
    else if (matches('pipeline.toggle-incremental', input, key)) dispatch({ type: 'toggle-incremental' });
  }, { isActive });

  // The plan list keeps at least three rows; a failed run's panel takes what is left, the status line's place included.
  const reservedBase = 6 + state.running.length + (state.incremental && state.planFiles ? 1 : 0);
  const panel = failure ? errorPanelLayout(failure, sqlWidth, height - reservedBase + 1 - MIN_LIST_ROWS) : undefined;
  const reserved = reservedBase + (panel ? panel.height - 1 : state.lastRun && !state.lastRun.ok ? 1 : 0);
  const listHeight = Math.max(MIN_LIST_ROWS, height - reserved);
  const first = Math.max(0, Math.min(state.cursor - Math.floor(listHeight / 2), rows.length - listHeight));
  const visible = rows.slice(first, first + listHeight);

  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>plan</Text>
        <Text dimColor>
          {' '}
          {state.steps.length} steps · skip-staging {state.skipStaging ? 'on' : 'off'} · incremental {state.incremental ? (state.reloadChanged ? 'on, reloading changed files' : 'on') : 'off'}
        </Text>
      </Text>
      {state.incremental && state.planFiles ? <Text wrap="truncate-end">{state.planFiles}</Text> : null}
      {state.planError ? <Text color="red">{state.planError}</Text> : null}
      {state.showSql ? (
        <SqlView lines={sqlLines} height={sqlHeight} scroll={state.sqlScroll} width={sqlWidth} />
      ) : (
        <Box flexDirection="column">
          {first > 0 ? <Text dimColor>  ↑ {first} more</Text> : null}
          {visible.map((row, i) => (
            <RowView
              key={row.kind === 'step' ? row.step.id : row.statement.id}
              row={row}
              state={state}
              selected={first + i === state.cursor}
            />
          ))}
          {first + listHeight < rows.length ? <Text dimColor>  ↓ {rows.length - first - listHeight} more</Text> : null}
        </Box>
      )}
      {state.running.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          {state.running.map((r) => (
            <RunningLine key={r.statementId} running={r} steps={state.steps} />
          ))}
        </Box>
      ) : null}
      <Box marginTop={1}>
        <RunStatus state={state} panel={panel} />
      </Box>
    </Box>
  );
}
