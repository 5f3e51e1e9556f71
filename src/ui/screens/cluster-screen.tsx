// The Redshift cluster: status, endpoint, nodes, age and running cost, polled
// every few seconds; create, pause, resume and delete behind a confirmation
// that names the cluster. All AWS work is in src/pipeline/provision.
import { useEffect, useReducer, useState } from 'react';
import { setTimeout as sleep } from 'node:timers/promises';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { type SparkifyConfig } from '../../pipeline/config.js';
import { ConfigStore } from '../../pipeline/config-store.js';
import { SparkifyError, isAbortError } from '../../pipeline/errors.js';
import type { ClusterRef, ClusterSnapshot } from '../../pipeline/provision/cluster.js';
import type { PowerHistory } from '../../pipeline/provision/billing.js';
import { CLUSTER_DEFAULTS } from '../../pipeline/provision/defaults.js';
import { defaultRoleName } from '../../pipeline/provision/role.js';
import { ConfirmPrompt } from '../components/confirm-prompt.js';
import { ErrorMessage } from '../components/error-message.js';
import { Spinner } from '../components/spinner.js';
import { TextField } from '../components/text-field.js';
import { WarehouseStatus } from '../components/warehouse-status.js';
import { useAppActions, useAppState, type AppActions } from '../contexts/app-context.js';
import { clusterReducer, initialClusterState, type ClusterAction } from '../hooks/cluster-reducer.js';
import { matches } from '../key-bindings.js';
import { DeletePrompts } from './cluster-delete-prompts.js';
import { WorkgroupPanel, workgroupRefOf } from './workgroup-panel.js';

const CLUSTER_KEYS = ['cluster.create', 'cluster.pause', 'cluster.resume', 'cluster.delete'] as const;

/** Statuses a pause or resume may be asked in: it waits for them to pass, then acts. */
const QUEUE_FROM = { pause: ['creating', 'resuming', 'modifying'], resume: ['pausing'] };
/** Statuses already heading where the action goes: nothing to wait for. */
const QUEUE_SKIP = { pause: ['pausing'], resume: ['resuming'] };
type ClusterKey = (typeof CLUSTER_KEYS)[number];


export function clusterRefOf(config: SparkifyConfig | null): ClusterRef | null {
  if (!config) return null;
  const profile = config.redshift.profile;
  // Redshift keeps identifiers in lower case, and so do its answers: the snapshot is matched to the ref by it.
  if (config.cluster?.kind === 'provisioned') return { identifier: config.cluster.identifier.toLowerCase(), region: config.cluster.region, profile };
  if (config.redshift.clusterIdentifier) {
    return { identifier: config.redshift.clusterIdentifier.toLowerCase(), region: config.redshift.region ?? CLUSTER_DEFAULTS.region, profile };
  }
  return null;
}

function describeError(error: unknown): { message: string; hint?: string } {
  return { message: (error as Error)?.message ?? String(error), hint: error instanceof SparkifyError ? error.hint : undefined };
}

/** The megabytes the cluster stores, for its storage cost; undefined when it is not an available RA3 cluster or cannot say. */
async function storageOf(ref: ClusterRef, snapshot: ClusterSnapshot, config: SparkifyConfig, signal: AbortSignal): Promise<number | undefined> {
  const { clusterStoredMegabytes } = await import('../../pipeline/provision/storage.js');
  const { openWarehouse, resolveTarget } = await import('../../pipeline/connect.js');
  const open = () => openWarehouse(resolveTarget({ clusterId: ref.identifier, region: ref.region, profile: ref.profile }, config));
  return clusterStoredMegabytes(snapshot, open, signal).catch(() => undefined);
}

