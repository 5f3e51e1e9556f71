// A log folder big enough that its load takes seconds: copies of the course's month of events.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COURSE_DATA } from './cli.js';

/** Writes `copies` copies of the course's November event files under `dir` (one folder a copy) and returns it. */
export function copiesOfTheMonth(dir: string, copies = 60): string {
  const month = join(COURSE_DATA, 'log_data/2018/11');
  const days = readdirSync(month);
  for (let i = 0; i < copies; i++) {
    mkdirSync(join(dir, String(i)), { recursive: true });
    for (const day of days) cpSync(join(month, day), join(dir, String(i), day));
  }
  return dir;
}
