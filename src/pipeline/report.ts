// The plain-text reporter: pipeline events as lines on stderr, for scripts,
// CI and terminals without the app. The Ink pipeline screen reads the same events.
//
// Steps run at once, but a log is read top to bottom: each step's lines are
// printed together under its header. The step that started first streams
// live; a step that runs beside it holds its lines until the steps before it
// are done. While nothing is printed for a while, a heartbeat line says what
// is still running, so a long load does not look hung.
import type { PipelineEvent, PlannedStep } from './events.js';
import { escapeControls } from './format.js';
import { plainColumns } from './plain-table.js';
import { analyticsSentence, rowChange } from './run-outcome.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const wholeSeconds = (ms: number) => `${Math.round(ms / 1000)} s`;

export interface Reporter {
  (event: PipelineEvent): void;
}

export interface TextReporter extends Reporter {
  /** Stops the heartbeat (run-finished stops it too). */
  close(): void;
}

export interface TextReporterOptions {
  /** A heartbeat line after this long without output while statements run (default 15 s; 0 turns it off). */
  heartbeatMs?: number;
}

interface StepLines {
  stepId: string;
  /** Lines not printed yet: the step is not first in line. */
  held: string[];
  done: boolean;
}

export function createTextReporter(write: (line: string) => void, options: TextReporterOptions = {}): TextReporter {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  let steps = new Map<string, PlannedStep>();
  const statementName = (stepId: string, statementId: string) =>
    steps.get(stepId)?.statements.find((s) => s.id === statementId)?.name ?? statementId;
  const title = (stepId: string) => steps.get(stepId)?.title ?? stepId;

  let lastOutput = Date.now();
  const out = (line: string) => {
    write(line);
    lastOutput = Date.now();
  };
  // Steps in the order they started, until all their lines are printed: the first streams, the rest hold.
  const queue: StepLines[] = [];
  const emit = (stepId: string, line: string) => {
    const entry = queue.find((e) => e.stepId === stepId);
    if (!entry || entry === queue[0]) out(line);
    else entry.held.push(line);
  };
  const open = (stepId: string, header: string) => {
    queue.push({ stepId, held: [], done: false });
    emit(stepId, header);
  };
  const drain = () => {
    while (queue[0]?.done) {
      queue.shift();
      const next = queue[0];
      if (next) next.held.splice(0).forEach(out);
    }
  };
  const finish = (stepId: string) => {
    const entry = queue.find((e) => e.stepId === stepId);
    if (entry) entry.done = true;
    drain();
  };

  const running = new Map<string, { stepId: string; statementId: string; at: number }>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const heartbeat = () => {
    const now = Date.now();
    if (running.size === 0 || now - lastOutput < heartbeatMs) return;
    const list = [...running.values()].map((s) => `${statementName(s.stepId, s.statementId)} (${wholeSeconds(now - s.at)})`);
    out(`… still running: ${list.join(', ')}`);
  };
  const close = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  const reporter = (event: PipelineEvent) => {
    switch (event.type) {
      case 'run-started':
        steps = new Map(event.steps.map((s) => [s.id, s]));
        out(`sparkify: ${event.target} warehouse ${event.label}`);
        if (heartbeatMs > 0 && !timer) {
          timer = setInterval(heartbeat, Math.max(1, Math.floor(heartbeatMs / 3)));
          timer.unref();
        }
        break;
      case 'step-started':
        open(event.stepId, `▶ ${title(event.stepId)}`);
        break;
      case 'step-skipped':
        open(event.stepId, `- ${title(event.stepId)}: skipped (${event.reason})`);
        finish(event.stepId);
        break;
      case 'statement-started':
        running.set(`${event.stepId}\0${event.statementId}`, { stepId: event.stepId, statementId: event.statementId, at: event.at });
        break;
      case 'statement-finished': {
        running.delete(`${event.stepId}\0${event.statementId}`);
        if (steps.get(event.stepId)?.checks) break;
        const rows = event.rowsAffected === null ? '' : `, ${event.rowsAffected.toLocaleString('en-US')} rows`;
        emit(event.stepId, `  ✓ ${statementName(event.stepId, event.statementId)} (${seconds(event.engineMs)}${rows})`);
        break;
      }
      case 'check-finished':
        emit(event.stepId, `  ${event.outcome.ok ? '✓' : '✗'} check: ${event.outcome.description}${event.outcome.ok ? '' : ` — ${event.outcome.failingRows} rows break it`}`);
        break;
      case 'step-finished':
        finish(event.stepId);
        break;
      case 'step-failed': {
        for (const [key, s] of running) if (s.stepId === event.stepId) running.delete(key);
        const where = event.statementId ? ` at ${statementName(event.stepId, event.statementId)}` : '';
        // File names, reasons and values come from the data: escaped as query output escapes them.
        emit(event.stepId, `✗ ${title(event.stepId)} failed${where}: ${event.error.message}`.split('\n').map(escapeControls).join('\n'));
        for (const detail of event.error.loadErrors ?? []) {
          const column = detail.column ? `, column ${detail.column}` : '';
          const raw = detail.rawValue !== undefined ? ` [value: ${detail.rawValue}]` : '';
          emit(event.stepId, `    ${escapeControls(`${detail.file}:${detail.line}${column}: ${detail.reason}${raw}`)}`);
        }
        finish(event.stepId);
        break;
      }
      case 'run-finished': {
        close();
        running.clear();
        // A cancelled run ends steps that never said so: print what they hold.
        for (const entry of queue) entry.done = true;
        drain();
        if (event.tableRows && Object.keys(event.tableRows).length > 0) {
          const previous = event.previousTableRows;
          out(previous ? 'rows per table (change since the previous run):' : 'rows per table:');
          const rows = Object.entries(event.tableRows).map(([table, rows]) => [table, rows.toLocaleString('en-US'), rowChange(rows, previous?.[table])]);
          plainColumns(rows, { right: [1], indent: '  ' }).forEach(out);
        }
        const outcome = event.ok ? 'done in' : event.cancelled ? 'cancelled after' : 'failed after';
        const sentence = analyticsSentence(event.analytics, event.ok);
        out(`${outcome} ${seconds(event.wallMs)}${sentence ? `: ${sentence}` : ''}`);
        break;
      }
      default:
        break;
    }
  };
  return Object.assign(reporter, { close });
}
