// What a finished run means for the analytics tables, in the words both the
// plain reporter and the app's run summary use.
import type { AnalyticsState } from './events.js';

/** One sentence on what the analytics tables hold, or undefined for a run that succeeded without touching them. */
export function analyticsSentence(state: AnalyticsState, ok: boolean): string | undefined {
  switch (state) {
    case 'unchanged':
      return ok ? undefined : 'the analytics tables are as they were before this run';
    case 'refreshed':
      return "the analytics tables hold this run's data";
    case 'refreshed-unchecked':
      return "the analytics tables hold this run's new data, not yet checked";
    case 'refreshed-failed-check':
      return "the analytics tables hold this run's new data, which did not pass the checks";
  }
}

/** How a table's row count moved since the previous run: `+120`, `-3`, `±0`; empty when there is nothing to compare with. */
export function rowChange(rows: number, previous: number | undefined): string {
  if (previous === undefined) return '';
  const delta = rows - previous;
  return delta > 0 ? `+${delta.toLocaleString('en-US')}` : delta < 0 ? `-${(-delta).toLocaleString('en-US')}` : '±0';
}
