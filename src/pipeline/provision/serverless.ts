// Redshift Serverless: a namespace (database, admin in Secrets Manager, the
// source-read role) and a workgroup (compute, billed per RPU-hour while
// queries run). The same safety rules as provisioned clusters: no public
// access, no stored password, every step safe to run again.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Namespace, Workgroup } from '@aws-sdk/client-redshift-serverless';
import { AwsError, CancelledError, UsageError } from '../errors.js';
import { type AwsScope, awsCall, awsClients, awsErrorCode, translateAwsError } from './aws.js';
import { type ProvisionProgress, checkIdentity } from './cluster.js';
import { type UsageBreachAction, baseCapacityProblem } from './defaults.js';
import { roleArnOf } from './identifier.js';
import { type RoleInfo, type S3Location, ensureSourceRole } from './role.js';

export interface WorkgroupRef extends AwsScope {
  workgroup: string;
  namespace: string;
}

export interface ServerlessSnapshot {
  kind: 'serverless';
  workgroup: string;
  namespace: string;
  region: string;
  /** Workgroup status in lower case (creating, available, deleting), or 'gone'. */
  status: string;
  namespaceStatus: string;
  baseCapacity?: number;
  endpoint?: { address: string; port: number };
  database?: string;
  adminUser?: string;
  createdAt?: Date;
  roleArns: string[];
  publiclyAccessible?: boolean;
  /** The caps on RPU-hours set on the workgroup. */
  usageLimits: UsageLimitInfo[];
  observedAt: Date;
}

export interface UsageLimitInfo {
  id: string;
  /** RPU-hours per period. */
  rpuHours: number;
  period: 'daily' | 'weekly' | 'monthly';
  breachAction: UsageBreachAction;
}

/** What sparkify asks for at create: RPU-hours per period, and what happens past them. */
export interface UsageLimitRequest {
  rpuHours: number;
  period: UsageLimitInfo['period'];
  breachAction: UsageBreachAction;
}

/**
 * What each breach action does, in the Serverless guide's words for the
 * console's actions (serverless-workgroup-max-rpu): `deactivate`, "Turn off
 * user queries", disables queries and also sends a notification; `log` adds a
 * record to SYS_QUERY_HISTORY (its usage_limit column); `emit-metric` emits a
 * CloudWatch metric for an alarm to act on. Only `deactivate` stops queries.
 */
const BREACH_WORDS: Record<UsageBreachAction, string> = {
  deactivate: 'then user queries are turned off until the period ends',
  log: 'then AWS notes the breach in sys_query_history (queries go on)',
  'emit-metric': 'then AWS emits a CloudWatch metric (queries go on)',
};

const PERIOD_NOUNS: Record<UsageLimitInfo['period'], string> = { daily: 'day', weekly: 'week', monthly: 'month' };

export function periodNoun(period: UsageLimitInfo['period']): string {
  return PERIOD_NOUNS[period];
}

/** `8 RPU-hours per day, then user queries are turned off until the period ends` */
export function describeUsageLimit(limit: UsageLimitRequest): string {
  return `${limit.rpuHours} RPU-hours per ${periodNoun(limit.period)}, ${BREACH_WORDS[limit.breachAction]}`;
}

export interface ServerlessProgress {
  step: ProvisionProgress['step'] | 'namespace' | 'workgroup' | 'usage limit';
  outcome: ProvisionProgress['outcome'] | 'deleting' | 'deleted';
  detail: string;
}

const NAME = /^[a-z0-9-]{3,64}$/;

const NAME_RULE = 'use 3-64 lower-case letters, digits and hyphens';

/** What is wrong with a workgroup or namespace name, or null. */
export function serverlessNameProblem(kind: 'workgroup' | 'namespace', name: string): string | null {
  return NAME.test(name) ? null : `not a valid ${kind} name: ${NAME_RULE}`;
}

export function validateServerlessName(kind: 'workgroup' | 'namespace', name: string): void {
  if (!NAME.test(name)) throw new UsageError(`not a valid ${kind} name: ${name}`, NAME_RULE);
}

