// Runs the built CLI (dist/cli.js) as a person or a script would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
export const CLI = join(REPO, 'dist/cli.js');
/** The course data the tests load: SPARKIFY_COURSE_DATA, default ../shared/data/sparkify beside the repository. */
export const COURSE_DATA = resolve(REPO, process.env.SPARKIFY_COURSE_DATA || '../shared/data/sparkify');

/** Rows per table after a run on COURSE_DATA's song_data and log_data, as its README measured them. */
export const COURSE_TABLE_ROWS = {
  'staging.s_events': 8056,
  'staging.s_songs': 71,
  'analytics.f_songplays': 6820,
  'analytics.d_users': 97,
  'analytics.d_songs': 71,
  'analytics.d_artists': 69,
  'analytics.d_time': 6813,
} as const;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function tempHome(prefix = 'sparkify-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  /** Called with the child and its output so far each time stderr grows. */
  onStderr?: (child: ChildProcess, stderrSoFar: string) => void;
  cwd?: string;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      options.onStderr?.(child, stderr);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
