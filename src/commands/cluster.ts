// `sparkify cluster ...`: thin commands that read flags and the config, ask
// before anything that costs or destroys, call the provisioning core and
// print what happened.
import { readConfig, type SparkifyConfig } from '../pipeline/config.js';
import { ConfigStore } from '../pipeline/config-store.js';
import { UsageError } from '../pipeline/errors.js';
import type { AwsScope } from '../pipeline/provision/aws.js';
import {
  type ClusterRef,
  type ClusterSnapshot,
  createCluster,
  deleteCluster,
  describeCluster,
  finalSnapshotName,
  findCluster,
  findSnapshot,
  isTransitional,
  pauseCluster,
  resumeCluster,
  settledCluster,
  validateClusterIdentifier,
  watchCluster,
} from '../pipeline/provision/cluster.js';
import { clusterPowerHistory, type PowerHistory } from '../pipeline/provision/billing.js';
import { type CostEstimate, describeCost, estimateCost, formatHours, formatUsd, priceTable } from '../pipeline/provision/cost.js';
import { CLUSTER_DEFAULTS, IDLE_PAUSE_MINUTES } from '../pipeline/provision/defaults.js';
import { type Idleness, clusterIdleness } from '../pipeline/provision/idle.js';
import { type PauseSchedule, findPauseSchedule, removePauseSchedule, schedulePause, schedulerRoleName } from '../pipeline/provision/schedule.js';
import { forgetManaged, rememberCluster } from '../pipeline/provision/record.js';
import { validateRegion } from '../pipeline/provision/regions.js';
import { defaultRoleName, deleteSourceRole } from '../pipeline/provision/role.js';
import {
  type AwsFlags,
  type SourceFlags,
  type WaitFlags,
  askYesNo,
  confirm,
  confirmByName,
  describeLocations,
  describeSources,
  explainInterrupt,
  out,
  printProgress,
  printRows,
  requireTerminal,
  scopeFor,
  timestamp,
  sourcesFor,
} from './aws-command.js';
import { withInterrupt } from './interrupt.js';
import { openWarehouse, resolveTarget } from '../pipeline/connect.js';
import { clusterStoredMegabytes } from '../pipeline/provision/storage.js';

function clusterRefFor(flags: AwsFlags & { clusterId?: string }, config: SparkifyConfig): ClusterRef {
  const fromConfig = config.cluster?.kind === 'provisioned' ? config.cluster.identifier : config.redshift.clusterIdentifier;
  // Redshift keeps identifiers in lower case and matches them so; a config written by hand may not.
  const identifier = (flags.clusterId ?? fromConfig)?.toLowerCase();
  if (!identifier) {
    throw new UsageError(
      'no cluster given and none in the config',
      config.cluster?.kind === 'serverless'
        ? 'the config holds a Serverless workgroup: use `sparkify serverless status`'
        : 'pass --cluster-id, or create one with `sparkify cluster create --cluster-id <id>`',
    );
  }
  validateClusterIdentifier(identifier);
  return { identifier, ...scopeFor(flags, config, identifier) };
}

function clusterCost(snapshot: ClusterSnapshot, config: SparkifyConfig, now = new Date(), read: CostReads = {}): CostEstimate | undefined {
  if (!snapshot.nodeType || !snapshot.nodes) return undefined;
  const createdAt = snapshot.createdAt ?? (config.cluster?.identifier === snapshot.identifier && config.cluster.createdAt ? new Date(config.cluster.createdAt) : undefined);
  const { history, storageMb } = read;
  return estimateCost(
    { kind: 'provisioned', nodeType: snapshot.nodeType, nodes: snapshot.nodes, region: snapshot.region, status: snapshot.status, createdAt, history, storageMb },
    priceTable(config.prices),
    now,
  );
}

/** What the cost is read from besides the cluster's description: its pause history and its stored megabytes. */
interface CostReads {
  history?: PowerHistory;
  storageMb?: number;
}

/** The megabytes an available RA3 cluster stores (its storage bills apart); undefined when it cannot say. */
function clusterStorage(ref: ClusterRef, snapshot: ClusterSnapshot, config: SparkifyConfig): Promise<number | undefined> {
  return clusterStoredMegabytes(snapshot, () => openWarehouse(resolveTarget({ clusterId: ref.identifier, region: ref.region, profile: ref.profile }, config)));
}