function snapshotOf(ref: WorkgroupRef, workgroup: Workgroup | undefined, namespace: Namespace | undefined, usageLimits: UsageLimitInfo[] = []): ServerlessSnapshot {
  return {
    kind: 'serverless',
    workgroup: ref.workgroup,
    namespace: ref.namespace,
    region: ref.region,
    status: workgroup?.status?.toLowerCase() ?? 'gone',
    namespaceStatus: namespace?.status?.toLowerCase() ?? 'gone',
    baseCapacity: workgroup?.baseCapacity,
    endpoint: workgroup?.endpoint?.address ? { address: workgroup.endpoint.address, port: workgroup.endpoint.port ?? 5439 } : undefined,
    database: namespace?.dbName,
    adminUser: namespace?.adminUsername,
    createdAt: workgroup?.creationDate ?? namespace?.creationDate,
    roleArns: (namespace?.iamRoles ?? []).map(roleArnOf),
    publiclyAccessible: workgroup?.publiclyAccessible,
    usageLimits,
    observedAt: new Date(),
  };
}

async function sdk() {
  return import('@aws-sdk/client-redshift-serverless');
}

async function getWorkgroup(ref: WorkgroupRef, signal?: AbortSignal): Promise<Workgroup | undefined> {
  const client = await awsClients(ref).serverless();
  const { GetWorkgroupCommand } = await sdk();
  try {
    return (await client.send(new GetWorkgroupCommand({ workgroupName: ref.workgroup }), { abortSignal: signal })).workgroup;
  } catch (error) {
    if (awsErrorCode(error) === 'ResourceNotFound') return undefined;
    throw translateAwsError(error, 'redshift-serverless:GetWorkgroup', ref);
  }
}

async function getNamespace(ref: WorkgroupRef, signal?: AbortSignal): Promise<Namespace | undefined> {
  const client = await awsClients(ref).serverless();
  const { GetNamespaceCommand } = await sdk();
  try {
    return (await client.send(new GetNamespaceCommand({ namespaceName: ref.namespace }), { abortSignal: signal })).namespace;
  } catch (error) {
    if (awsErrorCode(error) === 'ResourceNotFound') return undefined;
    throw translateAwsError(error, 'redshift-serverless:GetNamespace', ref);
  }
}

/** The workgroup and its namespace as AWS reports them now; status 'gone' when the workgroup does not exist. */
export async function findServerless(ref: WorkgroupRef, signal?: AbortSignal): Promise<ServerlessSnapshot> {
  const workgroup = await getWorkgroup(ref, signal);
  const namespace = await getNamespace({ ...ref, namespace: workgroup?.namespaceName ?? ref.namespace }, signal);
  const limits = workgroup?.workgroupArn ? await listUsageLimits(ref, workgroup.workgroupArn, signal) : [];
  return snapshotOf({ ...ref, namespace: workgroup?.namespaceName ?? ref.namespace }, workgroup, namespace, limits);
}

async function listUsageLimits(ref: WorkgroupRef, workgroupArn: string, signal?: AbortSignal): Promise<UsageLimitInfo[]> {
  const client = await awsClients(ref).serverless();
  const { ListUsageLimitsCommand } = await sdk();
  const result = await awsCall('redshift-serverless:ListUsageLimits', ref, () =>
    client.send(new ListUsageLimitsCommand({ resourceArn: workgroupArn, usageType: 'serverless-compute' }), { abortSignal: signal }),
  );
  return (result.usageLimits ?? []).map((limit) => ({
    id: limit.usageLimitId ?? '',
    rpuHours: limit.amount ?? 0,
    period: (limit.period ?? 'monthly'),
    breachAction: (limit.breachAction ?? 'log'),
  }));
}

/** Sets the cap on RPU-hours unless the workgroup has one for that period already (then it is kept and reported). */
async function ensureUsageLimit(
  options: WorkgroupRef,
  workgroupArn: string,
  limit: UsageLimitRequest,
  hooks: { onProgress?: (progress: ServerlessProgress) => void; signal?: AbortSignal },
): Promise<void> {
  const existing = (await listUsageLimits(options, workgroupArn, hooks.signal)).find((l) => l.period === limit.period);
  if (existing) {
    hooks.onProgress?.({ step: 'usage limit', outcome: 'reused', detail: describeUsageLimit(existing) });
    return;
  }
  const client = await awsClients(options).serverless();
  const { CreateUsageLimitCommand } = await sdk();
  await awsCall('redshift-serverless:CreateUsageLimit', options, () =>
    client.send(
      new CreateUsageLimitCommand({
        resourceArn: workgroupArn,
        usageType: 'serverless-compute',
        amount: limit.rpuHours,
        period: limit.period,
        breachAction: limit.breachAction,
      }),
      { abortSignal: hooks.signal },
    ),
  );
  hooks.onProgress?.({ step: 'usage limit', outcome: 'created', detail: describeUsageLimit(limit) });
}

