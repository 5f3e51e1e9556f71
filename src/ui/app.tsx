// The interactive workbench: header, the active screen, the help line, and the
// transcript printed above them. Rendered with exitOnCtrlC off: the first
// Ctrl-C cancels what runs, a second leaves (AppActions.interrupt).
import { useEffect, useMemo, useState } from 'react';
import { Box, render, Text } from 'ink';
import { existsSync } from 'node:fs';
import { useAppKeys, useKeyHandoff } from './hooks/use-keys.js';
import { configExists, defaultLocalDatabase, sparkifyHome, type SparkifyConfig } from '../pipeline/config.js';
import { ConfigStore } from '../pipeline/config-store.js';
import { DEFAULT_SEARCH_PATH, parseSearchPath } from '../pipeline/search-path.js';
import { savedQueriesDir } from '../pipeline/saved-queries.js';
import type { Warehouse } from '../pipeline/warehouse/types.js';
import { ExitCode, SparkifyError } from '../pipeline/errors.js';
import { ErrorMessage } from './components/error-message.js';
import { Header } from './components/header.js';
import { HelpLine } from './components/help-line.js';
import { KeyHelpOverlay, overlayMaxScroll } from './components/key-help-overlay.js';
import { Transcript } from './components/transcript.js';
import { AppProvider, useAppActions, useAppState, type WarehouseOpener } from './contexts/app-context.js';
import { PipelineRunProvider } from './contexts/pipeline-run-context.js';
import type { ScreenName } from './hooks/app-reducer.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { matches, type KeyCommand, type KeyScope } from './key-bindings.js';
import { splitKeys } from './key-input.js';
import { ClusterScreen } from './screens/cluster-screen.js';
import { HomeScreen } from './screens/home-screen.js';
import { PipelineScreen } from './screens/pipeline-screen.js';
import { SetupWizard } from './screens/setup-wizard.js';
import { SqlScreen } from './screens/sql-screen.js';

const SCREEN_TITLES: Record<ScreenName, string> = {
  setup: 'setup',
  home: 'home',
  pipeline: 'pipeline',
  sql: 'SQL',
  cluster: 'cluster',
};

const SCREEN_SCOPES: Record<ScreenName, KeyScope[]> = {
  setup: ['setup', 'setup-list'],
  home: ['home', 'global'],
  pipeline: ['pipeline', 'global'],
  sql: ['sql'],
  cluster: ['cluster', 'global'],
};

/** What the `?` overlay lists on each screen: its keys, then the prompts it can raise, then the global ones. */
const OVERLAY_SCOPES: Record<ScreenName, KeyScope[]> = {
  setup: ['setup', 'setup-list'],
  home: ['home', 'global'],
  pipeline: ['pipeline', 'global'],
  sql: ['sql', 'sql-editor', 'sql-menu'],
  cluster: ['cluster', 'confirm', 'choice', 'text', 'global'],
};

const NAVIGATION: [KeyCommand, ScreenName][] = [
  ['nav.home', 'home'],
  ['nav.pipeline', 'pipeline'],
  ['nav.sql', 'sql'],
  ['nav.cluster', 'cluster'],
];

/** The key that leads to the screen already up is left out of its help line. */
const CURRENT_SCREEN_KEY: Record<ScreenName, KeyCommand[]> = {
  setup: [],
  home: ['nav.home'],
  pipeline: ['nav.pipeline'],
  sql: ['nav.sql'],
  cluster: ['nav.cluster'],
};

/** Lines the header, help line and margins take; the screen gets the rest. */
const CHROME_ROWS = 5;