async function costOf(snapshot: ClusterSnapshot, config: SparkifyConfig, history: PowerHistory | undefined, storageMb: number | undefined) {
  const { describeCost, estimateCost, priceTable, formatHours } = await import('../../pipeline/provision/cost.js');
  if (!snapshot.nodeType || snapshot.status === 'gone') return null;
  const estimate = estimateCost(
    {
      kind: 'provisioned',
      nodeType: snapshot.nodeType,
      nodes: snapshot.nodes ?? 1,
      region: snapshot.region,
      status: snapshot.status,
      createdAt: snapshot.createdAt,
      history,
      storageMb,
    },
    priceTable(config.prices),
    new Date(),
  );
  return {
    soFar: estimate.soFar,
    text: describeCost(estimate).short,
    age: formatHours(estimate.hours),
    basis: estimate.basis,
  };
}

type Cost = Awaited<ReturnType<typeof costOf>>;

async function runChange(
  label: string,
  work: (signal: AbortSignal, progress: (line: string) => void) => Promise<void>,
  dispatch: (action: ClusterAction) => void,
  actions: AppActions,
): Promise<void> {
  const controller = new AbortController();
  const done = actions.startWork(label, () => controller.abort());
  dispatch({ type: 'change-started', label });
  try {
    await work(controller.signal, (line) => dispatch({ type: 'progress', line }));
  } catch (error) {
    if (!isAbortError(error)) {
      const { message, hint } = describeError(error);
      dispatch({ type: 'error', message, hint });
    }
  } finally {
    dispatch({ type: 'change-finished' });
    done();
  }
}

