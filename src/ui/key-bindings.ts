// Every shortcut of the app, in one table. Input handlers ask `matches()`; the
// help line and the `?` overlay are drawn from the same rows, so what is shown
// is what works.
import type { Key } from 'ink';

/** Where a binding applies. `global` works on every screen that is not taking text. */
export type KeyScope = 'global' | 'home' | 'pipeline' | 'cluster' | 'sql' | 'sql-editor' | 'sql-menu' | 'setup' | 'setup-list' | 'confirm' | 'choice' | 'text';

/** One physical key: a printable character, or a named key, optionally with Ctrl. */
export interface KeyChord {
  input?: string;
  ctrl?: boolean;
  /** Alt/Option held (sent as an Esc prefix). */
  meta?: boolean;
  /** Given, Shift must be held (true) or not (false); absent, either. */
  shift?: boolean;
  name?: 'return' | 'escape' | 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'tab' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'backspace' | 'delete';
}

export interface KeyBinding {
  command: string;
  scope: KeyScope;
  chords: KeyChord[];
  /** A second key that must follow one of `chords` (Ctrl-X Ctrl-E). */
  then?: KeyChord;
  /** How the key is written in the help line and overlay. */
  label: string;
  description: string;
  /** Shown in the one-line help; every binding is in the `?` overlay. */
  inHelpLine: boolean;
  /** The help line's word for it, where the description is too long for 80 columns. */
  short?: string;
  /** False for a key the overlay already names on another row (↓ beside ↑ as ↑↓). */
  inOverlay?: boolean;
}

