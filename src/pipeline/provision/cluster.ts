// Provisioned Redshift clusters: create (with its source-read role), describe,
// watch, pause, resume, delete. Safer than the original notebook: the admin
// password lives in Secrets Manager (ManageMasterPassword), the cluster is
// not publicly accessible and no inbound port is opened, because the Data
// API needs none. Every step can be run again after a partial failure.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster } from '@aws-sdk/client-redshift';
import { AwsError, CancelledError, UsageError } from '../errors.js';
import { type AwsScope, awsCall, awsClients, awsErrorCode, translateAwsError } from './aws.js';
import { CLUSTER_IDENTIFIER_RULE, isClusterIdentifier } from './identifier.js';
import { type RoleInfo, type RoleProgress, type S3Location, ensureSourceRole } from './role.js';

export interface ClusterRef extends AwsScope {
  identifier: string;
}

export interface ClusterSnapshot {
  kind: 'provisioned';
  identifier: string;
  region: string;
  /** Redshift's ClusterStatus, or 'gone' when no such cluster exists. */
  status: string;
  availability?: string;
  endpoint?: { address: string; port: number };
  nodeType?: string;
  nodes?: number;
  database?: string;
  adminUser?: string;
  createdAt?: Date;
  roleArns: string[];
  publiclyAccessible?: boolean;
  /** Where Redshift keeps the admin password (Secrets Manager); never the password itself. */
  passwordSecretArn?: string;
  observedAt: Date;
}

export interface ProvisionProgress {
  step: 'credentials' | 'role' | 'policy' | 'cluster';
  outcome: 'checked' | 'created' | 'reused' | 'updated';
  detail: string;
}

export interface CreateClusterOptions extends ClusterRef {
  nodeType: string;
  nodes: number;
  database: string;
  dbUser: string;
  roleName: string;
  /** S3 locations the cluster's role may read. */
  locations: S3Location[];
}

export interface CreatedCluster {
  cluster: ClusterSnapshot;
  role: RoleInfo;
  account: string;
  /** False when a cluster with this identifier already existed and was reused. */
  clusterCreated: boolean;
}

export function validateClusterIdentifier(identifier: string): void {
  if (!isClusterIdentifier(identifier)) throw new UsageError(`not a valid cluster identifier: ${identifier}`, CLUSTER_IDENTIFIER_RULE);
}

const TRANSITIONAL = new Set([
  'creating',
  'deleting',
  'modifying',
  'pausing',
  'resuming',
  'rebooting',
  'renaming',
  'resizing',
  'final-snapshot',
  'cancelling-resize',
  'updating-hsm',
  'rotating-keys',
]);

/** A status that will change by itself (creating, pausing, ...), as opposed to a state a cluster rests in. */
export function isTransitional(status: string): boolean {
  return TRANSITIONAL.has(status) || status.includes('prep-for-resize') || status.includes('resize-cleanup');
}

function snapshotOf(cluster: Cluster, ref: ClusterRef): ClusterSnapshot {
  return {
    kind: 'provisioned',
    identifier: cluster.ClusterIdentifier ?? ref.identifier,
    region: ref.region,
    status: cluster.ClusterStatus ?? 'unknown',
    availability: cluster.ClusterAvailabilityStatus,
    endpoint: cluster.Endpoint?.Address ? { address: cluster.Endpoint.Address, port: cluster.Endpoint.Port ?? 5439 } : undefined,
    nodeType: cluster.NodeType,
    nodes: cluster.NumberOfNodes,
    database: cluster.DBName,
    adminUser: cluster.MasterUsername,
    createdAt: cluster.ClusterCreateTime,
    roleArns: (cluster.IamRoles ?? []).map((r) => r.IamRoleArn ?? '').filter((arn) => arn !== ''),
    publiclyAccessible: cluster.PubliclyAccessible,
    passwordSecretArn: cluster.MasterPasswordSecretArn,
    observedAt: new Date(),
  };
}

