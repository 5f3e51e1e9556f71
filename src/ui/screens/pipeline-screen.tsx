// The plan as steps and statements, the statements running now with live
// timers, and the keys to run, resume, skip staging and read the SQL. Finished
// statements print into the transcript above (see PipelineRunProvider).
import { Box, Text, useInput } from 'ink';
import type { PlannedStep } from '../../pipeline/events.js';
import { ElapsedTimer } from '../components/elapsed-timer.js';
import { formatCount, formatSeconds } from '../components/format.js';
import { Spinner } from '../components/spinner.js';
import { usePipelineRun } from '../contexts/pipeline-run-context.js';
import { planRows, selectedRow, type PipelineState, type PlanRow, type RunningStatement, type StepState } from '../hooks/pipeline-reducer.js';
import { useTimer } from '../hooks/use-timer.js';
import { matches } from '../key-bindings.js';

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
    return (
      <Text wrap="truncate-end">
        {pointer} <StepIcon state={stepState} /> <Text bold={selected}>{row.step.title}</Text>
        <Text dimColor>
          {' '}
          {state.expanded[row.step.id] ? '▾' : '▸'} {count} statement{count === 1 ? '' : 's'}
          {row.step.atomic ? ' · one transaction' : ''}
          {row.step.skip && stepState === 'pending' ? ' · will be skipped' : ''}
          {wall !== undefined ? ` · ${formatSeconds(wall)}` : ''}
        </Text>
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

function RunStatus({ state }: { state: PipelineState }) {
  const runWall = useTimer(state.phase === 'running' || state.phase === 'cancelling', state.phase === 'idle');
  if (state.phase === 'planning') return <Text dimColor>reading the plan…</Text>;
  if (state.phase === 'running') return <Text color="yellow">running · {formatSeconds(runWall)} · Ctrl-C cancels</Text>;
  if (state.phase === 'cancelling') return <Text color="yellow">cancelling the running statement… (Ctrl-C again leaves)</Text>;
  const last = state.lastRun;
  if (!last) return <Text dimColor>ready · r runs the pipeline</Text>;
  if (last.ok) return <Text color="green">last run finished in {formatSeconds(last.wallMs)}</Text>;
  if (last.cancelled) return <Text color="yellow">last run cancelled{last.failedStepId ? ` at ${last.failedStepId}` : ''} · f resumes from the selected step</Text>;
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

function SqlView({ row, height }: { row: PlanRow | undefined; height: number }) {
  if (!row) return null;
  const statements = row.kind === 'statement' ? [row.statement] : row.step.statements;
  const lines = statements.flatMap((s) => [`-- ${s.name}`, ...s.sql.trim().split('\n'), '']);
  const shown = lines.slice(0, Math.max(1, height));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end" color={line.startsWith('--') ? 'gray' : undefined}>
          {line || ' '}
        </Text>
      ))}
      {lines.length > shown.length ? <Text dimColor>… {lines.length - shown.length} more lines (v or Esc closes)</Text> : <Text dimColor>v or Esc closes</Text>}
    </Box>
  );
}

export function PipelineScreen({ isActive, height }: { isActive: boolean; height: number }) {
  const { state, dispatch, run } = usePipelineRun();
  const rows = planRows(state);
  const busy = state.phase === 'running' || state.phase === 'cancelling';

  useInput(
    (input, key) => {
      if (state.showSql) {
        if (matches('pipeline.show-sql', input, key) || key.escape) dispatch({ type: 'close-sql' });
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
    },
    { isActive },
  );

  const reserved = 6 + state.running.length + (state.lastRun && !state.lastRun.ok ? 1 : 0);
  const listHeight = Math.max(3, height - reserved);
  const first = Math.max(0, Math.min(state.cursor - Math.floor(listHeight / 2), rows.length - listHeight));
  const visible = rows.slice(first, first + listHeight);

  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>plan</Text>
        <Text dimColor>
          {' '}
          {state.steps.length} steps · skip-staging {state.skipStaging ? 'on' : 'off'}
        </Text>
      </Text>
      {state.planError ? <Text color="red">{state.planError}</Text> : null}
      {state.showSql ? (
        <SqlView row={selectedRow(state)} height={height - 5} />
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
        <RunStatus state={state} />
      </Box>
    </Box>
  );
}
