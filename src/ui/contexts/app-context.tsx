// State and actions of the app, in two contexts: components that only act
// (key handlers, screens starting work) do not re-render when state changes.
import { createContext, useCallback, useContext, useMemo, useReducer, useRef, type ReactNode } from 'react';
import { useApp } from 'ink';
import type { SparkifyConfig } from '../../pipeline/config.js';
import type { Warehouse } from '../../pipeline/warehouse/types.js';
import type { KeyCommand, KeyScope } from '../key-bindings.js';
import {
  appReducer,
  initialAppState,
  type AppState,
  type ClusterSummary,
  type ScreenName,
  type TranscriptInput,
} from '../hooks/app-reducer.js';

export interface AppActions {
  navigate(screen: ScreenName): void;
  toggleHelp(): void;
  closeHelp(): void;
  /** Scrolls the `?` overlay by `delta` lines, at most down to `max`. */
  scrollHelp(delta: number, max: number): void;
  configSaved(config: SparkifyConfig): void;
  /** Prints entries into the transcript above the live area. */
  print(...entries: TranscriptInput[]): void;
  /**
   * Marks work as running so Ctrl-C cancels it; returns the function that
   * marks it done. Only one piece of work runs at a time.
   */
  startWork(label: string, cancel: () => void): () => void;
  /** Ctrl-C: cancels running work, or leaves when nothing runs or it was already cancelled. */
  interrupt(): void;
  /** The warehouse of the configured target, opened on first use and kept until the app leaves. */
  warehouse(): Promise<Warehouse>;
  /** Opens the warehouse a config describes, asks `select 1`, closes it again. */
  checkWarehouse(config: SparkifyConfig): Promise<void>;
  clusterSummary(summary: ClusterSummary | null): void;
  /** A prompt on the screen takes every key while set (text entry, a confirmation); its scope's keys fill the help line. */
  captureInput(scope: KeyScope | null): void;
  /** The active screen's keys that do nothing right now; the help line leaves them out. */
  keysOff(commands: KeyCommand[]): void;
  /** The one way out of the app. */
  leave(): void;
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
  children: ReactNode;
}

export function AppProvider({ config, setup = false, openWarehouse, onWarehouseOpened, children }: AppProviderProps) {
  const [state, dispatch] = useReducer(appReducer, initialAppState(config, setup));
  const { exit } = useApp();
  const cancelRef = useRef<(() => void) | null>(null);
  const armedRef = useRef(false);
  const configRef = useRef(state.config);
  configRef.current = state.config;
  const warehouseRef = useRef<{ config: SparkifyConfig; promise: Promise<Warehouse> } | null>(null);

  const leave = useCallback(() => {
    cancelRef.current?.();
    exit();
  }, [exit]);

  const actions = useMemo<AppActions>(
    () => ({
      navigate: (screen) => dispatch({ type: 'navigate', screen }),
      toggleHelp: () => dispatch({ type: 'toggle-help' }),
      closeHelp: () => dispatch({ type: 'close-help' }),
      scrollHelp: (delta, max) => dispatch({ type: 'scroll-help', delta, max }),
      configSaved: (next) => {
        const previous = warehouseRef.current;
        warehouseRef.current = null;
        if (previous) void previous.promise.then((w) => w.close()).catch(() => undefined);
        dispatch({ type: 'config-saved', config: next });
      },
      print: (...entries) => dispatch({ type: 'print', entries }),
      startWork: (label, cancel) => {
        cancelRef.current = cancel;
        armedRef.current = false;
        dispatch({ type: 'busy', label });
        return () => {
          if (cancelRef.current !== cancel) return;
          cancelRef.current = null;
          armedRef.current = false;
          dispatch({ type: 'busy', label: null });
        };
      },
      interrupt: () => {
        const cancel = cancelRef.current;
        if (cancel && !armedRef.current) {
          armedRef.current = true;
          dispatch({ type: 'interrupt-armed', armed: true });
          cancel();
          return;
        }
        leave();
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
    [leave, openWarehouse, onWarehouseOpened],
  );

  return (
    <AppActionsContext.Provider value={actions}>
      <AppStateContext.Provider value={state}>{children}</AppStateContext.Provider>
    </AppActionsContext.Provider>
  );
}