function hourly(cost: CostEstimate | undefined): string {
  return cost?.perHour === undefined ? '' : ` at ${formatUsd(cost.perHour)}/hour`;
}

function clusterJson(snapshot: ClusterSnapshot, cost: CostEstimate | undefined, now: Date): Record<string, unknown> {
  return {
    kind: snapshot.kind,
    identifier: snapshot.identifier,
    region: snapshot.region,
    status: snapshot.status,
    endpoint: snapshot.endpoint ? `${snapshot.endpoint.address}:${snapshot.endpoint.port}` : null,
    nodeType: snapshot.nodeType ?? null,
    nodes: snapshot.nodes ?? null,
    database: snapshot.database ?? null,
    adminUser: snapshot.adminUser ?? null,
    adminPasswordSecretArn: snapshot.passwordSecretArn ?? null,
    publiclyAccessible: snapshot.publiclyAccessible ?? null,
    createdAt: snapshot.createdAt?.toISOString() ?? null,
    ageHours: snapshot.createdAt ? (now.getTime() - snapshot.createdAt.getTime()) / 3_600_000 : null,
    roleArns: snapshot.roleArns,
    cost: cost ?? null,
    observedAt: snapshot.observedAt.toISOString(),
  };
}

function idleLine(idle: Idleness): string {
  const since = idle.fromStatement ? 'its last statement' : 'it was created (no statement listed by the Data API)';
  const hint = idle.minutes >= IDLE_PAUSE_MINUTES ? '; pause it if you are done: sparkify cluster pause' : '';
  return `${formatHours(idle.minutes / 60)} since ${since}${hint}`;
}

