// First-run setup (and `sparkify setup`): choose the warehouse, the data, the
// AWS settings; check what can be checked; save to the config (0600, no
// secrets). Esc goes back a step; Ctrl-C leaves without writing anything.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { sparkifyHome, type SparkifyConfig } from '../../pipeline/config.js';
import { ConfigStore } from '../../pipeline/config-store.js';
import { priceTable } from '../../pipeline/provision/cost.js';
import { SERVERLESS_DEFAULTS } from '../../pipeline/provision/defaults.js';
import { serverlessOffer, usageLimitLine } from '../../pipeline/provision/offers.js';
import { SparkifyError } from '../../pipeline/errors.js';
import { ErrorMessage } from '../components/error-message.js';
import { SelectList } from '../components/select-list.js';
import { Spinner } from '../components/spinner.js';
import { TextField } from '../components/text-field.js';
import { useAppActions, useAppState } from '../contexts/app-context.js';
import { checkAwsIdentity, checkConnection, checkManifestPrefix, checkWarehouseExists, checkFile, checkSourceFolder, listAwsProfiles, type CheckResult } from '../hooks/setup-checks.js';
import { createDraftWorkgroup, creationFailure } from '../hooks/setup-create.js';
import { draftToConfig, initialSetupState, setupReducer, type SetupAction } from '../hooks/setup-reducer.js';
import { choicesFor, promptFor, type SetupDraft } from '../hooks/setup-steps.js';
import { matches } from '../key-bindings.js';

const SAMPLE_SEED = 42;
/** Sample sizes the wizard offers: scale 1 is about the course data. */
const SAMPLES = {
  sample: { folder: 'sample', scale: 1 },
  'sample-large': { folder: 'sample-large', scale: 30 },
} as const;

async function runChecks(
  draft: SetupDraft,
  config: SparkifyConfig,
  checkWarehouse: (config: SparkifyConfig) => Promise<void>,
  signal: AbortSignal,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  if (draft.choice !== 'redshift-new') {
    results.push(await checkSourceFolder('song data', config.sources.songData));
    results.push(await checkSourceFolder('event logs', config.sources.logData));
    results.push(checkFile('jsonpaths', config.sources.logJsonpaths));
  }
  if (config.target === 'redshift') {
    const identity = await checkAwsIdentity(config.redshift.region, config.redshift.profile, signal);
    results.push(identity);
    if (!identity.ok || draft.choice === 'redshift-new') return results;
    const exists = await checkWarehouseExists(config, signal);
    results.push(exists);
    if (!exists.ok) return results;
    if (config.redshift.manifestPrefix) results.push(await checkManifestPrefix(config, signal));
  }
  if (results.every((r) => r.ok)) results.push(await checkConnection('warehouse', () => checkWarehouse(config)));
  return results;
}

function CheckList({ checks }: { checks: CheckResult[] }) {
  return (
    <Box flexDirection="column">
      {checks.map((check, i) => (
        <Box key={`${i}:${check.name}`} flexDirection="column">
          <Box>
            <Text color={check.ok ? 'green' : 'red'}>{check.ok ? '✓ ' : '✗ '}</Text>
            <Text>
              {check.name}: {check.detail}
            </Text>
          </Box>
          {!check.ok && check.hint ? (
            <Box paddingLeft={4}>
              <Text dimColor>{check.hint}</Text>
            </Box>
          ) : null}
        </Box>
      ))}
    </Box>
  );
}

/** What creating the workgroup sets up and costs, before the person says yes. */
function CreateDetails({ draft, config }: { draft: SetupDraft; config: SparkifyConfig | null }) {
  const prices = priceTable(config?.prices);
  const offer = serverlessOffer(prices, draft.region ?? SERVERLESS_DEFAULTS.region);
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text dimColor>base capacity {offer.baseCapacity} RPU (the minimum), billed per second only while queries run</Text>
      <Text dimColor>usage limit: {usageLimitLine(offer.usageLimit, prices)}</Text>
      <Text dimColor>not publicly accessible; the admin password stays in AWS Secrets Manager</Text>
    </Box>
  );
}

