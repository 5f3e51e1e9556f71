// A log folder big enough that its load takes seconds: copies of the course's month of events.
import { copyFileSync, linkSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COURSE_DATA } from './cli.js';

/**
 * Writes `copies` copies of the course's November event files under `dir` (one
 * folder a copy) and returns it. The copies are hard links where the file
 * system allows (no bytes written, so building them costs nothing): they must
 * only be read.
 */
export function copiesOfTheMonth(dir: string, copies = 60): string {
  const month = join(COURSE_DATA, 'log_data/2018/11');
  const days = readdirSync(month);
  let link = true;
  for (let i = 0; i < copies; i++) {
    mkdirSync(join(dir, String(i)), { recursive: true });
    for (const day of days) {
      const from = join(month, day);
      const to = join(dir, String(i), day);
      if (link) {
        try {
          linkSync(from, to);
          continue;
        } catch (error) {
          // Another file system (EXDEV), or one without links: copy instead.
          if (!['EXDEV', 'EPERM', 'ENOTSUP', 'EMLINK'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
          link = false;
        }
      }
      copyFileSync(from, to);
    }
  }
  return dir;
}
