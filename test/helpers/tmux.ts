// Drives the built CLI in a real terminal: a detached tmux session of a given
// size, keys sent with send-keys, the screen read with capture-pane. Waits are
// bounded polls for text, never fixed sleeps.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(REPO_ROOT, 'dist', 'cli.js');

export interface TerminalOptions {
  /** Arguments after `node dist/cli.js`. */
  args?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  width?: number;
  height?: number;
}

export interface Terminal {
  session: string;
  /** Sends tmux key names (`Enter`, `Escape`, `C-c`, `Down`) or literal text with `{ literal: true }`. */
  send(keys: string | string[], options?: { literal?: boolean }): void;
  type(text: string): void;
  /** The visible screen, lines joined by \n. */
  /** The screen as text; with `escapes`, with the terminal's colour and attribute sequences kept. */
  capture(options?: { history?: boolean; escapes?: boolean }): string;
  /** Polls the screen until `match` is found; returns the screen then. Throws with the last screen on timeout. */
  waitFor(match: string | RegExp | ((screen: string) => boolean), options?: { timeoutMs?: number; history?: boolean }): Promise<string>;
  /** True once the CLI process has ended (the pane shows the exit marker). */
  exited(): boolean;
  resize(width: number, height: number): void;
  kill(): void;
}

function tmux(args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

/**
 * Starts a session. Killing a server's last session makes it exit, and a
 * session asked for meanwhile meets the server on its way out ("server exited
 * unexpectedly"): asked again, it starts a new server.
 */
function newSession(args: string[], attempts = 3): void {
  try {
    tmux(args);
  } catch (error) {
    if (attempts <= 1 || !String((error as { stderr?: unknown }).stderr ?? error).includes('server exited unexpectedly')) throw error;
    newSession(args, attempts - 1);
  }
}

const EXIT_MARKER = '[sparkify exited with';

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function hasTmux(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

/** A fresh, empty SPARKIFY_HOME; remove it with the returned function. */
export function tempHome(): { home: string; remove: () => void } {
  const home = mkdtempSync(join(tmpdir(), 'sparkify-home-'));
  return { home, remove: () => rmSync(home, { recursive: true, force: true }) };
}

export function openTerminal(options: TerminalOptions = {}): Terminal {
  const session = `sparkify-${randomUUID().slice(0, 8)}`;
  const width = options.width ?? 80;
  const height = options.height ?? 24;
  const env = {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    FORCE_COLOR: '0',
    TERM: 'xterm-256color',
    ...options.env,
  };
  // A variable given as undefined is unset, so a test can take away a default above.
  const exports = Object.entries(env)
    .map(([key, value]) => (value === undefined ? `unset ${key};` : `export ${key}=${shellQuote(value)};`))
    .join(' ');
  const command = [process.execPath, CLI, ...(options.args ?? [])].map(shellQuote).join(' ');
  // The marker line stays on screen after the CLI ends, so a test sees the exit code.
  const script = `${exports} ${command}; printf '\\n${EXIT_MARKER} %s]\\n' "$?"; sleep 600`;
  newSession(['new-session', '-d', '-s', session, '-x', String(width), '-y', String(height), '-c', options.cwd ?? REPO_ROOT, 'sh', '-c', script]);
  tmux(['set-option', '-t', session, 'history-limit', '5000']);

  const capture = (opts: { history?: boolean; escapes?: boolean } = {}) =>
    tmux(['capture-pane', '-p', '-t', session, ...(opts.escapes ? ['-e'] : []), ...(opts.history ? ['-S', '-5000'] : [])]).replace(/\s+$/gm, '');

  return {
    session,
    send(keys, opts = {}) {
      const list = Array.isArray(keys) ? keys : [keys];
      tmux(['send-keys', '-t', session, ...(opts.literal ? ['-l'] : []), ...list]);
    },
    type(text) {
      tmux(['send-keys', '-t', session, '-l', text]);
    },
    capture,
    async waitFor(match, opts = {}) {
      const timeoutMs = opts.timeoutMs ?? 20_000;
      const test =
        typeof match === 'function' ? match : typeof match === 'string' ? (s: string) => s.includes(match) : (s: string) => match.test(s);
      const deadline = Date.now() + timeoutMs;
      let screen = '';
      while (Date.now() < deadline) {
        screen = capture({ history: opts.history });
        if (test(screen)) return screen;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(match)}; the screen was:\n${screen}`);
    },
    exited() {
      return capture().includes(EXIT_MARKER);
    },
    resize(w, h) {
      tmux(['resize-window', '-t', session, '-x', String(w), '-y', String(h)]);
    },
    kill() {
      spawnSync('tmux', ['kill-session', '-t', session]);
    },
  };
}

/** The exit code the pane reported, once the CLI has ended. */
export function exitCodeOf(screen: string): number | undefined {
  const match = screen.match(/\[sparkify exited with (\d+)\]/);
  return match ? Number(match[1]) : undefined;
}