export function ClusterScreen({ isActive, refreshMs = 5_000 }: { isActive: boolean; height: number; refreshMs?: number }) {
  const { config } = useAppState();
  const actions = useAppActions();
  const [state, dispatch] = useReducer(clusterReducer, undefined, initialClusterState);
  const [cost, setCost] = useState<Cost>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const ref = clusterRefOf(config);
  const workgroup = ref ? null : workgroupRefOf(config);
  const refKey = ref ? `${ref.identifier}|${ref.region}|${ref.profile ?? ''}` : '';

  useEffect(() => {
    actions.captureInput(
      state.mode === 'view' ? null : state.mode === 'name' || state.mode === 'delete-name' ? 'text' : state.mode === 'confirm-snapshot' ? 'choice' : 'confirm',
    );
  }, [state.mode, actions]);

  useEffect(() => {
    if (!ref || !config) return;
    const controller = new AbortController();
    void (async () => {
      const { watchCluster } = await import('../../pipeline/provision/cluster.js');
      const { clusterPowerHistory } = await import('../../pipeline/provision/billing.js');
      // The pause history and the stored size are read again only when the status changes: paused hours
      // bill storage only, and only an available cluster answers the size.
      let history: { status: string; read?: PowerHistory; storageMb?: number } | undefined;
      while (!controller.signal.aborted) {
        try {
          for await (const snapshot of watchCluster(ref, { intervalMs: refreshMs, signal: controller.signal, untilStable: false })) {
            // The header and the cost change before the status they go with: a frame drawn between two of
            // these updates never shows the new status beside the old header or cost.
            const publish = async () => {
              const estimate = await costOf(snapshot, config, history?.read, history?.storageMb);
              if (controller.signal.aborted) return;
              actions.clusterSummary(
                snapshot.status === 'gone' ? null : { identifier: snapshot.identifier, status: snapshot.status, costUsd: estimate?.soFar },
              );
              setCost(estimate);
              dispatch({ type: 'snapshot', snapshot });
            };
            await publish();
            // The status shows at once; its cost is drawn again once the power history and stored size are read.
            if (history?.status !== snapshot.status && snapshot.status !== 'gone') {
              history = {
                status: snapshot.status,
                read: await clusterPowerHistory(ref, snapshot.createdAt, new Date(), controller.signal).catch(() => undefined),
                storageMb: await storageOf(ref, snapshot, config, controller.signal),
              };
              await publish();
            }
          }
        } catch (error) {
          if (controller.signal.aborted) return;
          const { message, hint } = describeError(error);
          dispatch({ type: 'error', message, hint });
        }
        await sleep(refreshMs, undefined, { signal: controller.signal }).catch(() => undefined);
      }
    })();
    return () => controller.abort();
    // The watch restarts when the cluster it follows changes, or on a manual refresh.
  }, [refKey, refreshKey, refreshMs]);

  const snapshot = state.snapshot && ref && state.snapshot.identifier === ref.identifier ? state.snapshot : null;
  const exists = snapshot !== null && snapshot.status !== 'gone';

  // What each key can do now: the keys act only then, and the help line names only these.
  const idle = state.mode === 'view' && !state.change;
  const can: Record<ClusterKey, boolean> = {
    'cluster.create': idle && !workgroup && (!ref || snapshot?.status === 'gone'),
    'cluster.pause': idle && ['available', ...QUEUE_FROM.pause].includes(snapshot?.status ?? ''),
    'cluster.resume': idle && ['paused', ...QUEUE_FROM.resume].includes(snapshot?.status ?? ''),
    'cluster.delete': idle && exists,
  };
  const keysOff = CLUSTER_KEYS.filter((command) => !can[command]).join(' ');
  useEffect(() => {
    actions.keysOff(keysOff ? (keysOff.split(' ') as ClusterKey[]) : []);
  }, [keysOff, actions]);
  useEffect(() => () => actions.keysOff([]), [actions]);

  const create = (identifier: string) =>
    runChange(
      `creating cluster ${identifier}`,
      async (signal, progress) => {
        const { createCluster } = await import('../../pipeline/provision/cluster.js');
        const { resolveS3Sources, sourceLocations } = await import('../../pipeline/provision/role.js');
        const { rememberCluster } = await import('../../pipeline/provision/record.js');
        const current = config ?? { target: 'local' as const, sources: {}, redshift: {} };
        const sources = resolveS3Sources({}, current.sources);
        const scope = { region: current.redshift.region ?? CLUSTER_DEFAULTS.region, profile: current.redshift.profile };
        const created = await createCluster(
          {
            ...scope,
            identifier,
            nodeType: CLUSTER_DEFAULTS.nodeType,
            nodes: CLUSTER_DEFAULTS.nodes,
            database: CLUSTER_DEFAULTS.database,
            dbUser: CLUSTER_DEFAULTS.dbUser,
            roleName: defaultRoleName(identifier),
            locations: sourceLocations(sources, [], current.redshift.manifestPrefix),
          },
          { signal, onProgress: (p) => progress(`${p.step}: ${p.outcome} · ${p.detail}`) },
        );
        const saved = rememberCluster(new ConfigStore(), created, { database: CLUSTER_DEFAULTS.database, dbUser: CLUSTER_DEFAULTS.dbUser, profile: scope.profile }, sources);
        actions.print({ kind: 'note', text: `✓ cluster ${identifier} requested; the config now points at it`, tone: 'success' });
        actions.configSaved(saved);
      },
      dispatch,
      actions,
    );

  const lifecycle = (kind: 'pause' | 'resume' | 'delete', finalSnapshot = false) => {
    if (!ref) return;
    const label = `${kind === 'pause' ? 'pausing' : kind === 'resume' ? 'resuming' : 'deleting'} cluster ${ref.identifier}`;
    void runChange(
      label,
      async (signal, progress) => {
        const cluster = await import('../../pipeline/provision/cluster.js');
        const intervalMs = refreshMs;
        // Asked while it is on its way elsewhere (resuming when paused, ...): the action waits its turn.
        if (kind !== 'delete' && snapshot && cluster.isTransitional(snapshot.status) && !QUEUE_SKIP[kind].includes(snapshot.status)) {
          progress(`${snapshot.status}: ${kind === 'pause' ? 'pausing' : 'resuming'} once it settles`);
          await cluster.settledCluster(ref, { intervalMs, signal, onChange: (s) => progress(s.status) });
        }
        if (kind === 'pause') await cluster.pauseCluster(ref, signal);
        else if (kind === 'resume') await cluster.resumeCluster(ref, signal);
        else {
          const snapshotId = finalSnapshot ? cluster.finalSnapshotName(ref.identifier, new Date()) : undefined;
          await cluster.deleteCluster(ref, { signal, finalSnapshotId: snapshotId });
          progress(snapshotId ? `final snapshot ${snapshotId} first, then the cluster goes` : 'no final snapshot');
          // Followed until it is gone, so the screen never forgets a cluster that still bills.
          await cluster.settledCluster(ref, { intervalMs, signal, onChange: (s) => progress(s.status) });
          const roleName = config?.cluster?.identifier === ref.identifier ? config.cluster.roleName : undefined;
          if (roleName) {
            const { deleteSourceRole } = await import('../../pipeline/provision/role.js');
            await deleteSourceRole(ref, roleName, signal);
          }
          const { forgetManaged } = await import('../../pipeline/provision/record.js');
          const store = new ConfigStore();
          const changes = forgetManaged(store, ref.identifier);
          const kept = snapshotId ? ` · final snapshot ${snapshotId} kept` : '';
          actions.print({ kind: 'note', text: `✓ cluster ${ref.identifier} is gone${kept}${changes.length ? ` · ${changes.join(' · ')}` : ''}`, tone: 'success' });
          actions.configSaved(store.read());
          return;
        }
        setRefreshKey((k) => k + 1);
      },
      dispatch,
      actions,
    );
  };

  useKeys(
    (input, key) => {
      if (!idle) return;
      if (matches('cluster.refresh', input, key)) setRefreshKey((k) => k + 1);
      else if (matches('cluster.create', input, key) && can['cluster.create']) dispatch({ type: 'mode', mode: 'name' });
      else if (matches('cluster.pause', input, key) && can['cluster.pause']) dispatch({ type: 'mode', mode: 'confirm-pause' });
      else if (matches('cluster.resume', input, key) && can['cluster.resume']) dispatch({ type: 'mode', mode: 'confirm-resume' });
      else if (matches('cluster.delete', input, key) && can['cluster.delete']) dispatch({ type: 'mode', mode: 'confirm-snapshot' });
    },
    { isActive },
  );

  useKeys(
    (input, key) => {
      if (matches('text.cancel', input, key)) dispatch({ type: 'mode', mode: 'view' });
    },
    { isActive: isActive && (state.mode === 'name' || state.mode === 'delete-name') },
  );

  const region = ref?.region ?? config?.redshift.region ?? CLUSTER_DEFAULTS.region;
  const roleName = config?.cluster?.roleName;

  return (
    <Box flexDirection="column">
      {!ref && workgroup && config ? (
        <WorkgroupPanel workgroupRef={workgroup} config={config} refreshMs={refreshMs} refreshKey={refreshKey} />
      ) : !ref ? (
        <Box flexDirection="column">
          <Text>no cluster configured</Text>
          <Text dimColor>n creates one ({CLUSTER_DEFAULTS.nodes} × {CLUSTER_DEFAULTS.nodeType} in {region}), or run `sparkify setup` to use an existing cluster</Text>
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text>
            <Text dimColor>{'cluster'.padEnd(10)}</Text>
            <Text bold>{ref.identifier}</Text> <Text dimColor>({ref.region}{ref.profile ? ` · profile ${ref.profile}` : ''})</Text>
          </Text>
          <Text>
            <Text dimColor>{'status'.padEnd(10)}</Text>
            <WarehouseStatus status={snapshot?.status} />
          </Text>
          {exists ? (
            <>
              <Text wrap="truncate-end">
                <Text dimColor>{'endpoint'.padEnd(10)}</Text>
                {snapshot.endpoint ? `${snapshot.endpoint.address}:${snapshot.endpoint.port}` : '(none yet)'}
              </Text>
              <Text>
                <Text dimColor>{'nodes'.padEnd(10)}</Text>
                {snapshot.nodes ?? '?'} × {snapshot.nodeType ?? '?'}
                {cost ? <Text dimColor> · age {cost.age}</Text> : null}
              </Text>
              {cost ? (
                <Text wrap="truncate-end">
                  <Text dimColor>{'cost'.padEnd(10)}</Text>
                  {cost.text}
                </Text>
              ) : null}
            </>
          ) : null}
        </Box>
      )}
      {state.change ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="yellow">
            <Spinner /> {state.change}…
          </Text>
          {state.progress.map((line, i) => (
            <Text key={i} dimColor wrap="truncate-end">
              {'  '}
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
      {state.error ? (
        <Box marginTop={1}>
          <ErrorMessage message={state.error.message} hint={state.error.hint} />
        </Box>
      ) : null}
      {state.mode === 'name' ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Name of the new cluster</Text>
          <TextField
            value={state.nameInput}
            isActive={isActive}
            onChange={(value) => dispatch({ type: 'name-input', value })}
            onSubmit={(value) => dispatch({ type: 'mode', mode: value.trim() ? 'confirm-create' : 'name' })}
          />
        </Box>
      ) : null}
      {state.mode === 'confirm-create' ? (
        <ConfirmPrompt
          isActive={isActive}
          question={`Create cluster ${state.nameInput.trim()}?`}
          details={[
            `${CLUSTER_DEFAULTS.nodes} × ${CLUSTER_DEFAULTS.nodeType} in ${region}, database ${CLUSTER_DEFAULTS.database}; it bills every hour until paused or deleted.`,
            `Also creates the IAM role ${defaultRoleName(state.nameInput.trim())} with read access to the sources only.`,
          ]}
          onAnswer={(yes) => {
            dispatch({ type: 'mode', mode: 'view' });
            if (yes) void create(state.nameInput.trim());
          }}
        />
      ) : null}
      {state.mode === 'confirm-pause' && ref ? (
        <ConfirmPrompt
          isActive={isActive}
          question={`Pause cluster ${ref.identifier}${snapshot?.status === 'available' ? '' : ` once it is available (it is ${snapshot?.status})`}?`}
          details={['Node billing stops while paused; storage is still billed. Queries fail until you resume it.']}
          onAnswer={(yes) => {
            dispatch({ type: 'mode', mode: 'view' });
            if (yes) lifecycle('pause');
          }}
        />
      ) : null}
      {state.mode === 'confirm-resume' && ref ? (
        <ConfirmPrompt
          isActive={isActive}
          question={`Resume cluster ${ref.identifier}${snapshot?.status === 'paused' ? '' : ` once it is paused (it is ${snapshot?.status})`}?`}
          details={['Node billing starts again once it is available.']}
          onAnswer={(yes) => {
            dispatch({ type: 'mode', mode: 'view' });
            if (yes) lifecycle('resume');
          }}
        />
      ) : null}
      {(state.mode === 'confirm-snapshot' || state.mode === 'delete-name') && ref ? (
        <DeletePrompts
          step={state.mode}
          identifier={ref.identifier}
          roleName={roleName}
          finalSnapshot={state.finalSnapshot}
          typed={state.typedName}
          isActive={isActive}
          onSnapshot={(keep) => dispatch({ type: 'delete-snapshot', keep })}
          onCancel={() => dispatch({ type: 'mode', mode: 'view' })}
          onTyped={(value) => dispatch({ type: 'typed-name', value })}
          onSubmit={(value) => {
            dispatch({ type: 'mode', mode: 'view' });
            if (value.trim() === ref.identifier) lifecycle('delete', state.finalSnapshot);
            else actions.print({ kind: 'note', text: `"${value.trim()}" is not ${ref.identifier}: nothing was deleted`, tone: 'dim' });
          }}
        />
      ) : null}
      {cost && exists && state.mode === 'view' ? (
        <Text dimColor wrap="truncate-end">
          {cost.basis}
        </Text>
      ) : null}
    </Box>
  );
}