function pauseLine(pause: PauseSchedule): string {
  const at = `${pause.at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return pause.pending ? `scheduled at ${at} (Redshift's scheduler)` : `ran at ${at}`;
}

function printClusterStatus(snapshot: ClusterSnapshot, config: SparkifyConfig, now: Date, extra: { idle?: Idleness; pause?: PauseSchedule } & CostReads): void {
  const { idle, pause } = extra;
  const rows: [string, string | string[]][] = [
    ['cluster', `${snapshot.identifier} (provisioned, ${snapshot.region})`],
    ['status', snapshot.status === 'gone' ? 'gone (no such cluster)' : snapshot.status],
  ];
  if (snapshot.status !== 'gone') {
    rows.push(
      ['endpoint', snapshot.endpoint ? `${snapshot.endpoint.address}:${snapshot.endpoint.port}` : 'not yet'],
      ['nodes', `${snapshot.nodes ?? '?'} × ${snapshot.nodeType ?? '?'}`],
      [
        'database',
        `${snapshot.database ?? '?'}, admin ${snapshot.adminUser ?? '?'}${snapshot.passwordSecretArn ? ' (password in AWS Secrets Manager)' : ''}`,
      ],
      ['access', snapshot.publiclyAccessible ? 'PUBLICLY ACCESSIBLE' : 'not publicly accessible; sparkify uses the Data API'],
      ['age', snapshot.createdAt ? `${formatHours((now.getTime() - snapshot.createdAt.getTime()) / 3_600_000)} (created ${snapshot.createdAt.toISOString()})` : 'unknown'],
      ['role', snapshot.roleArns.length > 0 ? snapshot.roleArns.join(', ') : 'none'],
      ...(idle ? ([['idle', idleLine(idle)]] as [string, string][]) : []),
      ...(pause ? ([['pause', pauseLine(pause)]] as [string, string][]) : []),
      ['cost', describeCost(clusterCost(snapshot, config, now, extra)).lines],
    );
  }
  printRows(rows);
}

function statusLine(snapshot: ClusterSnapshot): string {
  return `${timestamp(snapshot.observedAt)}  ${snapshot.identifier}  ${snapshot.status}${snapshot.endpoint ? `  ${snapshot.endpoint.address}:${snapshot.endpoint.port}` : ''}`;
}

/** Prints a line each time the status changes, until it settles or the signal aborts; returns the last snapshot. */
async function followCluster(
  ref: ClusterRef,
  intervalSeconds: number,
  format: 'text' | 'json',
  config: SparkifyConfig,
  signal: AbortSignal,
): Promise<ClusterSnapshot | undefined> {
  let last: ClusterSnapshot | undefined;
  for await (const snapshot of watchCluster(ref, { intervalMs: intervalSeconds * 1000, signal })) {
    if (snapshot.status !== last?.status) {
      if (format === 'json') out(JSON.stringify(clusterJson(snapshot, clusterCost(snapshot, config, snapshot.observedAt), snapshot.observedAt)));
      else out(statusLine(snapshot));
    }
    last = snapshot;
  }
  return last;
}

function follow(ref: ClusterRef, intervalSeconds: number, format: 'text' | 'json', config: SparkifyConfig): Promise<ClusterSnapshot | undefined> {
  return withInterrupt((signal) => followCluster(ref, intervalSeconds, format, config, signal), 'stopping the wait');
}

export async function clusterCreateCommand(
  flags: AwsFlags &
    SourceFlags &
    WaitFlags & { clusterId: string; nodeType: string; nodes: number; database: string; dbUser: string; pauseAfter?: number; yes?: boolean },
): Promise<number> {
  const store = new ConfigStore();
  const config = store.read();
  validateClusterIdentifier(flags.clusterId);
  if (flags.region) validateRegion(flags.region);
  const scope: AwsScope = { region: flags.region ?? config.redshift.region ?? CLUSTER_DEFAULTS.region, profile: flags.profile ?? config.redshift.profile };
  const { sources, locations, manifestPrefix } = sourcesFor(flags, config, scope.region);
  const roleName = flags.roleName ?? defaultRoleName(flags.clusterId);
  const estimate = estimateCost(
    { kind: 'provisioned', nodeType: flags.nodeType, nodes: flags.nodes, region: scope.region, status: 'available' },
    priceTable(config.prices),
    new Date(),
  );
  const price = estimate.perHour === undefined ? 'an unknown price (not in the price table)' : `about ${formatUsd(estimate.perHour)}/hour (${formatUsd(estimate.perHour * 24)}/day)`;
  out(`Cluster ${flags.clusterId} in ${scope.region}: ${flags.nodes} × ${flags.nodeType}, ${price} while it runs.`);
  out(`Role ${roleName} may read only ${describeLocations(locations)}.`);
  if (sources.sourceRegion) out(`The sources are in ${sources.sourceRegion}: COPY reads them across regions.`);
  out('Not publicly accessible; the admin password stays in AWS Secrets Manager.');
  if (flags.pauseAfter) {
    out(`Redshift's scheduler pauses it ${flags.pauseAfter} h after creation (role ${schedulerRoleName(flags.clusterId)} may pause this cluster only).`);
  }
  await confirm('Create it?', flags.yes, `create cluster ${flags.clusterId}`);

  let created;
  try {
    created = await withInterrupt((signal) => createCluster(
      {
        ...scope,
        identifier: flags.clusterId,
        nodeType: flags.nodeType,
        nodes: flags.nodes,
        database: flags.database,
        dbUser: flags.dbUser,
        roleName,
        locations,
      },
      { onProgress: printProgress, signal },
    ).then(async (made) => {
      if (flags.pauseAfter) await schedulePause(made.cluster, { hours: flags.pauseAfter, account: made.account, signal, onProgress: printProgress });
      return made;
    }), 'stopping');
  } catch (error) {
    explainInterrupt(error, 'sparkify cluster create');
  }
  rememberCluster(store, created, { database: flags.database, dbUser: flags.dbUser, profile: flags.profile, manifestPrefix }, sources);
  out(`Saved to ${store.path}: target redshift, cluster ${created.cluster.identifier}, database ${created.cluster.database ?? flags.database}, user ${created.cluster.adminUser ?? flags.dbUser}.`);
  out(describeSources(sources));
  if (flags.wait) {
    const last = await follow(created.cluster, flags.interval, 'text', store.read());
    if (last?.status === 'available') out(`Ready: sparkify run --target redshift`);
  } else if (created.cluster.status === 'creating') {
    out('It takes a few minutes to become available: sparkify cluster status --watch');
  } else {
    out(`It is ${created.cluster.status}: sparkify cluster status`);
  }
  if (estimate.perHour !== undefined) {
    out(`It costs about ${formatUsd(estimate.perHour)}/hour until you pause or delete it (sparkify cluster pause | sparkify cluster delete --all).`);
  }
  return 0;
}

export async function clusterStatusCommand(flags: AwsFlags & { clusterId?: string; format: 'text' | 'json'; watch?: boolean; interval: number }): Promise<number> {
  const config = readConfig();
  const ref = clusterRefFor(flags, config);
  if (flags.watch) {
    const last = await follow(ref, flags.interval, flags.format, config);
    if (last && flags.format === 'text') {
      out();
      const now = new Date();
      printClusterStatus(last, config, now, { history: await clusterPowerHistory(ref, last.createdAt, now).catch(() => undefined) });
    }
    return 0;
  }
  const snapshot = await describeCluster(ref);
  const now = new Date();
  // Idle time is worth a Data API call only while the cluster runs (and bills).
  const idle = await clusterIdleness(ref, snapshot, now).catch(() => undefined);
  const pause = await findPauseSchedule(ref).catch(() => undefined);
  // Paused hours bill storage only: the event history says when it paused and resumed.
  const history = await clusterPowerHistory(ref, snapshot.createdAt, now).catch(() => undefined);
  // RA3 storage bills apart, paused or not; its size is read while the cluster answers SQL.
  const storageMb = await clusterStorage(ref, snapshot, config).catch(() => undefined);
  if (flags.format === 'json') {
    const json = clusterJson(snapshot, clusterCost(snapshot, config, now, { history, storageMb }), now);
    out(JSON.stringify({ ...json, idleMinutes: idle ? Math.floor(idle.minutes) : null, scheduledPause: pause ? { at: pause.at.toISOString(), pending: pause.pending } : null }, null, 2));
  } else printClusterStatus(snapshot, config, now, { idle, pause, history, storageMb });
  return 0;
}

async function lifecycle(action: 'pause' | 'resume', flags: AwsFlags & WaitFlags & { clusterId?: string; yes?: boolean }): Promise<number> {
  const config = readConfig();
  const ref = clusterRefFor(flags, config);
  const before = await describeCluster(ref);
  const question =
    action === 'pause'
      ? `Pause cluster ${ref.identifier} (${before.status})? Compute billing stops; the data stays.`
      : `Resume cluster ${ref.identifier} (${before.status})? Billing starts again${hourly(clusterCost(before, config))}.`;
  await confirm(question, flags.yes, `${action} cluster ${ref.identifier}`);
  const heading = action === 'pause' ? ['pausing', 'paused'] : ['resuming', 'available'];
  return withInterrupt(async (signal) => {
    // A cluster on its way elsewhere (resuming when asked to pause, ...) refuses
    // the action; with --wait it is waited out first, and the person is told.
    if (flags.wait && isTransitional(before.status) && !heading.includes(before.status)) {
      out(`Cluster ${ref.identifier} is ${before.status}: waiting until it settles, then ${action === 'pause' ? 'pausing' : 'resuming'} it.`);
      await settledCluster(ref, { intervalMs: flags.interval * 1000, signal, onChange: (s) => out(statusLine(s)) });
    }
    const result = action === 'pause' ? await pauseCluster(ref, signal) : await resumeCluster(ref, signal);
    if (!result.changed) out(`Cluster ${ref.identifier} is already ${result.cluster.status}; nothing to do.`);
    else if (action === 'pause') out(`Pausing ${ref.identifier}: compute billing stops once it is paused (storage is still billed).`);
    else out(`Resuming ${ref.identifier}: it bills by the second again once available.`);
    if (flags.wait) await followCluster(ref, flags.interval, 'text', config, signal);
    return 0;
  }, 'stopping the wait');
}

export function clusterPauseCommand(flags: AwsFlags & WaitFlags & { clusterId?: string; yes?: boolean }): Promise<number> {
  return lifecycle('pause', flags);
}

export function clusterResumeCommand(flags: AwsFlags & WaitFlags & { clusterId?: string; yes?: boolean }): Promise<number> {
  return lifecycle('resume', flags);
}

type DeleteFlags = AwsFlags &
  WaitFlags & { clusterId?: string; finalSnapshot?: string; skipFinalSnapshot?: boolean; all?: boolean; roleName?: string; yes?: boolean };

/**
 * Deletes the cluster. On a terminal (no --yes) it offers a final snapshot,
 * asks for the cluster's name typed out, and follows the cluster until it is
 * gone; a script passes --yes and chooses the snapshot with flags.
 */
export async function clusterDeleteCommand(flags: DeleteFlags): Promise<number> {
  if (flags.finalSnapshot && flags.skipFinalSnapshot) {
    throw new UsageError('--final-snapshot and --skip-final-snapshot contradict each other', 'pass one of them');
  }
  const store = new ConfigStore();
  const config = store.read();
  const ref = clusterRefFor(flags, config);
  const recorded = config.cluster?.kind === 'provisioned' && config.cluster.identifier === ref.identifier ? config.cluster : undefined;
  const roleName = flags.roleName ?? recorded?.roleName ?? defaultRoleName(ref.identifier);
  const current = await findCluster(ref);
  const alsoRole = flags.all ? ` Also delete role ${roleName} and forget the cluster in the config.` : '';
  let finalSnapshot = flags.finalSnapshot;
  if (current.status === 'gone') {
    if (flags.all) await confirm(`Cluster ${ref.identifier} does not exist in ${ref.region}.${alsoRole}`, flags.yes, `delete cluster ${ref.identifier}`);
  } else if (!flags.yes) {
    requireTerminal(`delete cluster ${ref.identifier}`);
    if (!finalSnapshot && !flags.skipFinalSnapshot) {
      const keep = await askYesNo(`Take a final snapshot of ${ref.identifier} first? It keeps the data (billed as backup storage) until you delete the snapshot.`, true);
      if (keep) finalSnapshot = finalSnapshotName(ref.identifier, new Date());
    }
    const snapshotNote = finalSnapshot ? `Final snapshot ${finalSnapshot} is taken first.` : 'No final snapshot: every table and row goes with it.';
    await confirmByName(
      `Delete cluster ${ref.identifier} (${current.status}, ${current.nodes ?? '?'} × ${current.nodeType ?? '?'})? This cannot be undone. ${snapshotNote}${alsoRole}`,
      ref.identifier,
      `delete cluster ${ref.identifier}`,
    );
  }
  if (current.status === 'gone') out(`No cluster ${ref.identifier} in ${ref.region}; nothing to delete.`);
  else {
    const result = await deleteCluster(ref, { finalSnapshotId: finalSnapshot });
    if (!result.changed) out(`Cluster ${ref.identifier} is already ${result.cluster.status}.`);
    else if (finalSnapshot) out(`Deleting ${ref.identifier}; final snapshot ${finalSnapshot} is taken first.`);
    else out(`Deleting ${ref.identifier} without a final snapshot (the default; pass --final-snapshot ID to keep one).`);
  }
  if (flags.all) {
    const removal = await deleteSourceRole(ref, roleName);
    if (!removal.existed) out(`No role ${roleName}; nothing to remove.`);
    else {
      const parts = [
        ...removal.inlinePolicies.map((p) => `inline policy ${p}`),
        ...removal.detachedPolicies.map((p) => `attached policy ${p}`),
      ];
      out(`Deleted role ${roleName}${parts.length > 0 ? ` (after removing ${parts.join(', ')})` : ''}.`);
    }
    const schedule = await removePauseSchedule(ref);
    if (schedule.removedAction || schedule.removedRole) out(`Removed the scheduled pause${schedule.removedRole ? ` and role ${schedulerRoleName(ref.identifier)}` : ''}.`);
    for (const change of forgetManaged(store, ref.identifier)) out(`Config: ${change}.`);
  }
  if ((flags.wait || !flags.yes) && current.status !== 'gone') {
    const last = await follow(ref, flags.interval, 'text', config);
    if (last?.status === 'gone') {
      const kept = finalSnapshot ? await findSnapshot(ref, finalSnapshot) : undefined;
      out(`Cluster ${ref.identifier} is gone${kept ? `; final snapshot ${kept.identifier} is ${kept.status}` : ''}.`);
    }
  }
  return 0;
}