export async function describeServerless(ref: WorkgroupRef, signal?: AbortSignal): Promise<ServerlessSnapshot> {
  const snapshot = await findServerless(ref, signal);
  if (snapshot.status === 'gone') {
    throw new AwsError(
      `no Serverless workgroup ${ref.workgroup} in ${ref.region}`,
      'check --workgroup and --region, or create one with `sparkify serverless create`',
    );
  }
  return snapshot;
}

export interface CreateServerlessOptions extends WorkgroupRef {
  baseCapacity: number;
  /** Undefined: no cap (the workgroup can run up any bill). */
  usageLimit?: UsageLimitRequest;
  database: string;
  adminUser: string;
  roleName: string;
  locations: S3Location[];
}

export interface CreatedServerless {
  snapshot: ServerlessSnapshot;
  role: RoleInfo;
  account: string;
}

export async function createServerless(
  options: CreateServerlessOptions,
  hooks: { onProgress?: (progress: ServerlessProgress) => void; signal?: AbortSignal } = {},
): Promise<CreatedServerless> {
  validateServerlessName('workgroup', options.workgroup);
  validateServerlessName('namespace', options.namespace);
  const capacityProblem = baseCapacityProblem(options.baseCapacity);
  if (capacityProblem) throw new UsageError(capacityProblem);
  const { signal, onProgress } = hooks;
  const abortSignal = signal;
  const identity = await checkIdentity(options, signal);
  onProgress?.({ step: 'credentials', outcome: 'checked', detail: `account ${identity.account} as ${identity.arn}` });
  const role = await ensureSourceRole(options, {
    roleName: options.roleName,
    locations: options.locations,
    trustedServices: ['redshift.amazonaws.com', 'redshift-serverless.amazonaws.com'],
    signal,
    onProgress,
  });

  const client = await awsClients(options).serverless();
  const { CreateNamespaceCommand, CreateWorkgroupCommand } = await sdk();
  try {
    await client.send(
      new CreateNamespaceCommand({
        namespaceName: options.namespace,
        dbName: options.database,
        adminUsername: options.adminUser,
        manageAdminPassword: true,
        iamRoles: [role.arn],
        defaultIamRoleArn: role.arn,
        tags: [{ key: 'created-by', value: 'sparkify' }],
      }),
      { abortSignal },
    );
    onProgress?.({ step: 'namespace', outcome: 'created', detail: options.namespace });
  } catch (error) {
    if (awsErrorCode(error) !== 'Conflict') throw translateAwsError(error, 'redshift-serverless:CreateNamespace', options);
    const existing = await getNamespace(options, signal);
    if (!existing) throw translateAwsError(error, 'redshift-serverless:CreateNamespace', options);
    onProgress?.({ step: 'namespace', outcome: 'reused', detail: `${options.namespace}, which already exists (${existing.status?.toLowerCase()})` });
  }

  try {
    await client.send(
      new CreateWorkgroupCommand({
        workgroupName: options.workgroup,
        namespaceName: options.namespace,
        baseCapacity: options.baseCapacity,
        publiclyAccessible: false,
        tags: [{ key: 'created-by', value: 'sparkify' }],
      }),
      { abortSignal },
    );
    onProgress?.({ step: 'workgroup', outcome: 'created', detail: `${options.workgroup} (${options.baseCapacity} RPU base capacity)` });
  } catch (error) {
    if (awsErrorCode(error) !== 'Conflict') throw translateAwsError(error, 'redshift-serverless:CreateWorkgroup', options);
    const existing = await getWorkgroup(options, signal);
    if (!existing) throw translateAwsError(error, 'redshift-serverless:CreateWorkgroup', options);
    if (existing.namespaceName !== options.namespace) {
      throw new AwsError(
        `workgroup ${options.workgroup} already exists in namespace ${existing.namespaceName}, not ${options.namespace}`,
        'pick another --workgroup, or pass --namespace ' + existing.namespaceName,
      );
    }
    onProgress?.({ step: 'workgroup', outcome: 'reused', detail: `${options.workgroup}, which already exists (${existing.status?.toLowerCase()})` });
  }
  if (options.usageLimit) {
    const workgroup = await getWorkgroup(options, signal);
    if (workgroup?.workgroupArn) await ensureUsageLimit(options, workgroup.workgroupArn, options.usageLimit, { onProgress, signal });
  }
  return { snapshot: await findServerless(options, signal), role, account: identity.account };
}