function gone(ref: ClusterRef): ClusterSnapshot {
  return { kind: 'provisioned', identifier: ref.identifier, region: ref.region, status: 'gone', roleArns: [], observedAt: new Date() };
}

/** Who the credentials belong to; the first call, so a credentials problem shows before anything is made. */
export async function checkIdentity(scope: AwsScope, signal?: AbortSignal): Promise<{ account: string; arn: string }> {
  const sts = await awsClients(scope).sts();
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const identity = await awsCall('sts:GetCallerIdentity', scope, () => sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal }));
  return { account: identity.Account ?? '', arn: identity.Arn ?? '' };
}

/** The cluster as Redshift reports it now; status 'gone' when it does not exist. */
export async function findCluster(ref: ClusterRef, signal?: AbortSignal): Promise<ClusterSnapshot> {
  const redshift = await awsClients(ref).redshift();
  const { DescribeClustersCommand } = await import('@aws-sdk/client-redshift');
  try {
    const result = await redshift.send(new DescribeClustersCommand({ ClusterIdentifier: ref.identifier }), { abortSignal: signal });
    const cluster = result.Clusters?.[0];
    return cluster ? snapshotOf(cluster, ref) : gone(ref);
  } catch (error) {
    if (awsErrorCode(error) === 'ClusterNotFound') return gone(ref);
    throw translateAwsError(error, 'redshift:DescribeClusters', ref);
  }
}

/** Like findCluster, but a missing cluster is an error that says where we looked. */
export async function describeCluster(ref: ClusterRef, signal?: AbortSignal): Promise<ClusterSnapshot> {
  const snapshot = await findCluster(ref, signal);
  if (snapshot.status === 'gone') {
    throw new AwsError(
      `no cluster ${ref.identifier} in ${ref.region}`,
      'check --cluster-id and --region, or create one with `sparkify cluster create`',
    );
  }
  return snapshot;
}

export async function createCluster(
  options: CreateClusterOptions,
  hooks: { onProgress?: (progress: ProvisionProgress) => void; signal?: AbortSignal } = {},
): Promise<CreatedCluster> {
  validateClusterIdentifier(options.identifier);
  if (!Number.isInteger(options.nodes) || options.nodes < 1 || options.nodes > 128) {
    throw new UsageError(`a cluster has 1 to 128 nodes, not ${options.nodes}`);
  }
  const { signal, onProgress } = hooks;
  const identity = await checkIdentity(options, signal);
  onProgress?.({ step: 'credentials', outcome: 'checked', detail: `account ${identity.account} as ${identity.arn}` });

  const role = await ensureSourceRole(options, {
    roleName: options.roleName,
    locations: options.locations,
    signal,
    onProgress: (p: RoleProgress) => onProgress?.(p),
  });

  const redshift = await awsClients(options).redshift();
  const { CreateClusterCommand } = await import('@aws-sdk/client-redshift');
  try {
    const result = await redshift.send(
      new CreateClusterCommand({
        ClusterIdentifier: options.identifier,
        NodeType: options.nodeType,
        ClusterType: options.nodes === 1 ? 'single-node' : 'multi-node',
        NumberOfNodes: options.nodes === 1 ? undefined : options.nodes,
        DBName: options.database,
        MasterUsername: options.dbUser,
        ManageMasterPassword: true,
        PubliclyAccessible: false,
        Encrypted: true,
        IamRoles: [role.arn],
        DefaultIamRoleArn: role.arn,
        Tags: [{ Key: 'created-by', Value: 'sparkify' }],
      }),
      { abortSignal: signal },
    );
    const cluster = snapshotOf(result.Cluster ?? {}, options);
    onProgress?.({ step: 'cluster', outcome: 'created', detail: `${options.identifier}: ${cluster.status}` });
    return { cluster, role, account: identity.account, clusterCreated: true };
  } catch (error) {
    if (awsErrorCode(error) !== 'ClusterAlreadyExists') {
      throw translateAwsError(error, 'redshift:CreateCluster', options, { nodeType: options.nodeType });
    }
  }

  const cluster = await findCluster(options, signal);
  if (cluster.status === 'gone' || cluster.status === 'deleting') {
    throw new AwsError(
      `a cluster named ${options.identifier} is being deleted in ${options.region}`,
      'wait until it is gone (sparkify cluster status --watch), then run create again, or pick another --cluster-id',
    );
  }
  const detail = cluster.roleArns.includes(role.arn)
    ? `${options.identifier}, which already exists (${cluster.status})`
    : `${options.identifier}, which already exists (${cluster.status}) without role ${role.name}: attach the role to it to COPY from S3`;
  onProgress?.({ step: 'cluster', outcome: 'reused', detail });
  return { cluster, role, account: identity.account, clusterCreated: false };
}

