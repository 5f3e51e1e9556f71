// The plain-text reporter: pipeline events as lines on stderr, for scripts,
// CI and terminals without the app. The Ink pipeline screen reads the same events.
import type { PipelineEvent, PlannedStep } from './events.js';
import { escapeControls } from './format.js';
import { analyticsSentence, rowChange } from './run-outcome.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export interface Reporter {
  (event: PipelineEvent): void;
}

export function createTextReporter(write: (line: string) => void): Reporter {
  let steps = new Map<string, PlannedStep>();
  const statementName = (stepId: string, statementId: string) =>
    steps.get(stepId)?.statements.find((s) => s.id === statementId)?.name ?? statementId;
  return (event) => {
    switch (event.type) {
      case 'run-started':
        steps = new Map(event.steps.map((s) => [s.id, s]));
        write(`sparkify: ${event.target} warehouse ${event.label}`);
        break;
      case 'step-started':
        write(`▶ ${steps.get(event.stepId)?.title ?? event.stepId}`);
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
        // File names, reasons and values come from the data: escaped as query output escapes them.
        write(`✗ ${steps.get(event.stepId)?.title ?? event.stepId} failed${where}: ${event.error.message}`.split('\n').map(escapeControls).join('\n'));
        for (const detail of event.error.loadErrors ?? []) {
          const column = detail.column ? `, column ${detail.column}` : '';
          const raw = detail.rawValue !== undefined ? ` [value: ${detail.rawValue}]` : '';
          write(`    ${escapeControls(`${detail.file}:${detail.line}${column}: ${detail.reason}${raw}`)}`);
        }
        break;
      }
      case 'run-finished': {
        if (event.tableRows && Object.keys(event.tableRows).length > 0) {
          const previous = event.previousTableRows;
          write(previous ? 'rows per table (change since the previous run):' : 'rows per table:');
          for (const [table, rows] of Object.entries(event.tableRows)) {
            const change = rowChange(rows, previous?.[table]);
            write(`  ${table.padEnd(22)} ${rows.toLocaleString('en-US').padStart(12)}${change ? `  ${change}` : ''}`);
          }
        }
        const outcome = event.ok ? 'done in' : event.cancelled ? 'cancelled after' : 'failed after';
        const sentence = analyticsSentence(event.analytics, event.ok);
        write(`${outcome} ${seconds(event.wallMs)}${sentence ? `: ${sentence}` : ''}`);
        break;
      }
      default:
        break;
    }
  };
}