export const KEY_BINDINGS = [
  { command: 'app.interrupt', scope: 'global', chords: [{ input: 'c', ctrl: true }], label: 'Ctrl-C', description: 'cancel what is running; press again to leave', inHelpLine: false },
  { command: 'app.help', scope: 'global', chords: [{ input: '?' }], label: '?', description: 'show all keys', inHelpLine: true, short: 'keys' },
  { command: 'app.quit', scope: 'global', chords: [{ input: 'q' }], label: 'q', description: 'leave sparkify', inHelpLine: true, short: 'quit' },
  { command: 'nav.home', scope: 'global', chords: [{ input: 'h' }], label: 'h', description: 'home', inHelpLine: true, short: 'home' },
  { command: 'nav.pipeline', scope: 'global', chords: [{ input: 'p' }], label: 'p', description: 'pipeline', inHelpLine: true, short: 'pipeline' },
  { command: 'nav.sql', scope: 'global', chords: [{ input: 's' }], label: 's', description: 'SQL prompt', inHelpLine: true, short: 'SQL' },
  { command: 'nav.cluster', scope: 'global', chords: [{ input: 'c' }], label: 'c', description: 'cluster', inHelpLine: true, short: 'cluster' },
  { command: 'nav.setup', scope: 'home', chords: [{ input: 'w' }], label: 'w', description: 'setup wizard', inHelpLine: true, short: 'setup' },

  { command: 'overlay.close', scope: 'global', chords: [{ name: 'escape' }, { input: '?' }, { input: 'q' }], label: 'Esc', description: 'close this overlay', inHelpLine: false },
  { command: 'overlay.up', scope: 'global', chords: [{ name: 'upArrow' }], label: '↑↓', description: 'scroll this overlay', inHelpLine: false },
  { command: 'overlay.down', scope: 'global', chords: [{ name: 'downArrow' }], label: '↓', description: 'scroll this overlay down', inHelpLine: false, inOverlay: false },

  { command: 'pipeline.run', scope: 'pipeline', chords: [{ input: 'r' }], label: 'r', description: 'run the whole pipeline', inHelpLine: true, short: 'run' },
  { command: 'pipeline.run-from', scope: 'pipeline', chords: [{ input: 'f' }], label: 'f', description: 'run from the selected step (resume)', inHelpLine: true, short: 'run from' },
  { command: 'pipeline.toggle-skip-staging', scope: 'pipeline', chords: [{ input: 'k' }], label: 'k', description: 'toggle skip-staging (transform what is staged)', inHelpLine: true, short: 'skip load' },
  { command: 'pipeline.toggle-incremental', scope: 'pipeline', chords: [{ input: 'i' }], label: 'i', description: 'cycle incremental: off, on (new files only), on reloading changed files', inHelpLine: true, short: 'incr' },
  { command: 'pipeline.show-sql', scope: 'pipeline', chords: [{ input: 'v' }], label: 'v', description: "show the selected statement's SQL", inHelpLine: true, short: 'show SQL' },
  { command: 'pipeline.expand', scope: 'pipeline', chords: [{ name: 'return' }, { name: 'rightArrow' }], label: 'Enter', description: "list a step's statements", inHelpLine: false },
  { command: 'list.up', scope: 'pipeline', chords: [{ name: 'upArrow' }], label: '↑', description: 'select the row above', inHelpLine: false },
  { command: 'list.down', scope: 'pipeline', chords: [{ name: 'downArrow' }], label: '↓', description: 'select the row below', inHelpLine: false },
  { command: 'pipeline.sql-page-up', scope: 'pipeline', chords: [{ name: 'pageUp' }], label: 'PgUp', description: 'in the SQL: a page up (↑↓ a line)', inHelpLine: false },
  { command: 'pipeline.sql-page-down', scope: 'pipeline', chords: [{ name: 'pageDown' }, { input: ' ' }], label: 'PgDn', description: 'in the SQL: a page down (Space too)', inHelpLine: false },

  { command: 'cluster.create', scope: 'cluster', chords: [{ input: 'n' }], label: 'n', description: 'create a new cluster', inHelpLine: true, short: 'create' },
  { command: 'cluster.pause', scope: 'cluster', chords: [{ input: 'z' }], label: 'z', description: 'pause the cluster (stops node billing)', inHelpLine: true, short: 'pause' },
  { command: 'cluster.resume', scope: 'cluster', chords: [{ input: 'u' }], label: 'u', description: 'resume the cluster', inHelpLine: true, short: 'resume' },
  { command: 'cluster.delete', scope: 'cluster', chords: [{ input: 'd' }], label: 'd', description: 'delete the cluster', inHelpLine: true, short: 'delete' },
  { command: 'cluster.refresh', scope: 'cluster', chords: [{ input: 'g' }], label: 'g', description: 'refresh the status now', inHelpLine: false },

  { command: 'confirm.yes', scope: 'confirm', chords: [{ input: 'y' }], label: 'y', description: 'yes, do it', inHelpLine: true, short: 'yes' },
  { command: 'confirm.no', scope: 'confirm', chords: [{ input: 'n' }, { name: 'escape' }], label: 'n/Esc', description: 'no, keep things as they are', inHelpLine: true, short: 'no' },
  { command: 'choice.yes', scope: 'choice', chords: [{ input: 'y' }], label: 'y', description: 'yes, and go on', inHelpLine: true, short: 'yes' },
  { command: 'choice.no', scope: 'choice', chords: [{ input: 'n' }], label: 'n', description: 'no, and go on', inHelpLine: true, short: 'no' },
  { command: 'choice.cancel', scope: 'choice', chords: [{ name: 'escape' }], label: 'Esc', description: 'cancel: do none of it', inHelpLine: true, short: 'cancel' },

  { command: 'text.submit', scope: 'text', chords: [{ name: 'return' }], label: 'Enter', description: 'take what is typed', inHelpLine: true, short: 'ok' },
  { command: 'text.clear', scope: 'text', chords: [{ input: 'u', ctrl: true }], label: 'Ctrl-U', description: 'clear the field', inHelpLine: true, short: 'clear' },
  { command: 'text.cancel', scope: 'text', chords: [{ name: 'escape' }], label: 'Esc', description: 'cancel', inHelpLine: true, short: 'cancel' },
  { command: 'text.left', scope: 'text', chords: [{ name: 'leftArrow' }], label: '←→', description: 'move the cursor', inHelpLine: false },
  { command: 'text.right', scope: 'text', chords: [{ name: 'rightArrow' }], label: '→', description: 'move the cursor right', inHelpLine: false },
  { command: 'text.start', scope: 'text', chords: [{ name: 'home' }, { input: 'a', ctrl: true }], label: 'Home', description: 'start of the field (Ctrl-A too)', inHelpLine: false },
  { command: 'text.end', scope: 'text', chords: [{ name: 'end' }, { input: 'e', ctrl: true }], label: 'End', description: 'end of the field (Ctrl-E too)', inHelpLine: false },

  { command: 'setup.choose', scope: 'setup', chords: [{ name: 'return' }], label: 'Enter', description: 'choose / go on', inHelpLine: true, short: 'choose' },
  { command: 'setup.back', scope: 'setup', chords: [{ name: 'escape' }], label: 'Esc', description: 'back a step', inHelpLine: true, short: 'back' },
  { command: 'setup.up', scope: 'setup-list', chords: [{ name: 'upArrow' }], label: '↑↓', description: 'move the selection', inHelpLine: true, short: 'move' },
  { command: 'setup.down', scope: 'setup-list', chords: [{ name: 'downArrow' }], label: '↓', description: 'move the selection down', inHelpLine: false },
  { command: 'setup.leave', scope: 'setup', chords: [{ input: 'c', ctrl: true }], label: 'Ctrl-C', description: 'leave without saving', inHelpLine: true, short: 'leave' },

  { command: 'sql.back', scope: 'sql', chords: [{ name: 'escape' }], label: 'Esc', description: 'back to home (from the editor or the result)', inHelpLine: true, short: 'home' },
  // Not F1, the usual help key: Ink hands function keys to useInput without saying which one. Ctrl-G leaves the search.
  { command: 'sql.help', scope: 'sql', chords: [{ input: 'y', ctrl: true }], label: 'Ctrl-Y', description: 'show all keys', inHelpLine: true, short: 'keys' },
  { command: 'sql.run-now', scope: 'sql', chords: [{ input: '\n' }, { name: 'return', meta: true }], label: 'Ctrl-J', description: 'run the statement now (Alt-Enter too)', inHelpLine: false },
  { command: 'sql.run', scope: 'sql', chords: [{ name: 'return' }], label: 'Enter', description: 'run once the statement ends with ; (a new line before that)', inHelpLine: false },
  { command: 'sql.complete', scope: 'sql', chords: [{ name: 'tab' }], label: 'Tab', description: 'complete a keyword, schema, table or column', inHelpLine: true, short: 'complete' },
  { command: 'sql.history-search', scope: 'sql', chords: [{ input: 'r', ctrl: true }], label: 'Ctrl-R', description: 'search the history (again: older match)', inHelpLine: true, short: 'find' },
  { command: 'sql.examples', scope: 'sql', chords: [{ input: 'o', ctrl: true }], label: 'Ctrl-O', description: 'example star-schema queries', inHelpLine: true, short: 'examples' },
  { command: 'sql.focus-result', scope: 'sql', chords: [{ input: 't', ctrl: true }], label: 'Ctrl-T', description: 'to the result and back (scroll, chart, export)', inHelpLine: true, short: 'result' },
  { command: 'sql.explain', scope: 'sql', chords: [{ input: 'p', ctrl: true }], label: 'Ctrl-P', description: 'the plan of the draft as a tree (EXPLAIN; \\explain too)', inHelpLine: false },
  { command: 'sql.compare', scope: 'sql', chords: [{ input: 'b', ctrl: true }], label: 'Ctrl-B', description: 'run the draft on both engines and compare the results (\\compare too)', inHelpLine: false },
  { command: 'sql.page-up', scope: 'sql', chords: [{ name: 'pageUp' }], label: 'PgUp', description: 'scroll the result a page up', inHelpLine: false },
  { command: 'sql.page-down', scope: 'sql', chords: [{ name: 'pageDown' }], label: 'PgDn', description: 'scroll the result a page down', inHelpLine: false },
  { command: 'sql.list-up', scope: 'sql', chords: [{ name: 'upArrow' }], label: '↑↓', description: 'in the example list: move the selection', inHelpLine: false },
  { command: 'sql.list-down', scope: 'sql', chords: [{ name: 'downArrow' }], label: '↓', description: 'in the example list: next query', inHelpLine: false },
  { command: 'sql.list-choose', scope: 'sql', chords: [{ name: 'return' }], label: 'Enter', description: 'in the example list: put the query in the draft', inHelpLine: false },
  {
    command: 'sql.search-accept',
    scope: 'sql',
    chords: [{ name: 'return' }, { name: 'upArrow' }, { name: 'downArrow' }, { name: 'leftArrow' }, { name: 'rightArrow' }],
    label: 'Enter',
    description: 'in the history search: take the match into the draft (an arrow too)',
    inHelpLine: false,
  },
  { command: 'sql.dismiss', scope: 'sql', chords: [{ name: 'escape' }, { input: 'g', ctrl: true }], label: 'Ctrl-G', description: 'leave the history search or the example list (Esc too)', inHelpLine: false },
  { command: 'sql.result-up', scope: 'sql', chords: [{ name: 'upArrow' }], label: '↑↓←→', description: 'in the result: move the cell cursor', inHelpLine: false },
  { command: 'sql.result-down', scope: 'sql', chords: [{ name: 'downArrow' }], label: '↓', description: 'in the result: row below', inHelpLine: false },
  { command: 'sql.result-left', scope: 'sql', chords: [{ name: 'leftArrow' }], label: '←', description: 'in the result: column to the left', inHelpLine: false },
  { command: 'sql.result-right', scope: 'sql', chords: [{ name: 'rightArrow' }], label: '→', description: 'in the result: column to the right', inHelpLine: false },
  { command: 'sql.result-first-column', scope: 'sql', chords: [{ name: 'home' }], label: 'Home', description: 'in the result: first column', inHelpLine: false },
  { command: 'sql.result-last-column', scope: 'sql', chords: [{ name: 'end' }], label: 'End', description: 'in the result: last column', inHelpLine: false },
  { command: 'sql.result-first', scope: 'sql', chords: [{ input: 'g' }], label: 'g', description: 'in the result: first row', inHelpLine: false },
  { command: 'sql.result-last', scope: 'sql', chords: [{ input: 'G' }], label: 'G', description: 'in the result: last row (reads to the end)', inHelpLine: false },
  { command: 'sql.result-previous', scope: 'sql', chords: [{ input: '[' }], label: '[', description: "in the result: the previous statement's result", inHelpLine: false },
  { command: 'sql.result-next', scope: 'sql', chords: [{ input: ']' }], label: ']', description: "in the result: the next statement's result", inHelpLine: false },
  { command: 'sql.copy-cell', scope: 'sql', chords: [{ input: 'y' }], label: 'y', description: 'in the result: copy the cell to the clipboard (OSC 52)', inHelpLine: false },
  { command: 'sql.copy-row', scope: 'sql', chords: [{ input: 'Y' }], label: 'Y', description: 'in the result: copy the row as TSV', inHelpLine: false },
  { command: 'sql.copy-all', scope: 'sql', chords: [{ input: 'a' }], label: 'a', description: 'in the result: copy the whole result as TSV (up to 128 KiB)', inHelpLine: false },
  { command: 'sql.chart', scope: 'sql', chords: [{ input: 'c' }], label: 'c', description: 'in the result: bar chart of a label and a number column', inHelpLine: false },
  { command: 'sql.export-csv', scope: 'sql', chords: [{ input: 'x' }], label: 'x', description: 'in the result: export to CSV ($SPARKIFY_HOME/exports)', inHelpLine: false },
  { command: 'sql.export-json', scope: 'sql', chords: [{ input: 'j' }], label: 'j', description: 'in the result: export to JSON ($SPARKIFY_HOME/exports)', inHelpLine: false },
  { command: 'sql.edit', scope: 'sql', chords: [{ name: 'return' }, { name: 'tab' }], label: 'Enter', description: 'in the result: back to the editor', inHelpLine: false },
  { command: 'editor.left', scope: 'sql-editor', chords: [{ name: 'leftArrow' }], label: '←→', description: 'move the cursor', inHelpLine: false },
  { command: 'editor.right', scope: 'sql-editor', chords: [{ name: 'rightArrow' }], label: '→', description: 'move the cursor right', inHelpLine: false },
  { command: 'editor.up', scope: 'sql-editor', chords: [{ name: 'upArrow' }], label: '↑', description: 'line above (on the first line: older history)', inHelpLine: false },
  { command: 'editor.down', scope: 'sql-editor', chords: [{ name: 'downArrow' }], label: '↓', description: 'line below (on the last line: newer history)', inHelpLine: false },
  { command: 'editor.line-start', scope: 'sql-editor', chords: [{ name: 'home' }, { input: 'a', ctrl: true }], label: 'Ctrl-A', description: 'start of the line (Home too)', inHelpLine: false },
  { command: 'editor.line-end', scope: 'sql-editor', chords: [{ name: 'end' }, { input: 'e', ctrl: true }], label: 'Ctrl-E', description: 'end of the line (End too)', inHelpLine: false },
  // Terminals send DEL (0x7f) for Backspace, which Ink names `delete`.
  { command: 'editor.backspace', scope: 'sql-editor', chords: [{ name: 'backspace' }, { name: 'delete' }], label: 'Bksp', description: 'delete the character before the cursor', inHelpLine: false },
  { command: 'editor.delete', scope: 'sql-editor', chords: [{ input: 'd', ctrl: true }], label: 'Ctrl-D', description: 'delete the character under the cursor', inHelpLine: false },
  { command: 'editor.clear', scope: 'sql-editor', chords: [{ input: 'u', ctrl: true }], label: 'Ctrl-U', description: 'clear the draft', inHelpLine: false },
  { command: 'editor.kill-line', scope: 'sql-editor', chords: [{ input: 'k', ctrl: true }], label: 'Ctrl-K', description: 'delete to the end of the line', inHelpLine: false },
  { command: 'editor.delete-word', scope: 'sql-editor', chords: [{ input: 'w', ctrl: true }], label: 'Ctrl-W', description: 'delete the word before the cursor', inHelpLine: false },
  { command: 'sql.external-editor', scope: 'sql-editor', chords: [{ input: 'x', ctrl: true }], then: { input: 'e', ctrl: true }, label: 'Ctrl-X Ctrl-E', description: 'edit the draft in $EDITOR ($VISUAL, vi; \\e edits the last statement)', inHelpLine: false },
  { command: 'sql.menu-next', scope: 'sql-menu', chords: [{ name: 'tab', shift: false }, { name: 'downArrow' }], label: 'Tab ↓', description: 'next name in the completion menu', inHelpLine: false },
  { command: 'sql.menu-previous', scope: 'sql-menu', chords: [{ name: 'tab', shift: true }, { name: 'upArrow' }], label: 'S-Tab ↑', description: 'previous name in the completion menu', inHelpLine: false },
  { command: 'sql.menu-accept', scope: 'sql-menu', chords: [{ name: 'return' }], label: 'Enter', description: 'insert the chosen name', inHelpLine: false },
  { command: 'sql.menu-close', scope: 'sql-menu', chords: [{ name: 'escape' }], label: 'Esc', description: 'close the menu (typing narrows it)', inHelpLine: false },
] as const satisfies readonly KeyBinding[];