export function App() {
  const state = useAppState();
  const actions = useAppActions();
  const { columns, rows } = useTerminalSize();
  const screenTakesText = state.screen === 'setup' || state.screen === 'sql' || state.inputCapture !== null;
  const height = Math.max(6, rows - CHROME_ROWS - (state.cluster || state.busyLabel ? 1 : 0));

  useAppKeys((input, key, handoff) => {
    // Every Ctrl-C counts, also two in one read (a quick double press) or one
    // after typed text: the second of two leaves, as promised. It never waits
    // for a screen to listen.
    const interrupts = splitKeys(input, key).filter(([one, pressed]) => matches('app.interrupt', one, pressed)).length;
    if (interrupts > 0) {
      for (let i = 0; i < Math.min(interrupts, 2); i++) actions.interrupt();
      return;
    }
    if (handoff?.isHolding) {
      // The SQL prompt waiting for its warehouse: Esc still goes home.
      if (state.screen === 'sql' && state.inputCapture !== 'sql' && matches('sql.back', input, key)) {
        handoff.release();
        actions.navigate('home');
      } else handoff.keep(handoff.lastRead);
      return;
    }
    if (state.helpOpen) {
      const max = overlayMaxScroll(OVERLAY_SCOPES[state.screen], height);
      if (matches('overlay.close', input, key)) actions.closeHelp();
      else if (matches('overlay.up', input, key)) actions.scrollHelp(-1, max);
      else if (matches('overlay.down', input, key)) actions.scrollHelp(1, max);
      return;
    }
    if (state.screen === 'sql' && matches('sql.back', input, key)) {
      // Once the prompt is up it takes Esc itself (it closes its history
      // search or example list first); until then (the warehouse opening or
      // failing to open) Esc goes home from here.
      if (state.inputCapture !== 'sql') actions.navigate('home');
      return;
    }
    if (screenTakesText) return;
    // Keys typed together arrive in one read ("s" and the query after it):
    // the first is this screen's, the rest is for the screen it opens.
    const first = input.length > 1 && !/[\u0000-\u001f\u007f]/.test(input[0]) ? input[0] : input;
    if (matches('app.help', first, key)) actions.toggleHelp();
    else if (matches('app.quit', first, key)) {
      // While work runs, q cancels it first, as Ctrl-C does; a second q leaves.
      if (state.busyLabel) actions.interrupt();
      else actions.leave();
    } else {
      const target = NAVIGATION.find(([command]) => matches(command, first, key));
      if (target && state.config) {
        actions.navigate(target[1]);
        if (first !== input && handoff) handoff.keep(handoff.lastRead.slice(1));
      }
    }
  });

  const screenActive = !state.helpOpen;
  const [sqlOpened, setSqlOpened] = useState(false);
  if (state.screen === 'sql' && !sqlOpened) setSqlOpened(true);
  const scopes = state.inputCapture ? [state.inputCapture] : SCREEN_SCOPES[state.screen];

  return (
    <>
      <Transcript entries={state.transcript} />
      <Box flexDirection="column" width="100%">
        <Header
          config={state.config}
          cluster={state.cluster}
          busyLabel={state.busyLabel}
          screenTitle={SCREEN_TITLES[state.screen]}
        />
        <Box flexDirection="column" marginY={1}>
          {state.helpOpen ? <KeyHelpOverlay scopes={OVERLAY_SCOPES[state.screen]} height={height} scroll={state.helpScroll} /> : null}
          {/* The overlay is drawn in the screen's place; the screen stays mounted beneath it, hidden. */}
          <Box flexDirection="column" display={state.helpOpen || state.screen === 'sql' ? 'none' : 'flex'}>
            {state.screen === 'setup' ? (
              <SetupWizard isActive={screenActive} height={height} />
            ) : state.screen === 'home' ? (
              <HomeScreen isActive={screenActive} />
            ) : state.screen === 'pipeline' ? (
              <PipelineScreen isActive={screenActive} height={height} />
            ) : state.screen === 'cluster' ? (
              <ClusterScreen isActive={screenActive} height={height} />
            ) : null}
          </Box>
          {/* Once opened, the SQL prompt stays mounted behind the other screens: its draft and result are there when it comes back. */}
          {sqlOpened ? (
            <Box flexDirection="column" display={state.screen === 'sql' && !state.helpOpen ? 'flex' : 'none'}>
              <SqlScreenMount isActive={screenActive && state.screen === 'sql'} visible={state.screen === 'sql'} height={height} width={columns} />
            </Box>
          ) : null}
        </Box>
        {state.interruptArmed ? <Text color="yellow">cancelling · press Ctrl-C again to leave</Text> : null}
        <HelpLine scopes={scopes} width={columns} hide={[...CURRENT_SCREEN_KEY[state.screen], ...state.keysOff]} />
      </Box>
    </>
  );
}

/** The SQL prompt, on the configured warehouse once it is open. */
function SqlScreenMount({ isActive, visible, height, width }: { isActive: boolean; visible: boolean; height: number; width: number }) {
  const actions = useAppActions();
  const { config } = useAppState();
  // One array per config: a new one would read the catalog again.
  const searchPath = useMemo(() => searchPathOf(config), [config]);
  const openOther = useMemo(() => otherWarehouseOpener(config), [config]);
  const handoff = useKeyHandoff();
  const [opened, setOpened] = useState<{ warehouse?: Warehouse; generation?: number; error?: { message: string; hint?: string } }>({});
  useEffect(() => {
    let stale = false;
    actions.warehouse().then(
      // A new warehouse (the config changed) gets a new session.
      (warehouse) => !stale && setOpened((before) => ({ warehouse, generation: before.warehouse === warehouse ? before.generation : (before.generation ?? 0) + 1 })),
      (error: unknown) =>
        !stale &&
        setOpened({ error: { message: (error as Error).message, hint: error instanceof SparkifyError ? error.hint : undefined } }),
    );
    return () => {
      stale = true;
    };
  }, [actions, config]);
  // No prompt will come to take the keys held for it.
  useEffect(() => {
    if (opened.error) handoff?.release();
  }, [opened.error, handoff]);
  if (opened.error) return <ErrorMessage message={opened.error.message} hint={opened.error.hint ?? 'Esc goes back; check the setup (w on the home screen)'} />;
  if (!opened.warehouse) return <Text dimColor>opening the warehouse…</Text>;
  return (
    <SqlScreen
      key={opened.generation}
      warehouse={opened.warehouse}
      isActive={isActive}
      visible={visible}
      home={sparkifyHome()}
      width={width}
      height={height}
      startWork={actions.startWork}
      searchPath={searchPath}
      savedQueriesDir={savedQueriesDir(sparkifyHome(), config?.queriesDir)}
      openOtherWarehouse={openOther}
    />
  );
}

