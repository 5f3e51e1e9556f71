// The local engine's ledger rows for a run's files, as a CSV file under
// SPARKIFY_HOME/tmp that one COPY in the refresh's transaction reads. Held as
// INSERT text instead, the rows of 1,000,000 files were about 180 MB of SQL
// in the heap from the plan to the end of the run, and several times that in
// garbage while the rewrite for DuckDB read it. Redshift keeps the INSERTs:
// its COPY reads S3, not this machine.
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { removeAbandoned } from '../abandoned-files.js';
import { sparkifyHome } from '../config.js';
import type { FileSelection } from './files.js';

/** The loaded_files columns the list holds, in its order (rows_loaded is filled after, from the load's commits). */
export const FILE_LIST_COLUMNS = ['staging_table', 'source_uri', 'size_bytes', 'version_tag', 'run_id', 'loaded_at'] as const;

const PREFIX = 'ledger-files-';

/** Where a run's list goes; the process id in the name lets a later run remove the list of one that was killed. */
export function fileListPath(runId: string, home = sparkifyHome()): string {
  return join(home, 'tmp', `${PREFIX}${process.pid}-${runId}.csv`);
}

/** A CSV field: always quoted, so commas, quotes and line breaks in a file name load as they are. */
function field(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/** Rows written at a time: a few hundred KB of text, never the whole list. */
const ROWS_PER_WRITE = 4096;

/** Writes the rows the refresh records (every file each selection loads) to `path`; the number of rows. */
export async function writeFileList(path: string, runId: string, selections: FileSelection[], loadedAt: Date): Promise<number> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await removeAbandoned(folder, PREFIX);
  const at = field(loadedAt.toISOString().replace('T', ' ').replace('Z', ''));
  const run = field(runId);
  const handle = await open(path, 'w', 0o600);
  let rows = 0;
  try {
    for (const selection of selections) {
      const table = field(selection.table);
      for (let i = 0; i < selection.load.length; i += ROWS_PER_WRITE) {
        let text = '';
        for (const file of selection.load.slice(i, i + ROWS_PER_WRITE)) {
          text += `${table},${field(file.uri)},${file.size},${field(file.tag)},${run},${at}\n`;
        }
        await handle.write(text);
      }
      rows += selection.load.length;
    }
  } finally {
    await handle.close();
  }
  return rows;
}

