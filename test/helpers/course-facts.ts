// The course data read with plain JSON.parse, no SQL engine: expected row
// counts for the scripts in test/fixtures/redshift-scripts are worked out here,
// independently of the engines that run them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COURSE_DATA } from './cli.js';

export type Json = Record<string, unknown>;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name));
}

export function courseEvents(): Json[] {
  return files(join(COURSE_DATA, 'log_data')).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Json),
  );
}

export function courseSongs(): Json[] {
  return files(join(COURSE_DATA, 'song_data')).map((file) => JSON.parse(readFileSync(file, 'utf8')) as Json);
}

/** How many distinct values `key` gives over `rows`. */
export function distinct<T>(rows: T[], key: (row: T) => unknown): number {
  return new Set(rows.map((row) => JSON.stringify(key(row)))).size;
}

/** Events' ts in whole seconds, as `TIMESTAMP 'epoch' + ts/1000 * INTERVAL '1 second'` gives it on Redshift. */
export const epochSeconds = (event: Json): number => Math.trunc(Number(event.ts) / 1000);
