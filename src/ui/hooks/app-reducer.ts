// Screen-independent state of the app: which screen is up, the config in use,
// the transcript printed above the live area, and what a Ctrl-C would cancel.
import type { SparkifyConfig } from '../../pipeline/config.js';
import type { LoadErrorDetail } from '../../pipeline/errors.js';
import type { CheckOutcome } from '../../pipeline/events.js';
import type { KeyCommand, KeyScope } from '../key-bindings.js';

export type ScreenName = 'setup' | 'home' | 'pipeline' | 'sql' | 'cluster';

/** One entry of the transcript: printed once into <Static>, never redrawn. */
export type TranscriptEntry =
  | { id: number; kind: 'note'; text: string; tone?: 'info' | 'success' | 'warning' | 'error' | 'dim' }
  | {
      id: number;
      kind: 'statement';
      name: string;
      ok: boolean;
      engineMs?: number;
      wallMs: number;
      rows?: number | null;
      status?: string;
      error?: string;
    }
  | { id: number; kind: 'load-errors'; table?: string; details: LoadErrorDetail[] }
  | {
      id: number;
      kind: 'summary';
      ok: boolean;
      cancelled: boolean;
      wallMs: number;
      /** What the analytics tables hold, in the plain reporter's words. */
      analytics?: string;
      tableRows: Record<string, number>;
      /** Counts after the previous run, for the change since. */
      previousTableRows?: Record<string, number>;
      checks: CheckOutcome[];
      error?: string;
    };

export type TranscriptInput = TranscriptEntry extends infer E ? (E extends TranscriptEntry ? Omit<E, 'id'> : never) : never;

/** What the header shows for a Redshift cluster (null on the local target or before the first look). */
export interface ClusterSummary {
  identifier: string;
  status: string;
  costUsd?: number;
}

export interface AppState {
  screen: ScreenName;
  /** The wizard was asked for (`sparkify setup`), not opened because nothing was configured: Esc on its first question leaves. */
  setupAsked: boolean;
  config: SparkifyConfig | null;
  helpOpen: boolean;
  /** Lines the `?` overlay is scrolled down by. */
  helpScroll: number;
  /** A cancellable piece of work is under way (pipeline run, query, cluster change). */
  busyLabel: string | null;
  /** A Ctrl-C has cancelled the running work; the next Ctrl-C leaves. */
  interruptArmed: boolean;
  transcript: TranscriptEntry[];
  cluster: ClusterSummary | null;
  /** The keys of the prompt that takes every key on the active screen (a text field, a confirmation): app keys pause meanwhile. */
  inputCapture: KeyScope | null;
  /** Keys of the active screen that do nothing right now (pause on a paused cluster): left out of the help line. */
  keysOff: KeyCommand[];
}

export type AppAction =
  | { type: 'navigate'; screen: ScreenName }
  | { type: 'config-saved'; config: SparkifyConfig }
  | { type: 'toggle-help' }
  | { type: 'close-help' }
  | { type: 'scroll-help'; delta: number; max: number }
  | { type: 'busy'; label: string | null }
  | { type: 'interrupt-armed'; armed: boolean }
  | { type: 'print'; entries: TranscriptInput[] }
  | { type: 'cluster-summary'; summary: ClusterSummary | null }
  | { type: 'capture-input'; scope: KeyScope | null }
  | { type: 'keys-off'; commands: KeyCommand[] };

export function initialAppState(config: SparkifyConfig | null, setup: boolean): AppState {
  return {
    screen: setup || config === null ? 'setup' : 'home',
    setupAsked: setup,
    config,
    helpOpen: false,
    helpScroll: 0,
    busyLabel: null,
    interruptArmed: false,
    transcript: [],
    cluster: null,
    inputCapture: null,
    keysOff: [],
  };
}

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'navigate':
      return { ...state, screen: action.screen, helpOpen: false, inputCapture: null, keysOff: [] };
    case 'config-saved':
      return { ...state, config: action.config, screen: state.screen === 'setup' ? 'home' : state.screen, cluster: null, inputCapture: null };
    case 'toggle-help':
      return { ...state, helpOpen: !state.helpOpen, helpScroll: 0 };
    case 'close-help':
      return { ...state, helpOpen: false };
    case 'scroll-help':
      return { ...state, helpScroll: Math.max(0, Math.min(action.max, state.helpScroll + action.delta)) };
    case 'busy':
      return { ...state, busyLabel: action.label, interruptArmed: action.label === null ? false : state.interruptArmed };
    case 'interrupt-armed':
      return { ...state, interruptArmed: action.armed };
    case 'print': {
      const start = state.transcript.length;
      const added = action.entries.map((entry, i) => ({ ...entry, id: start + i }));
      return { ...state, transcript: [...state.transcript, ...added] };
    }
    case 'cluster-summary':
      return { ...state, cluster: action.summary };
    case 'capture-input':
      return state.inputCapture === action.scope ? state : { ...state, inputCapture: action.scope };
    case 'keys-off':
      return sameKeys(state.keysOff, action.commands) ? state : { ...state, keysOff: action.commands };
  }
}

function sameKeys(a: readonly KeyCommand[], b: readonly KeyCommand[]): boolean {
  return a.length === b.length && a.every((command, i) => command === b[i]);
}
