// The local COPY's error report through the built CLI: `sparkify query` runs a
// COPY, a bad row exits 6 with file, line, column and reason, and the rejected
// rows are there to query in stl_load_errors, values escaped as query output escapes them.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempHome } from './helpers/cli.js';

const home = tempHome();
const env = { SPARKIFY_HOME: home };
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('COPY through sparkify query', () => {
  it('reports a bad row by file, line and column (exit 6) and keeps it in stl_load_errors', async () => {
    const data = join(home, 'rows.json');
    writeFileSync(data, '{"id": 1, "name": "\\u001b]0;owned\\u0007ok"}\n{"id": "x"}\n');
    expect((await runCli(['query', 'CREATE TABLE t (id INTEGER, name VARCHAR(3))'], { env })).code).toBe(0);
    const copy = await runCli(['query', `COPY t FROM '${data}' JSON 'auto'`], { env });
    expect(copy.code).toBe(6);
    expect(copy.stderr).toContain(`2 bad rows (first at ${data} line 1, column name: the value is 12 bytes, longer than VARCHAR(3) holds`);
    const errors = await runCli(['query', 'SELECT line_number, colname, raw_field_value, err_code FROM stl_load_errors ORDER BY line_number'], { env });
    expect(errors.stdout).toMatch(/│ +1 │ name +│ \\x1b\]0;owned\\x07ok +│ +1204 │/);
    expect(errors.stdout).toMatch(/│ +2 │ id +│ x +│ +1207 │/);
    expect(errors.stdout).not.toMatch(/[\x07\x1b]/);
  });

  it('answers for the load views on a new warehouse, empty, as a new cluster does', async () => {
    const fresh = tempHome();
    try {
      const views = ['stl_load_errors', 'stl_load_commits', 'sys_load_error_detail', 'sys_load_detail'];
      const counts = await runCli(['query', '--format', 'csv', views.map((v) => `SELECT '${v}' AS view, count(*) AS n FROM ${v}`).join(' UNION ALL ') + ' ORDER BY 1'], { env: { SPARKIFY_HOME: fresh } });
      expect(counts.stderr).toBe('');
      expect(counts.stdout.trim().split('\n')).toEqual(['view,n', ...[...views].sort().map((v) => `${v},0`)]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
