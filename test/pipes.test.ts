// Every command ends quietly with exit 0 when the reader of its output goes
// away, as `| head` does, whether it writes to stdout or (with 2>&1) stderr;
// a cancelled sample leaves its folder whole or not at all.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI, COURSE_DATA, REPO, runCli, tempHome } from './helpers/cli.js';
import { startControlPlane, type ControlPlaneHarness } from './fakes/aws/control-plane-harness.js';

const scratch = tempHome('sparkify-pipes-');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Piped {
  /** The CLI's own exit status, not head's. */
  code: number;
  /** What head let through. */
  shown: string;
  /** The CLI's stderr when it was not piped into head. */
  stderr: string;
}

/** `sparkify ARGS [2>&1] | head -N` in bash, with the CLI's own exit status. */
function pipeToHead(args: string[], options: { lines?: number; mergeStderr?: boolean; env?: Record<string, string | undefined>; onShown?: (text: string) => void } = {}): Promise<Piped> {
  const script = `"$@" ${options.mergeStderr ? '2>&1' : '2>"$ERR_FILE"'} | head -${options.lines ?? 1}; echo "exit=\${PIPESTATUS[0]}"; cat "$ERR_FILE" >&2 2>/dev/null; true`;
  const errFile = join(scratch, `stderr-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script, 'bash', process.execPath, CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, ...options.env, ERR_FILE: errFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      options.onShown?.(stdout);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const code = Number(stdout.match(/exit=(\d+)\n$/)?.[1] ?? -1);
      resolve({ code, shown: stdout.replace(/exit=\d+\n$/, ''), stderr: options.mergeStderr ? '' : stderr });
    });
  });
}

const sources = ['--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data')];

describe('the local commands', () => {
  it('run 2>&1 | head stops the run quietly with exit 0', async () => {
    const result = await pipeToHead(['run', ...sources], { mergeStderr: true, env: { SPARKIFY_HOME: join(scratch, 'run') } });
    expect(result.shown).toMatch(/^sparkify: local warehouse /);
    expect(result.code).toBe(0);
  });

  it('sample 2>&1 | head exits 0 and leaves the sample whole or not at all', async () => {
    const out = join(scratch, 'sample-out');
    const result = await pipeToHead(['sample', '--out', out, '--scale', '20'], { mergeStderr: true, env: { SPARKIFY_HOME: join(scratch, 'sample') } });
    expect(result.shown).not.toBe('');
    expect(result.code).toBe(0);
    expect(readdirSync(scratch).filter((name) => name.includes('.partial-'))).toEqual([]);
    if (existsSync(out)) expect(readdirSync(out).sort()).toEqual(['log_data', 'log_json_path.json', 'song_data']);
  });

  it('query | head -1 still exits 0', async () => {
    const result = await pipeToHead(['query', '--format', 'csv', 'select range from generate_series(0, 1999999) AS t(range)'], { env: { SPARKIFY_HOME: join(scratch, 'query') } });
    expect(result.shown).toBe('range\n');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('the cluster commands', () => {
  let fake: ControlPlaneHarness | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('cluster status | head -1 and cluster status --watch | head -1 exit 0 without a word on stderr', async () => {
    fake = await startControlPlane({ stateDelayMs: 60_000 });
    const env = fake.env(join(scratch, 'cluster'));
    expect((await runCli(['cluster', 'create', '--cluster-id', 'piped', '--yes'], { env })).code).toBe(0);

    const status = await pipeToHead(['cluster', 'status'], { env });
    expect(status.shown.split('\n')).toHaveLength(2);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);

    // The watch writes its next line when the cluster settles; that write finds the reader gone.
    let started!: () => void;
    const firstLine = new Promise<void>((resolve) => (started = resolve));
    const watching = pipeToHead(['cluster', 'status', '--watch', '--interval', '0.1'], { env, onShown: (text) => text.includes('creating') && started() });
    await firstLine;
    await fake.control('/clock', { advanceMs: 60_000 });
    const watch = await watching;
    expect(watch.shown).toMatch(/piped {2}creating/);
    expect(watch.stderr).toBe('');
    expect(watch.code).toBe(0);
  });
});
