// State and actions of the app, in two contexts: components that only act
// (key handlers, screens starting work) do not re-render when state changes.
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { useApp, useStdin } from 'ink';
import type { SparkifyConfig } from '../../pipeline/config.js';
import { ExitCode } from '../../pipeline/errors.js';
import type { Warehouse } from '../../pipeline/warehouse/types.js';
import type { KeyCommand, KeyScope } from '../key-bindings.js';
import { KeyHandoff, KeyHandoffContext } from '../hooks/use-keys.js';
import {
  appReducer,
  initialAppState,
  type AppState,
  type ClusterSummary,
  type ScreenName,
  type TranscriptInput,
} from '../hooks/app-reducer.js';

export interface AppActions {
  navigate: (screen: ScreenName) => void;
  toggleHelp: () => void;
  closeHelp: () => void;
  /** Scrolls the `?` overlay by `delta` lines, at most down to `max`. */
  scrollHelp: (delta: number, max: number) => void;
  configSaved: (config: SparkifyConfig) => void;
  /** Prints entries into the transcript above the live area. */
  print: (...entries: TranscriptInput[]) => void;
  /**
   * Marks work as running so Ctrl-C cancels it; returns the function that
   * marks it done. Several pieces may run at once (a query while the pipeline
   * runs): Ctrl-C cancels them all.
   */
  startWork: (label: string, cancel: () => void) => () => void;
  /**
   * Ctrl-C: cancels running work; with nothing running, the active screen's
   * handler may take it (the SQL prompt clears its draft); else it leaves.
   * A second Ctrl-C after a cancel leaves.
   */
  interrupt: () => void;
  /** The active screen's Ctrl-C handler for when nothing runs: returns true if it took the key. Returns the function that removes it. */
  onInterrupt: (handler: () => boolean) => () => void;
  /** The warehouse of the configured target, opened on first use and kept until the app leaves. */
  warehouse: () => Promise<Warehouse>;
  /** Opens the warehouse a config describes, asks `select 1`, closes it again. */
  checkWarehouse: (config: SparkifyConfig) => Promise<void>;
  clusterSummary: (summary: ClusterSummary | null) => void;
  /** A prompt on the screen takes every key while set (text entry, a confirmation); its scope's keys fill the help line. */
  captureInput: (scope: KeyScope | null) => void;
  /** The active screen's keys that do nothing right now; the help line leaves them out. */
  keysOff: (commands: KeyCommand[]) => void;
  /** The one way out of the app; running work is cancelled, and the app's exit code says so (130). */
  leave: () => void;
}

/** Opens the warehouse for a config; injected so tests can hand in an in-memory one. */
export type WarehouseOpener = (config: SparkifyConfig) => Promise<Warehouse>;

const AppStateContext = createContext<AppState | null>(null);
const AppActionsContext = createContext<AppActions | null>(null);

export function useAppState(): AppState {
  const state = useContext(AppStateContext);
  if (!state) throw new Error('useAppState outside AppProvider');
  return state;
}

export function useAppActions(): AppActions {
  const actions = useContext(AppActionsContext);
  if (!actions) throw new Error('useAppActions outside AppProvider');
  return actions;
}

export interface AppProviderProps {
  config: SparkifyConfig | null;
  setup?: boolean;
  openWarehouse: WarehouseOpener;
  /** Receives every warehouse the app opened, so the caller closes them in its `finally`. */
  onWarehouseOpened?: (warehouse: Warehouse) => void;
  /** Told the exit code when the app leaves: 130 if work was running and got cancelled by leaving, else 0. */
  onExitCode?: (code: number) => void;
  children: ReactNode;
}

