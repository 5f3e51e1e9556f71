// Writes a query result to a CSV or JSON file through the same formatter as
// `sparkify query --format`, page by page, so a large export never holds the
// result whole. The file appears only when complete: rows go to a temporary
// file that is renamed at the end.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeResult } from './format.js';
import type { QueryResult } from './warehouse/types.js';

export type ExportFormat = 'csv' | 'json';

export function exportDirectory(home: string): string {
  return join(home, 'exports');
}

/** `query-20181115-093000-123.csv`: sortable, and new for every export. */
export function exportFileName(format: ExportFormat, now = new Date()): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const date = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}-${pad(now.getMilliseconds(), 3)}`;
  return `query-${date}-${time}.${format}`;
}

/**
 * Streams `result` into `path`; returns the rows written. The result is
 * closed either way, and on failure (an abort included) no file is left.
 */
export async function exportResult(result: QueryResult, format: ExportFormat, path: string): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.partial`;
  const out = createWriteStream(temporary, { encoding: 'utf8', mode: 0o600 });
  try {
    const rows = await writeResult(result, {
      format,
      write: async (text) => {
        if (!out.write(text)) await once(out, 'drain');
      },
    });
    out.end();
    await once(out, 'finish');
    await rename(temporary, path);
    return rows;
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    throw error;
  } finally {
    await result.close();
  }
}
