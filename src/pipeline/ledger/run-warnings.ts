// What a person should read before a run starts, worded once for the command
// line and the app: warnings from preparing the run (an S3 listing that
// failed, entries of a source folder that are not regular files), files
// changed since they were loaded, files the source no longer has.
import type { PlannedRun } from './run.js';

/** How the reporter's user does what a warning suggests: a flag on the command line, a key in the app. */
export interface WarningRemedies {
  reloadChanged: string;
  listGone: string;
}

export const CLI_REMEDIES: WarningRemedies = { reloadChanged: '--reload-changed reloads it', listGone: 'run --plan names them' };

/** How many of the skipped entries a warning names: enough to find them, not a screenful. */
export const SKIPPED_NAMED = 3;

/**
 * Named pipes, sockets and devices in the sources, skipped as `aws s3 sync`
 * skips them: `count` of them, `first` the first few paths.
 */
export function skippedEntriesWarning(count: number, first: string[]): string {
  const named = first.slice(0, SKIPPED_NAMED);
  const more = count > named.length ? ` and ${(count - named.length).toLocaleString('en-US')} more` : '';
  const what = count === 1 ? '1 entry in the sources is not a regular file' : `${count.toLocaleString('en-US')} entries in the sources are not regular files`;
  return `${what} (a named pipe, socket or device) and ${count === 1 ? 'is' : 'are'} not loaded: ${named.join(', ')}${more}`;
}

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
