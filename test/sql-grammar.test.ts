// The model files and the shipped queries parse with an independent Redshift
// grammar: Debian's sqlfluff (`sqlfluff parse --dialect redshift`). The raw
// templater leaves the {{placeholders}} inside their quoted strings alone.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function parse(path: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('sqlfluff', ['parse', '--dialect', 'redshift', '--templater', 'raw', path], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('sqlfluff is not installed: apt-get install sqlfluff (.ci/run does)');
    return { code: Number(e.code), output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const violations = (output: string) => output.split('\n').filter((line) => /\|\s+PRS\s+\||\|\s+TMP\s+\||unparsable/.test(line));

describe('sqlfluff parses the Redshift SQL', () => {
  it('sql/*.sql and sql/queries/*.sql parse with no unparsable section', async () => {
    const { code, output } = await parse('sql');
    expect(violations(output)).toEqual([]);
    expect(code).toBe(0);
  }, 120_000);

  it('reports a statement that is not Redshift SQL (the check can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparkify-grammar-'));
    try {
      writeFileSync(join(dir, 'bad.sql'), 'select a from where;\n');
      const { code, output } = await parse(join(dir, 'bad.sql'));
      expect(code).not.toBe(0);
      expect(violations(output).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