export function AppProvider({ config, setup = false, openWarehouse, onWarehouseOpened, onExitCode, children }: AppProviderProps) {
  const [state, dispatch] = useReducer(appReducer, initialAppState(config, setup));
  const { exit } = useApp();
  const { internal_eventEmitter: input } = useStdin();
  const [handoff] = useState(() => new KeyHandoff(input));
  useEffect(() => handoff.record(), [handoff]);
  // The screen and the config as the actions below last set them (only they change them), for keys that come before a render.
  const screenRef = useRef(state.screen);
  const configRef = useRef(state.config);
  /** The work running now, oldest first. */
  const worksRef = useRef<{ label: string; cancel: () => void }[]>([]);
  const armedRef = useRef(false);
  const interruptHandlersRef = useRef<(() => boolean)[]>([]);
  const warehouseRef = useRef<{ config: SparkifyConfig; promise: Promise<Warehouse> } | null>(null);

  const leave = useCallback(() => {
    const running = worksRef.current.splice(0);
    for (const work of running) work.cancel();
    onExitCode?.(running.length > 0 ? ExitCode.cancelled : ExitCode.ok);
    exit();
  }, [exit, onExitCode]);

  const actions = useMemo<AppActions>(
    () => ({
      navigate: (screen) => {
        // Keys typed from now on are for the next screen: held until it listens.
        if (screen !== screenRef.current) handoff.hold();
        screenRef.current = screen;
        dispatch({ type: 'navigate', screen });
      },
      toggleHelp: () => dispatch({ type: 'toggle-help' }),
      closeHelp: () => dispatch({ type: 'close-help' }),
      scrollHelp: (delta, max) => dispatch({ type: 'scroll-help', delta, max }),
      configSaved: (next) => {
        const previous = warehouseRef.current;
        warehouseRef.current = null;
        if (previous) void previous.promise.then((w) => w.close()).catch(() => undefined);
        // Saving ends the wizard on the home screen: keys typed meanwhile wait for it.
        if (screenRef.current === 'setup') {
          handoff.hold();
          screenRef.current = 'home';
        }
        configRef.current = next;
        dispatch({ type: 'config-saved', config: next });
      },
      print: (...entries) => dispatch({ type: 'print', entries }),
      startWork: (label, cancel) => {
        const work = { label, cancel };
        const works = worksRef.current;
        if (works.length === 0) armedRef.current = false;
        works.push(work);
        dispatch({ type: 'busy', label: busyLabelOf(works) });
        return () => {
          const at = works.indexOf(work);
          if (at < 0) return;
          works.splice(at, 1);
          if (works.length === 0) armedRef.current = false;
          dispatch({ type: 'busy', label: busyLabelOf(works) });
        };
      },
      interrupt: () => {
        const works = worksRef.current;
        if (works.length > 0 && !armedRef.current) {
          armedRef.current = true;
          dispatch({ type: 'interrupt-armed', armed: true });
          for (const work of [...works]) work.cancel();
          return;
        }
        if (works.length === 0) {
          const handlers = interruptHandlersRef.current;
          if (handlers.length > 0 && handlers[handlers.length - 1]()) return;
        }
        leave();
      },
      onInterrupt: (handler) => {
        interruptHandlersRef.current.push(handler);
        return () => {
          const at = interruptHandlersRef.current.indexOf(handler);
          if (at >= 0) interruptHandlersRef.current.splice(at, 1);
        };
      },
      warehouse: () => {
        const current = configRef.current;
        if (!current) return Promise.reject(new Error('no target is configured yet: run the setup first'));
        if (warehouseRef.current?.config !== current) {
          const promise = openWarehouse(current).then((w) => {
            onWarehouseOpened?.(w);
            return w;
          });
          // A failed open is not cached: the next use tries again (after a fix).
          promise.catch(() => {
            if (warehouseRef.current?.promise === promise) warehouseRef.current = null;
          });
          warehouseRef.current = { config: current, promise };
        }
        return warehouseRef.current.promise;
      },
      checkWarehouse: async (candidate) => {
        // The local file takes one writer: let go of the app's own handle first.
        const previous = warehouseRef.current;
        warehouseRef.current = null;
        if (previous) await previous.promise.then((w) => w.close()).catch(() => undefined);
        const probe = await openWarehouse(candidate);
        try {
          const result = await probe.query('select 1');
          await result.close();
        } finally {
          await probe.close();
        }
      },
      clusterSummary: (summary) => dispatch({ type: 'cluster-summary', summary }),
      captureInput: (scope) => dispatch({ type: 'capture-input', scope }),
      keysOff: (commands) => dispatch({ type: 'keys-off', commands }),
      leave,
    }),
    [leave, openWarehouse, onWarehouseOpened, handoff],
  );

  return (
    <KeyHandoffContext.Provider value={handoff}>
      <AppActionsContext.Provider value={actions}>
        <AppStateContext.Provider value={state}>{children}</AppStateContext.Provider>
      </AppActionsContext.Provider>
    </KeyHandoffContext.Provider>
  );
}

/** What the header says runs: the labels of the running work, oldest first. */
function busyLabelOf(works: readonly { label: string }[]): string | null {
  if (works.length === 0) return null;
  const labels = [...new Set(works.map((work) => work.label))];
  return labels.join(' · ');
}