export type KeyCommand = (typeof KEY_BINDINGS)[number]['command'];

function chordMatches(chord: KeyChord, input: string, key: Key): boolean {
  if (Boolean(chord.ctrl) !== key.ctrl) return false;
  if (chord.meta && !key.meta) return false;
  if (chord.shift !== undefined && chord.shift !== key.shift) return false;
  if (chord.name) return key[chord.name];
  return chord.input === input && !key.meta;
}

/** True when the key pressed is bound to `command`. */
export function matches(command: KeyCommand, input: string, key: Key): boolean {
  const binding = KEY_BINDINGS.find((b) => b.command === command);
  return binding !== undefined && (binding.chords as readonly KeyChord[]).some((chord) => chordMatches(chord, input, key));
}

/** True when the key pressed is the second key of `command`'s two-key sequence. */
export function matchesSecond(command: KeyCommand, input: string, key: Key): boolean {
  const binding: KeyBinding | undefined = KEY_BINDINGS.find((b) => b.command === command);
  return binding?.then !== undefined && chordMatches(binding.then, input, key);
}

/** Bindings shown for a screen: its own first, then the global ones. */
export function bindingsFor(scopes: readonly KeyScope[]): KeyBinding[] {
  return scopes.flatMap((scope) => KEY_BINDINGS.filter((b) => b.scope === scope));
}