/**
 * Deletes the workgroup, waits until it is gone (AWS refuses to delete a
 * namespace that still has one), then deletes the namespace. Whatever is
 * already gone is skipped.
 */
export async function deleteServerless(
  ref: WorkgroupRef,
  options: { intervalMs?: number; signal?: AbortSignal; onProgress?: (progress: ServerlessProgress) => void } = {},
): Promise<{ workgroupExisted: boolean; namespaceExisted: boolean }> {
  const client = await awsClients(ref).serverless();
  const { DeleteWorkgroupCommand, DeleteNamespaceCommand } = await sdk();
  const abortSignal = options.signal;
  const workgroup = await getWorkgroup(ref, abortSignal);
  const namespaceName = workgroup?.namespaceName ?? ref.namespace;
  if (workgroup && workgroup.status !== 'DELETING') {
    try {
      await client.send(new DeleteWorkgroupCommand({ workgroupName: ref.workgroup }), { abortSignal });
    } catch (error) {
      if (awsErrorCode(error) === 'Conflict') {
        throw new AwsError(
          `cannot delete workgroup ${ref.workgroup} yet: it is ${workgroup.status?.toLowerCase()}`,
          'wait until it is available (sparkify serverless status --watch), then delete again',
          error,
        );
      }
      if (awsErrorCode(error) !== 'ResourceNotFound') throw translateAwsError(error, 'redshift-serverless:DeleteWorkgroup', ref);
    }
  }
  if (workgroup) {
    options.onProgress?.({ step: 'workgroup', outcome: 'deleting', detail: ref.workgroup });
    while (await getWorkgroup(ref, abortSignal)) {
      try {
        await sleep(options.intervalMs ?? 5000, undefined, { signal: abortSignal });
      } catch {
        throw new CancelledError(`stopped waiting: workgroup ${ref.workgroup} is still being deleted and namespace ${namespaceName} remains`);
      }
    }
    options.onProgress?.({ step: 'workgroup', outcome: 'deleted', detail: ref.workgroup });
  }
  const namespace = await getNamespace({ ...ref, namespace: namespaceName }, abortSignal);
  if (namespace && namespace.status !== 'DELETING') {
    await awsCall('redshift-serverless:DeleteNamespace', ref, async () => {
      try {
        await client.send(new DeleteNamespaceCommand({ namespaceName }), { abortSignal });
      } catch (error) {
        if (awsErrorCode(error) !== 'ResourceNotFound') throw error;
      }
    });
    options.onProgress?.({ step: 'namespace', outcome: 'deleting', detail: namespaceName });
  }
  return { workgroupExisted: workgroup !== undefined, namespaceExisted: namespace !== undefined };
}

export async function* watchServerless(
  ref: WorkgroupRef,
  options: { intervalMs?: number; signal?: AbortSignal; untilStable?: boolean } = {},
): AsyncGenerator<ServerlessSnapshot> {
  while (!options.signal?.aborted) {
    let snapshot: ServerlessSnapshot;
    try {
      snapshot = await findServerless(ref, options.signal);
    } catch (error) {
      if (options.signal?.aborted) return;
      throw error;
    }
    yield snapshot;
    if (options.untilStable !== false && !['creating', 'modifying', 'deleting'].includes(snapshot.status)) return;
    try {
      await sleep(options.intervalMs ?? 5000, undefined, { signal: options.signal });
    } catch {
      return;
    }
  }
}
