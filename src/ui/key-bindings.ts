// Every shortcut of the app, in one table. Input handlers ask `matches()`; the
// help line and the `?` overlay are drawn from the same rows, so what is shown
// is what works.
import type { Key } from 'ink';

/** Where a binding applies. `global` works on every screen that is not taking text. */
export type KeyScope = 'global' | 'home' | 'pipeline' | 'cluster' | 'sql' | 'setup' | 'confirm';

/** One physical key: a printable character, or a named key, optionally with Ctrl. */
export interface KeyChord {
  input?: string;
  ctrl?: boolean;
  name?: 'return' | 'escape' | 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'tab' | 'pageUp' | 'pageDown';
}

export interface KeyBinding {
  command: string;
  scope: KeyScope;
  chords: KeyChord[];
  /** How the key is written in the help line and overlay. */
  label: string;
  description: string;
  /** Shown in the one-line help; every binding is in the `?` overlay. */
  inHelpLine: boolean;
}

export const KEY_BINDINGS = [
  { command: 'app.interrupt', scope: 'global', chords: [{ input: 'c', ctrl: true }], label: 'Ctrl-C', description: 'cancel what is running; press again to leave', inHelpLine: false },
  { command: 'app.help', scope: 'global', chords: [{ input: '?' }], label: '?', description: 'show all keys', inHelpLine: true },
  { command: 'app.quit', scope: 'global', chords: [{ input: 'q' }], label: 'q', description: 'leave sparkify', inHelpLine: true },
  { command: 'nav.home', scope: 'global', chords: [{ input: 'h' }], label: 'h', description: 'home', inHelpLine: true },
  { command: 'nav.pipeline', scope: 'global', chords: [{ input: 'p' }], label: 'p', description: 'pipeline', inHelpLine: true },
  { command: 'nav.sql', scope: 'global', chords: [{ input: 's' }], label: 's', description: 'SQL prompt', inHelpLine: true },
  { command: 'nav.cluster', scope: 'global', chords: [{ input: 'c' }], label: 'c', description: 'cluster', inHelpLine: true },
  { command: 'nav.setup', scope: 'home', chords: [{ input: 'w' }], label: 'w', description: 'setup wizard', inHelpLine: true },

  { command: 'overlay.close', scope: 'global', chords: [{ name: 'escape' }, { input: '?' }, { input: 'q' }], label: 'Esc', description: 'close this overlay', inHelpLine: false },

  { command: 'pipeline.run', scope: 'pipeline', chords: [{ input: 'r' }], label: 'r', description: 'run the whole pipeline', inHelpLine: true },
  { command: 'pipeline.run-from', scope: 'pipeline', chords: [{ input: 'f' }], label: 'f', description: 'run from the selected step (resume)', inHelpLine: true },
  { command: 'pipeline.toggle-skip-staging', scope: 'pipeline', chords: [{ input: 'k' }], label: 'k', description: 'toggle skip-staging (transform what is staged)', inHelpLine: true },
  { command: 'pipeline.show-sql', scope: 'pipeline', chords: [{ input: 'v' }], label: 'v', description: "show the selected statement's SQL", inHelpLine: true },
  { command: 'pipeline.expand', scope: 'pipeline', chords: [{ name: 'return' }, { name: 'rightArrow' }], label: 'Enter', description: "list a step's statements", inHelpLine: false },
  { command: 'list.up', scope: 'pipeline', chords: [{ name: 'upArrow' }], label: '↑', description: 'select the row above', inHelpLine: false },
  { command: 'list.down', scope: 'pipeline', chords: [{ name: 'downArrow' }], label: '↓', description: 'select the row below', inHelpLine: false },

  { command: 'cluster.create', scope: 'cluster', chords: [{ input: 'n' }], label: 'n', description: 'create a new cluster', inHelpLine: true },
  { command: 'cluster.pause', scope: 'cluster', chords: [{ input: 'z' }], label: 'z', description: 'pause the cluster (stops node billing)', inHelpLine: true },
  { command: 'cluster.resume', scope: 'cluster', chords: [{ input: 'u' }], label: 'u', description: 'resume the cluster', inHelpLine: true },
  { command: 'cluster.delete', scope: 'cluster', chords: [{ input: 'd' }], label: 'd', description: 'delete the cluster', inHelpLine: true },
  { command: 'cluster.refresh', scope: 'cluster', chords: [{ input: 'g' }], label: 'g', description: 'refresh the status now', inHelpLine: false },

  { command: 'confirm.yes', scope: 'confirm', chords: [{ input: 'y' }], label: 'y', description: 'yes, do it', inHelpLine: true },
  { command: 'confirm.no', scope: 'confirm', chords: [{ input: 'n' }, { name: 'escape' }], label: 'n/Esc', description: 'no, keep things as they are', inHelpLine: true },

  { command: 'setup.choose', scope: 'setup', chords: [{ name: 'return' }], label: 'Enter', description: 'choose / go on', inHelpLine: true },
  { command: 'setup.back', scope: 'setup', chords: [{ name: 'escape' }], label: 'Esc', description: 'back a step', inHelpLine: true },
  { command: 'setup.up', scope: 'setup', chords: [{ name: 'upArrow' }], label: '↑↓', description: 'move the selection', inHelpLine: true },
  { command: 'setup.down', scope: 'setup', chords: [{ name: 'downArrow' }], label: '↓', description: 'move the selection down', inHelpLine: false },
  { command: 'setup.leave', scope: 'setup', chords: [{ input: 'c', ctrl: true }], label: 'Ctrl-C', description: 'leave without saving', inHelpLine: true },

  { command: 'sql.back', scope: 'sql', chords: [{ name: 'escape' }], label: 'Esc', description: 'back to home', inHelpLine: true },
] as const satisfies readonly KeyBinding[];

export type KeyCommand = (typeof KEY_BINDINGS)[number]['command'];

function chordMatches(chord: KeyChord, input: string, key: Key): boolean {
  if (Boolean(chord.ctrl) !== key.ctrl) return false;
  if (chord.name) return key[chord.name];
  return chord.input === input && !key.meta;
}

/** True when the key pressed is bound to `command`. */
export function matches(command: KeyCommand, input: string, key: Key): boolean {
  const binding = KEY_BINDINGS.find((b) => b.command === command);
  return binding !== undefined && (binding.chords as readonly KeyChord[]).some((chord) => chordMatches(chord, input, key));
}

/** Bindings shown for a screen: its own first, then the global ones. */
export function bindingsFor(scopes: readonly KeyScope[]): KeyBinding[] {
  return scopes.flatMap((scope) => KEY_BINDINGS.filter((b) => b.scope === scope));
}
