// What a person should read before a run starts, worded once for the command
// line and the app: warnings from preparing the run (an S3 listing that
// failed), files changed since they were loaded, files the source no longer has.
import type { PlannedRun } from './run.js';

/** How the reporter's user does what a warning suggests: a flag on the command line, a key in the app. */
export interface WarningRemedies {
  reloadChanged: string;
  listGone: string;
}

export const CLI_REMEDIES: WarningRemedies = { reloadChanged: '--reload-changed reloads it', listGone: 'run --plan names them' };

/** The warnings of a planned run, one line each, without the "warning: " the reporters put before them. */
export function runWarnings(planned: Pick<PlannedRun, 'warnings' | 'selections'>, remedies: WarningRemedies = CLI_REMEDIES): string[] {
  const lines = [...planned.warnings];
  for (const selection of planned.selections) {
    for (const file of selection.changed) {
      lines.push(
        selection.reloaded
          ? `${file.uri} changed since it was loaded; ${selection.table} is loaded again from its ${selection.load.length} files`
          : `${file.uri} changed since it was loaded; skipped (${remedies.reloadChanged})`,
      );
    }
    if (selection.gone.length > 0 && !selection.reloaded) {
      const files = selection.gone.length === 1 ? `1 ${selection.table} file` : `${selection.gone.length.toLocaleString('en-US')} ${selection.table} files`;
      lines.push(`${files} in the ledger no longer in the source; their rows stay (${remedies.listGone})`);
    }
  }
  return lines;
}