/**
 * The engine beside the configured one, for `\compare`: Redshift when it is
 * configured next to the local file, the local file (when there is one) next
 * to Redshift; undefined when there is no other.
 */
function otherWarehouseOpener(config: SparkifyConfig | null): (() => Promise<Warehouse>) | undefined {
  if (!config) return undefined;
  const other = config.target === 'local' ? 'redshift' : 'local';
  if (other === 'redshift' && !config.redshift.clusterIdentifier && !config.redshift.workgroupName) return undefined;
  if (other === 'local' && !existsSync(config.localDatabase || defaultLocalDatabase(sparkifyHome()))) return undefined;
  return async () => {
    const { resolveTarget, openWarehouse } = await import('../pipeline/connect.js');
    return openWarehouse(resolveTarget({ target: other }, config), { shared: true, onlyReads: true, searchPath: true });
  };
}

/** The search path the SQL prompt's session sets on either engine (see connect.ts). */
function searchPathOf(config: SparkifyConfig | null): readonly string[] {
  return config?.searchPath === undefined ? DEFAULT_SEARCH_PATH : parseSearchPath(config.searchPath);
}

export interface RunAppOptions {
  setup?: boolean;
  /** Where the app draws; a test hands in its own streams. */
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  openWarehouse?: WarehouseOpener;
}

/** Opens the warehouse a config points at, loading its engine on first use. */
export const openConfiguredWarehouse: WarehouseOpener = async (config: SparkifyConfig) => {
  const { resolveTarget, openWarehouse } = await import('../pipeline/connect.js');
  return openWarehouse(resolveTarget({}, config), { shared: true, searchPath: true });
};

/** The tree the app renders; tests render it with ink-testing-library. */
export function AppRoot({
  config,
  setup,
  openWarehouse,
  onWarehouseOpened,
  onExitCode,
}: {
  config: SparkifyConfig | null;
  setup?: boolean;
  openWarehouse: WarehouseOpener;
  onWarehouseOpened?: (warehouse: Warehouse) => void;
  onExitCode?: (code: number) => void;
}) {
  return (
    <AppProvider config={config} setup={setup} openWarehouse={openWarehouse} onWarehouseOpened={onWarehouseOpened} onExitCode={onExitCode}>
      <PipelineRunProvider>
        <App />
      </PipelineRunProvider>
    </AppProvider>
  );
}

export async function runApp(options: RunAppOptions = {}): Promise<number> {
  const config = configExists() ? new ConfigStore().read() : null;
  const opened: Warehouse[] = [];
  let exitCode: number = ExitCode.ok;
  // Raw mode from the first moment: Ink turns it on only once a screen's key
  // handler attaches, after the first frame, and a key typed before that is
  // cooked by the terminal (Enter arrives as a line feed, which Ink does not
  // read as Enter) and lost. Ink turns raw mode off again when the app ends.
  const input = options.stdin ?? process.stdin;
  if (input.isTTY) input.setRawMode(true);
  const instance = render(
    <AppRoot
      config={config}
      setup={options.setup}
      openWarehouse={options.openWarehouse ?? openConfiguredWarehouse}
      onWarehouseOpened={(warehouse) => opened.push(warehouse)}
      onExitCode={(code) => (exitCode = code)}
    />,
    {
      exitOnCtrlC: false,
      ...(options.stdout ? { stdout: options.stdout } : {}),
      ...(options.stdin ? { stdin: options.stdin } : {}),
    },
  );
  // A terminal that gets narrower rewraps the frame on screen, so it takes
  // more lines than Ink erases before drawing the next one, and copies of its
  // top lines pile up. Clearing the screen first (terminals keep what it held
  // in their scrollback) leaves Ink a clean one. This runs before Ink's own
  // resize handler.
  const out = options.stdout ?? process.stdout;
  let lastWidth = out.columns;
  const onResize = () => {
    if (out.columns < lastWidth) out.write('\x1b[H\x1b[2J');
    lastWidth = out.columns;
  };
  out.prependListener('resize', onResize);
  try {
    await instance.waitUntilExit();
    return exitCode;
  } finally {
    out.off('resize', onResize);
    instance.cleanup();
    if (input.isTTY) input.setRawMode(false);
    await Promise.allSettled(opened.map((warehouse) => warehouse.close()));
  }
}