const STATE_HINTS: Record<string, string> = {
  creating: 'pass --wait to act once it is available, or follow it with `sparkify cluster status --watch`',
  resuming: 'pass --wait to act once it is available, or follow it with `sparkify cluster status --watch`',
  pausing: 'pass --wait to act once it is paused, or follow it with `sparkify cluster status --watch`',
  modifying: 'pass --wait to act once the change is done, or follow it with `sparkify cluster status --watch`',
  deleting: 'it is being deleted; nothing more to do',
};

/** InvalidClusterState: say which state the cluster is in and what to do about it. */
async function stateError(ref: ClusterRef, action: string, error: unknown): Promise<never> {
  if (awsErrorCode(error) !== 'InvalidClusterState') throw translateAwsError(error, `redshift:${action}Cluster`, ref);
  const current = await findCluster(ref).catch(() => undefined);
  const status = current?.status ?? 'a state that does not allow it';
  throw new AwsError(
    `cannot ${action.toLowerCase()} cluster ${ref.identifier}: it is ${status}`,
    STATE_HINTS[status] ?? 'check it with `sparkify cluster status` and try again once it is available',
    error,
  );
}

export interface LifecycleResult {
  cluster: ClusterSnapshot;
  /** False when the cluster was already where the action would take it. */
  changed: boolean;
}

export async function pauseCluster(ref: ClusterRef, signal?: AbortSignal): Promise<LifecycleResult> {
  const before = await describeCluster(ref, signal);
  if (before.status === 'paused' || before.status === 'pausing') return { cluster: before, changed: false };
  const redshift = await awsClients(ref).redshift();
  const { PauseClusterCommand } = await import('@aws-sdk/client-redshift');
  try {
    const result = await redshift.send(new PauseClusterCommand({ ClusterIdentifier: ref.identifier }), { abortSignal: signal });
    return { cluster: snapshotOf(result.Cluster ?? {}, ref), changed: true };
  } catch (error) {
    return stateError(ref, 'Pause', error);
  }
}

export async function resumeCluster(ref: ClusterRef, signal?: AbortSignal): Promise<LifecycleResult> {
  const before = await describeCluster(ref, signal);
  if (before.status === 'available' || before.status === 'resuming') return { cluster: before, changed: false };
  const redshift = await awsClients(ref).redshift();
  const { ResumeClusterCommand } = await import('@aws-sdk/client-redshift');
  try {
    const result = await redshift.send(new ResumeClusterCommand({ ClusterIdentifier: ref.identifier }), { abortSignal: signal });
    return { cluster: snapshotOf(result.Cluster ?? {}, ref), changed: true };
  } catch (error) {
    return stateError(ref, 'Resume', error);
  }
}

export interface DeleteResult extends LifecycleResult {
  /** Snapshot Redshift takes before deleting, if one was asked for. */
  finalSnapshotId?: string;
}

