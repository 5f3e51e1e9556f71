// The draft in the user's own editor, as psql's \e does: $EDITOR, else
// $VISUAL, else vi, run through the shell (so `code --wait` works) on a
// private temporary .sql file that is read back and removed. The caller hands
// the terminal over around it (see sql-external-editor.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type EditorOutcome = { ok: true; text: string; editor: string } | { ok: false; message: string; hint: string };

/** The editor command the environment names. */
export function editorCommand(env: NodeJS.ProcessEnv = process.env): string {
  return [env.EDITOR, env.VISUAL].find((value) => value !== undefined && value.trim() !== '')?.trim() ?? 'vi';
}

/** The shell's exit status for a command it could not find or could not run. */
const NOT_FOUND = 127;
const NOT_EXECUTABLE = 126;

/** Runs the editor on `text` and waits for it; the terminal is the editor's until it exits. */
export function editExternally(text: string, env: NodeJS.ProcessEnv = process.env): EditorOutcome {
  const editor = editorCommand(env);
  const hint = 'set $EDITOR to an editor you have (EDITOR=nano, EDITOR="code --wait"); the draft is kept';
  // mkdtemp makes the folder 0700; the file is 0600: a draft may hold a password.
  const folder = mkdtempSync(join(tmpdir(), 'sparkify-draft-'));
  const file = join(folder, 'draft.sql');
  try {
    writeFileSync(file, text.endsWith('\n') || text === '' ? text : `${text}\n`, { mode: 0o600 });
    const run = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit', env });
    if (run.error) return { ok: false, message: `could not start the editor ${editor}: ${run.error.message}`, hint };
    if (run.signal) return { ok: false, message: `the editor ${editor} was stopped by ${run.signal}`, hint: 'the draft is kept' };
    if (run.status === NOT_FOUND || run.status === NOT_EXECUTABLE) {
      const from = env.EDITOR?.trim() ? ' ($EDITOR)' : env.VISUAL?.trim() ? ' ($VISUAL)' : '';
      return { ok: false, message: `the editor ${editor}${from} was not found or cannot be run`, hint };
    }
    if (run.status !== 0) return { ok: false, message: `the editor ${editor} exited with ${run.status}: the draft is kept as it was`, hint: 'quit the editor with a save (:wq in vi) to take its text' };
    // Editors end the file with a line break; the draft does not need it.
    return { ok: true, text: readFileSync(file, 'utf8').replace(/\r?\n$/, ''), editor };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
