// One table of exit codes: errors.ts holds it, `--help` prints it, the README
// holds the same rows, and a network failure or retries used up are their own
// code, not "AWS refused" (9).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EXIT_CODE_MEANINGS, ExitCode } from '../src/pipeline/errors.js';
import { CLI, COURSE_DATA, REPO, runCli, tempHome } from './helpers/cli.js';
import { until } from './helpers/ink.js';
import { startControlPlane, type ControlPlaneHarness } from './fakes/aws/control-plane-harness.js';

const scratch = tempHome('sparkify-exit-codes-');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the exit-code table', () => {
  it('has every code sparkify defines, once', () => {
    const listed = EXIT_CODE_MEANINGS.map(([code]) => code);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort((a, b) => a - b)).toEqual([...new Set(Object.values(ExitCode))].sort((a, b) => a - b));
    expect(listed).toContain(129);
  });

  it('the README holds the same rows', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Exit codes'));
    const rows = [...section.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => [Number(m[1]), m[2].replace(/\\\|/g, '|')]);
    expect(rows).toEqual(EXIT_CODE_MEANINGS.map(([code, meaning]) => [code, meaning]));
  });

  it('sparkify --help and cluster --help print it, with one meaning for "not confirmed"', async () => {
    const env = { SPARKIFY_HOME: join(scratch, 'help') };
    for (const args of [['--help'], ['cluster', '--help'], ['serverless', '--help']]) {
      const help = (await runCli(args, { env })).stdout;
      for (const [code, meaning] of EXIT_CODE_MEANINGS) expect(help, args.join(' ')).toMatch(new RegExp(`^ +${code}  ${meaning.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      expect(help.match(/not confirmed/g)?.length, args.join(' ')).toBe(1);
    }
  });
});

describe('option errors name the option', () => {
  const env = { SPARKIFY_HOME: join(scratch, 'options') };
  it.each([
    [['run', '--concurrency', '0'], '--concurrency must be 1 or more, got 0'],
    [['run', '--concurrency', 'two'], '--concurrency must be a whole number, got "two"'],
    [['query', '--limit', '-1', 'select 1'], '--limit must be 0 or more, got -1'],
    [['sample', '--out', join(scratch, 's'), '--scale', '0'], '--scale must be more than 0, got 0'],
    [['cluster', 'status', '--interval', 'soon'], '--interval must be a number of seconds, got "soon"'],
    [['cluster', 'create', '--cluster-id', 'x', '--nodes', '0'], '--nodes must be 1 or more, got 0'],
  ])('%j', async (args, message) => {
    const result = await runCli(args, { env });
    expect(result.stderr).toContain(`error: ${message}`);
    expect(result.code).toBe(ExitCode.usage);
  });
});

describe('network failures', () => {
  const harnesses: ControlPlaneHarness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
  });

  it('AWS that cannot be reached exits 10, for the Data API and the control plane alike', async () => {
    const fake = await startControlPlane();
    harnesses.push(fake);
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as { port: number }).port;
        server.close(() => resolve(port));
      });
    });
    const env = fake.env(join(scratch, 'unreachable'), { AWS_ENDPOINT_URL: `http://127.0.0.1:${closed}`, AWS_MAX_ATTEMPTS: '1' });
    const query = await runCli(['query', '--cluster-id', 'c1', '--db-user', 'u', '--region', 'us-west-2', 'select 1'], { env });
    expect(query.stderr).toContain('cannot reach the Redshift Data API');
    expect(query.code).toBe(ExitCode.network);
    const status = await runCli(['cluster', 'status', '--cluster-id', 'c1', '--region', 'us-west-2'], { env });
    expect(status.stderr).toContain('cannot reach AWS');
    expect(status.code).toBe(ExitCode.network);
  });

  it('a call AWS keeps throttling past the retries exits 10', async () => {
    const fake = await startControlPlane({ faults: 'DescribeClusters=Throttling*-1' });
    harnesses.push(fake);
    const env = fake.env(join(scratch, 'throttled'), { AWS_MAX_ATTEMPTS: '2' });
    const status = await runCli(['cluster', 'status', '--cluster-id', 'c1', '--region', 'us-west-2'], { env });
    expect(status.stderr).toContain('retries used up');
    expect(status.code).toBe(ExitCode.network);
  });
});

/** CPU seconds a process has used (from /proc, Linux only). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

describe.runIf(process.platform === 'linux')('a second SIGTERM', () => {
  it('while a cancelled run winds down still exits 130', async () => {
    const child = spawn(process.execPath, [CLI, 'run', '--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data'), '--log-jsonpaths', join(COURSE_DATA, 'log_json_path.json')], {
      cwd: REPO,
      env: { ...process.env, SPARKIFY_HOME: join(scratch, 'term-twice') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await until(() => stderr.includes('▶ Load staging.s_events'), () => `the load never started: ${stderr}`, 60_000);
    child.kill('SIGTERM');
    // The run's summary is out: it is past its work and on its way to exit.
    await until(() => stderr.includes('cancelled after'), () => `no summary after SIGTERM: ${stderr}`, 60_000);
    child.kill('SIGTERM');
    expect(await done).toEqual({ code: ExitCode.cancelled, signal: null });
  });
});

describe.runIf(process.platform === 'linux')('a hang-up', () => {
  it('cancels the running statement and exits 129', async () => {
    const home = join(scratch, 'hangup');
    const child = spawn(process.execPath, [CLI, 'query', 'select count(*) from generate_series(0, 999999999999) AS t(range)'], {
      cwd: REPO,
      env: { ...process.env, SPARKIFY_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    // Starting up takes well under a second of CPU; past two the query is running.
    await until(() => cpuSeconds(child.pid!) > 2, () => 'the query never got going', 60_000);
    child.kill('SIGHUP');
    expect(await done).toEqual({ code: ExitCode.hangup, signal: null });
  });
});