/** Deletes the cluster; without finalSnapshotId no final snapshot is taken. A cluster already gone is not an error. */
export async function deleteCluster(
  ref: ClusterRef,
  options: { finalSnapshotId?: string; signal?: AbortSignal } = {},
): Promise<DeleteResult> {
  const before = await findCluster(ref, options.signal);
  if (before.status === 'gone' || before.status === 'deleting' || before.status === 'final-snapshot') return { cluster: before, changed: false };
  const redshift = await awsClients(ref).redshift();
  const { DeleteClusterCommand } = await import('@aws-sdk/client-redshift');
  try {
    const result = await redshift.send(
      new DeleteClusterCommand({
        ClusterIdentifier: ref.identifier,
        SkipFinalClusterSnapshot: options.finalSnapshotId === undefined,
        FinalClusterSnapshotIdentifier: options.finalSnapshotId,
      }),
      { abortSignal: options.signal },
    );
    return { cluster: snapshotOf(result.Cluster ?? {}, ref), changed: true, finalSnapshotId: options.finalSnapshotId };
  } catch (error) {
    if (awsErrorCode(error) === 'ClusterNotFound') return { cluster: gone(ref), changed: false };
    return stateError(ref, 'Delete', error);
  }
}

/**
 * Polls the cluster and yields a snapshot each time, until it rests in a
 * stable state (available, paused, gone, ...) or the signal aborts. The SDK
 * waiters poll every 60 s, too slow for a live screen.
 */
export async function* watchCluster(
  ref: ClusterRef,
  options: { intervalMs?: number; signal?: AbortSignal; untilStable?: boolean } = {},
): AsyncGenerator<ClusterSnapshot> {
  const intervalMs = options.intervalMs ?? 5000;
  while (!options.signal?.aborted) {
    let snapshot: ClusterSnapshot;
    try {
      snapshot = await findCluster(ref, options.signal);
    } catch (error) {
      if (options.signal?.aborted) return;
      throw error;
    }
    yield snapshot;
    if (options.untilStable !== false && !isTransitional(snapshot.status)) return;
    try {
      await sleep(intervalMs, undefined, { signal: options.signal });
    } catch {
      return;
    }
  }
}

/**
 * Waits until the cluster rests in a state (available, paused, gone, ...),
 * telling `onChange` each status on the way; returns where it rests. A
 * pause asked for while it resumes (or the other way round) waits here first.
 */
export async function settledCluster(
  ref: ClusterRef,
  options: { intervalMs?: number; signal?: AbortSignal; onChange?: (snapshot: ClusterSnapshot) => void } = {},
): Promise<ClusterSnapshot> {
  let last: ClusterSnapshot | undefined;
  for await (const snapshot of watchCluster(ref, { intervalMs: options.intervalMs, signal: options.signal })) {
    if (snapshot.status !== last?.status) options.onChange?.(snapshot);
    last = snapshot;
  }
  if (options.signal?.aborted || !last) throw new CancelledError(`stopped waiting for cluster ${ref.identifier}${last ? ` (it was ${last.status})` : ''}`);
  return last;
}

/** The name a final snapshot gets unless one is given: the cluster's, then the time (`sparkify-dwh-final-20261201-2015`). */
export function finalSnapshotName(identifier: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').slice(0, 13).replace('T', '-');
  return `${identifier.slice(0, 40)}-final-${stamp}`;
}

export interface ClusterSnapshotInfo {
  identifier: string;
  status: string;
  createdAt?: Date;
}

/** A manual or final snapshot by its identifier, or undefined when there is none. */
export async function findSnapshot(ref: ClusterRef, snapshotId: string, signal?: AbortSignal): Promise<ClusterSnapshotInfo | undefined> {
  const redshift = await awsClients(ref).redshift();
  const { DescribeClusterSnapshotsCommand } = await import('@aws-sdk/client-redshift');
  try {
    const result = await redshift.send(new DescribeClusterSnapshotsCommand({ SnapshotIdentifier: snapshotId }), { abortSignal: signal });
    const found = result.Snapshots?.[0];
    return found ? { identifier: found.SnapshotIdentifier ?? snapshotId, status: found.Status ?? 'unknown', createdAt: found.SnapshotCreateTime } : undefined;
  } catch (error) {
    if (awsErrorCode(error) === 'ClusterSnapshotNotFound') return undefined;
    throw translateAwsError(error, 'redshift:DescribeClusterSnapshots', ref);
  }
}
