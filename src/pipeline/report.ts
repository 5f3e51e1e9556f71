// The plain-text reporter: pipeline events as lines on stderr, for scripts,
// CI and terminals without the app. The Ink pipeline screen reads the same events.
import type { PipelineEvent, PlannedStep } from './events.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export interface Reporter {
  (event: PipelineEvent): void;
}

export function createTextReporter(write: (line: string) => void): Reporter {
  let steps = new Map<string, PlannedStep>();
  /** The one-transaction refresh committed in this run: the analytics tables hold its data from then on. */
  let refreshed = false;
  const statementName = (stepId: string, statementId: string) =>
    steps.get(stepId)?.statements.find((s) => s.id === statementId)?.name ?? statementId;
  return (event) => {
    switch (event.type) {
      case 'run-started':
        steps = new Map(event.steps.map((s) => [s.id, s]));
        refreshed = false;
        write(`sparkify: ${event.target} warehouse ${event.label}`);
        break;
      case 'step-started':
        write(`▶ ${steps.get(event.stepId)?.title ?? event.stepId}`);
        break;
      case 'step-finished':
        if (steps.get(event.stepId)?.atomic) refreshed = true;
        break;
      case 'step-skipped':
        write(`- ${steps.get(event.stepId)?.title ?? event.stepId}: skipped (${event.reason})`);
        break;
      case 'statement-finished': {
        if (steps.get(event.stepId)?.checks) break;
        const rows = event.rowsAffected === null ? '' : `, ${event.rowsAffected.toLocaleString('en-US')} rows`;
        write(`  ✓ ${statementName(event.stepId, event.statementId)} (${seconds(event.engineMs)}${rows})`);
        break;
      }
      case 'check-finished':
        write(`  ${event.outcome.ok ? '✓' : '✗'} check: ${event.outcome.description}${event.outcome.ok ? '' : ` — ${event.outcome.failingRows} rows break it`}`);
        break;
      case 'step-failed': {
        const where = event.statementId ? ` at ${statementName(event.stepId, event.statementId)}` : '';
        write(`✗ ${steps.get(event.stepId)?.title ?? event.stepId} failed${where}: ${event.error.message}`);
        for (const detail of event.error.loadErrors ?? []) {
          const column = detail.column ? `, column ${detail.column}` : '';
          const raw = detail.rawValue !== undefined ? ` [value: ${detail.rawValue}]` : '';
          write(`    ${detail.file}:${detail.line}${column}: ${detail.reason}${raw}`);
        }
        break;
      }
      case 'run-finished': {
        if (event.tableRows && Object.keys(event.tableRows).length > 0) {
          write('rows per table:');
          for (const [table, rows] of Object.entries(event.tableRows)) write(`  ${table.padEnd(22)} ${rows.toLocaleString('en-US').padStart(12)}`);
        }
        if (event.ok) write(`done in ${seconds(event.wallMs)}`);
        else if (refreshed && event.cancelled)
          write(`cancelled after ${seconds(event.wallMs)}, during the checks: the analytics tables hold this run's new data, not yet checked`);
        else if (refreshed) write(`failed after ${seconds(event.wallMs)}: the analytics tables hold this run's new data, which did not pass the checks above`);
        else if (event.cancelled) write(`cancelled after ${seconds(event.wallMs)}: the analytics tables are as they were before this run`);
        else write(`failed after ${seconds(event.wallMs)}; the analytics tables are as they were before this run`);
        break;
      }
      default:
        break;
    }
  };
}
