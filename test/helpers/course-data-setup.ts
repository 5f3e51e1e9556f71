// Runs once before any test file: the tests load the real course data, so
// when it is not there they stop at once with one message saying where it
// was looked for and how to point them at it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { COURSE_DATA } from './cli.js';

const EXPECTED = ['song_data', 'log_data', 'log_json_path.json'];

export default function checkCourseData(): void {
  const missing = EXPECTED.filter((name) => !existsSync(join(COURSE_DATA, name)));
  if (missing.length === 0) return;
  throw new Error(
    `the course data is not at ${COURSE_DATA} (missing ${missing.join(', ')}): ` +
      'set SPARKIFY_COURSE_DATA to the folder that holds song_data/, log_data/ and log_json_path.json (default ../shared/data/sparkify beside the repository)',
  );
}