export function SetupWizard({ isActive }: { isActive: boolean; height: number }) {
  const { config, setupAsked } = useAppState();
  const actions = useAppActions();
  // The reducer runs here rather than in useReducer so key handlers see the
  // state their previous key produced, even before React renders it: an
  // arrow key and Enter in one read (tmux `send-keys Up Enter`) must choose
  // the item the arrow moved to, not the one drawn last.
  const [state, setState] = useState(() => initialSetupState(config));
  const stateRef = useRef(state);
  const dispatch = useCallback((action: SetupAction) => {
    stateRef.current = setupReducer(stateRef.current, action);
    setState(stateRef.current);
  }, []);
  const profiles = useMemo(() => listAwsProfiles(), []);
  const prices = useMemo(() => priceTable(config?.prices), [config]);
  const choices = choicesFor(state.step, state.draft, profiles, state.found, prices);
  const prompt = promptFor(state.step, state.draft);
  const listStep = choices !== null;

  // Ctrl-C with text typed clears the field first, as in a shell; on an empty field it leaves.
  useEffect(() => {
    if (!isActive || listStep) return undefined;
    return actions.onInterrupt(() => {
      if (stateRef.current.input === '') return false;
      dispatch({ type: 'input', value: '' });
      return true;
    });
  }, [isActive, listStep, actions, dispatch]);

  // Off a list, the arrow keys do nothing: the help line leaves them out.
  useEffect(() => {
    actions.captureInput(listStep ? null : 'setup');
  }, [listStep, actions]);

  useKeys(
    (input, key) => {
      // What the previous key left, not what was last drawn (see the reducer above).
      const current = stateRef.current;
      if (matches('setup.back', input, key)) {
        // On the first question Esc goes back where the person came from: the shell for `sparkify setup`, else home.
        if (current.history.length === 0 && setupAsked) actions.leave();
        else if (current.history.length === 0 && config) actions.navigate('home');
        else dispatch({ type: 'back' });
        return;
      }
      // While a text field is drawn, Enter is its key: it has already
      // submitted, and the step it led to must not take the same Enter too.
      if (prompt && matches('setup.choose', input, key)) return;
      const list = choicesFor(current.step, current.draft, profiles, current.found, prices);
      if (list) {
        // Enter pressed twice faster than Ink reads comes as one "\r\r": the
        // first chooses here; the next question is for the person to see first.
        if (/^\r{2,}$/.test(input)) {
          dispatch({ type: 'choose', value: list[current.cursor].value });
          return;
        }
        if (matches('setup.up', input, key)) dispatch({ type: 'move', delta: -1, count: list.length });
        else if (matches('setup.down', input, key)) dispatch({ type: 'move', delta: 1, count: list.length });
        else if (matches('setup.choose', input, key)) dispatch({ type: 'choose', value: list[current.cursor].value });
        return;
      }
      if (current.step === 'checking' && !current.checking && matches('setup.choose', input, key)) dispatch({ type: 'checks-started' });
    },
    { isActive },
  );

  useEffect(() => {
    if (state.step !== 'generating') return;
    const sample = SAMPLES[state.draft.localData === 'sample-large' ? 'sample-large' : 'sample'];
    const out = join(sparkifyHome(), sample.folder);
    const generated = {
      songData: join(out, 'song_data'),
      logData: join(out, 'log_data'),
      logJsonpaths: join(out, 'log_json_path.json'),
    };
    if (existsSync(generated.songData) && existsSync(generated.logData)) {
      dispatch({ type: 'generated', ...generated });
      return;
    }
    const controller = new AbortController();
    const done = actions.startWork('generating sample data', () => controller.abort());
    void (async () => {
      try {
        const { generateSample } = await import('../../pipeline/sample/generate.js');
        const summary = await generateSample({
          out,
          scale: sample.scale,
          seed: SAMPLE_SEED,
          signal: controller.signal,
          onProgress: (p) => dispatch({ type: 'progress', text: `${p.phase}: ${p.filesDone}/${p.filesTotal} files` }),
        });
        actions.print({ kind: 'note', text: `sample data: ${summary.songs} songs, ${summary.events} events in ${out}`, tone: 'dim' });
        dispatch({ type: 'generated', ...generated });
      } catch (error) {
        const hint = error instanceof SparkifyError && error.hint ? ` (${error.hint})` : '';
        dispatch({ type: 'generation-failed', message: `${(error as Error).message}${hint}` });
      } finally {
        done();
      }
    })();
    return () => controller.abort();
  }, [state.step, state.draft.localData, actions]);

  // The clusters and workgroups these credentials see, to choose from.
  useEffect(() => {
    if (state.step !== 'warehouse' || state.found !== null) return;
    const controller = new AbortController();
    const done = actions.startWork('looking for clusters and workgroups', () => controller.abort());
    void (async () => {
      try {
        const { discoverWarehouses } = await import('../../pipeline/provision/discover.js');
        const items = await discoverWarehouses({ region: state.draft.region ?? 'us-east-1', profile: state.draft.profile }, controller.signal);
        if (!controller.signal.aborted) dispatch({ type: 'found', items });
      } catch (error) {
        if (!controller.signal.aborted) dispatch({ type: 'find-failed', message: (error as Error).message });
      } finally {
        done();
      }
    })();
    return () => controller.abort();
  }, [state.step, state.found, state.draft.region, state.draft.profile, actions, dispatch]);

  const draftConfig = useMemo(() => draftToConfig(state.draft, config), [state.draft, config]);

  useEffect(() => {
    if (state.step !== 'checking') return;
    if (state.checks === null && !state.checking) dispatch({ type: 'checks-started' });
  }, [state.step, state.checks, state.checking]);

  // A new workgroup: created with its steps listed as they finish, then saved as the target.
  useEffect(() => {
    if (state.step !== 'checking' || !state.checking || state.draft.choice !== 'serverless-new') return;
    const controller = new AbortController();
    const done = actions.startWork(`creating workgroup ${state.draft.newWorkgroup}`, () => controller.abort());
    const steps: CheckResult[] = [];
    const onStep = (step: CheckResult) => {
      steps.push(step);
      if (!controller.signal.aborted) dispatch({ type: 'check-progress', result: step });
    };
    void createDraftWorkgroup(state.draft, config, onStep, controller.signal)
      .then((created) => {
        actions.print(
          ...steps.map((r) => ({ kind: 'note' as const, text: `✓ ${r.name}: ${r.detail}`, tone: 'dim' as const })),
          ...created.lines.map((text) => ({ kind: 'note' as const, text, tone: 'dim' as const })),
          { kind: 'note', text: `✓ settings saved to ${created.path}: target redshift, workgroup ${state.draft.newWorkgroup}`, tone: 'success' },
        );
        actions.configSaved(created.config);
        actions.navigate('cluster');
      })
      .catch((error: unknown) => dispatch({ type: 'checks-finished', results: [...steps, creationFailure(error)] }))
      .finally(done);
    return () => controller.abort();
  }, [state.step, state.checking, state.draft, config, actions, dispatch]);

  useEffect(() => {
    if (state.step !== 'checking' || !state.checking || state.draft.choice === 'serverless-new') return;
    const controller = new AbortController();
    const done = actions.startWork('checking the settings', () => controller.abort());
    void runChecks(state.draft, draftConfig, actions.checkWarehouse, controller.signal)
      .then((results) => {
        if (controller.signal.aborted) return;
        dispatch({ type: 'checks-finished', results });
        if (!results.every((r) => r.ok)) return;
        const store = new ConfigStore();
        const saved = store.update(draftConfig);
        // The screen moves on at once: what was checked stays in the transcript.
        actions.print(
          ...results.map((r) => ({ kind: 'note' as const, text: `✓ ${r.name}: ${r.detail}`, tone: 'dim' as const })),
          { kind: 'note', text: `✓ settings saved to ${store.path}`, tone: 'success' },
        );
        actions.configSaved(saved);
        if (state.draft.choice === 'redshift-new') actions.navigate('cluster');
      })
      .catch((error: unknown) => dispatch({ type: 'checks-finished', results: [{ name: 'saving', ok: false, detail: (error as Error).message }] }))
      .finally(done);
    return () => controller.abort();
  }, [state.step, state.checking, state.draft, draftConfig, actions]);

  const creating = state.draft.choice === 'serverless-new';
  return (
    <Box flexDirection="column">
      {choices ? (
        <Box flexDirection="column">
          <Text bold>{state.step === 'target' ? 'Where should the star schema live?' : state.step === 'local-data' ? 'Which data?' : state.step === 'profile' ? 'Which AWS credentials?' : state.step === 'kind' ? 'What kind of Redshift?' : state.step === 'warehouse' ? 'Which cluster or workgroup?' : state.step === 'confirm-create' ? `Create Serverless workgroup ${state.draft.newWorkgroup} in ${state.draft.region}?` : 'How does sparkify sign in to the database?'}</Text>
          {state.step === 'confirm-create' ? <CreateDetails draft={state.draft} config={config} /> : null}
          <SelectList items={choices} selected={state.cursor} />
        </Box>
      ) : null}
      {state.step === 'warehouse' && !choices ? (
        <Text>
          <Spinner /> looking for clusters and workgroups in {state.draft.region}…
        </Text>
      ) : null}
      {state.notice ? <Text dimColor>{state.notice}</Text> : null}
      {prompt ? (
        <Box flexDirection="column">
          <Text bold>{prompt.question}</Text>
          <TextField
            value={state.input}
            placeholder={prompt.example ? `e.g. ${prompt.example}` : undefined}
            isActive={isActive}
            onChange={(value) => dispatch({ type: 'input', value })}
            onSubmit={() => dispatch({ type: 'submit' })}
          />
        </Box>
      ) : null}
      {state.step === 'generating' ? (
        <Text>
          <Spinner /> generating sample data {state.progress ? <Text dimColor>{state.progress}</Text> : null}
        </Text>
      ) : null}
      {state.step === 'checking' ? (
        <Box flexDirection="column">
          <Text bold>{creating ? `Creating workgroup ${state.draft.newWorkgroup}` : 'Checking the settings'}</Text>
          {state.checks ? <CheckList checks={state.checks} /> : null}
          {state.checking ? (
            <Text>
              <Spinner /> {creating ? 'creating…' : 'checking…'}
            </Text>
          ) : null}
          {state.checks && !state.checks.every((c) => c.ok) ? (
            <Text dimColor>
              {creating ? 'nothing was saved · Enter tries again (what was made is reused) · Esc goes back' : 'nothing was saved · Enter checks again · Esc goes back to fix'}
            </Text>
          ) : null}
        </Box>
      ) : null}
      {state.problem ? <ErrorMessage message={state.problem} /> : null}
    </Box>
  );
}
