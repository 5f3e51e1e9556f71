// The suite finds the course data through SPARKIFY_COURSE_DATA and, when it is
// not there, stops before any test with one message naming the folder.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO } from './helpers/cli.js';

it('a missing course folder stops the run with one clear message', () => {
  const vitest = join(REPO, 'node_modules/vitest/vitest.mjs');
  const result = spawnSync(process.execPath, [vitest, 'run', 'test/history.test.ts'], {
    cwd: REPO,
    env: { ...process.env, SPARKIFY_COURSE_DATA: '/no/such/course-data', NO_COLOR: '1' },
    encoding: 'utf8',
  });
  expect(result.status).not.toBe(0);
  const output = result.stdout + result.stderr;
  expect(output).toContain('the course data is not at /no/such/course-data (missing song_data, log_data, log_json_path.json)');
  expect(output).toContain('set SPARKIFY_COURSE_DATA');
  expect(output).not.toMatch(/✓|passed/);
});

