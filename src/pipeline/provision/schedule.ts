// `cluster create --pause-after HOURS`: a one-time scheduled action that
// pauses the cluster at a set time, run by Redshift's scheduler, so it happens
// even when sparkify is not running. The scheduler assumes a role of its own
// that may pause this one cluster and nothing else.
import { AwsError } from '../errors.js';
import { type AwsScope, awsCall, awsClients, awsErrorCode, translateAwsError } from './aws.js';
import type { ClusterRef, ProvisionProgress } from './cluster.js';
import { type RoleInfo, deleteSourceRole, ensureRole } from './role.js';

export const PAUSE_POLICY_NAME = 'sparkify-pause-cluster';
const SCHEDULER_SERVICE = 'scheduler.redshift.amazonaws.com';

export function schedulerRoleName(identifier: string): string {
  const base = identifier.startsWith('sparkify-') ? identifier : `sparkify-${identifier}`;
  return `${base}-scheduler`.slice(0, 64);
}

export function pauseActionName(identifier: string): string {
  return `${identifier}-pause-after`.slice(0, 63);
}

export interface PauseSchedule {
  actionName: string;
  at: Date;
  /** False once Redshift has run it (no next invocation). */
  pending: boolean;
}

/** `at(2026-12-01T22:15:00)`: Redshift's one-time schedule, in UTC to the second. */
function atSchedule(at: Date): string {
  return `at(${at.toISOString().slice(0, 19)})`;
}

/**
 * Creates (or replaces) the scheduled pause `hours` from now, with the role
 * the scheduler assumes. `account` names the cluster in the role's policy.
 */
export async function schedulePause(
  ref: ClusterRef,
  options: { hours: number; account: string; now?: Date; signal?: AbortSignal; onProgress?: (p: ProvisionProgress) => void },
): Promise<PauseSchedule & { role: RoleInfo }> {
  const at = new Date((options.now ?? new Date()).getTime() + options.hours * 3_600_000);
  const role = await ensureRole(ref, {
    roleName: schedulerRoleName(ref.identifier),
    trustedServices: [SCHEDULER_SERVICE],
    description: `Lets the Redshift scheduler pause cluster ${ref.identifier} (created by sparkify)`,
    policyName: PAUSE_POLICY_NAME,
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'PauseThisCluster', Effect: 'Allow', Action: 'redshift:PauseCluster', Resource: `arn:aws:redshift:${ref.region}:${options.account}:cluster:${ref.identifier}` },
      ],
    },
    policyDetail: `redshift:PauseCluster on ${ref.identifier} only`,
    signal: options.signal,
    onProgress: (p) => options.onProgress?.(p),
  });
  const redshift = await awsClients(ref).redshift();
  const { CreateScheduledActionCommand, DeleteScheduledActionCommand } = await import('@aws-sdk/client-redshift');
  const actionName = pauseActionName(ref.identifier);
  const create = () =>
    redshift.send(
      new CreateScheduledActionCommand({
        ScheduledActionName: actionName,
        TargetAction: { PauseCluster: { ClusterIdentifier: ref.identifier } },
        Schedule: atSchedule(at),
        IamRole: role.arn,
        ScheduledActionDescription: `pause ${ref.identifier} ${options.hours} h after sparkify created it`,
        Enable: true,
      }),
      { abortSignal: options.signal },
    );
  try {
    await create();
  } catch (error) {
    if (awsErrorCode(error) !== 'ScheduledActionAlreadyExists') throw translateAwsError(error, 'redshift:CreateScheduledAction', ref);
    // A schedule from an earlier create: the new time replaces it.
    await awsCall('redshift:DeleteScheduledAction', ref, () => redshift.send(new DeleteScheduledActionCommand({ ScheduledActionName: actionName }), { abortSignal: options.signal }));
    await awsCall('redshift:CreateScheduledAction', ref, create);
  }
  options.onProgress?.({ step: 'cluster', outcome: 'created', detail: `scheduled pause ${actionName} at ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC` });
  return { actionName, at, pending: true, role };
}

/** The scheduled pause sparkify made for this cluster, if there is one. */
export async function findPauseSchedule(ref: ClusterRef, signal?: AbortSignal): Promise<PauseSchedule | undefined> {
  const redshift = await awsClients(ref).redshift();
  const { DescribeScheduledActionsCommand } = await import('@aws-sdk/client-redshift');
  const actionName = pauseActionName(ref.identifier);
  try {
    const result = await redshift.send(new DescribeScheduledActionsCommand({ ScheduledActionName: actionName }), { abortSignal: signal });
    const action = result.ScheduledActions?.[0];
    if (!action) return undefined;
    const next = action.NextInvocations?.[0];
    const at = next ?? parseAt(action.Schedule);
    if (!at) throw new AwsError(`scheduled action ${actionName} has a schedule sparkify did not write: ${action.Schedule}`);
    return { actionName, at, pending: next !== undefined };
  } catch (error) {
    if (awsErrorCode(error) === 'ScheduledActionNotFound') return undefined;
    throw translateAwsError(error, 'redshift:DescribeScheduledActions', ref);
  }
}

function parseAt(schedule: string | undefined): Date | undefined {
  const at = /^at\((.+)\)$/.exec(schedule ?? '')?.[1];
  return at ? new Date(`${at}Z`) : undefined;
}

/** Removes the scheduled pause and its role (delete --all); whatever is already gone is skipped. */
export async function removePauseSchedule(scope: AwsScope & { identifier: string }, signal?: AbortSignal): Promise<{ removedAction: boolean; removedRole: boolean }> {
  const redshift = await awsClients(scope).redshift();
  const { DeleteScheduledActionCommand } = await import('@aws-sdk/client-redshift');
  let removedAction = true;
  try {
    await redshift.send(new DeleteScheduledActionCommand({ ScheduledActionName: pauseActionName(scope.identifier) }), { abortSignal: signal });
  } catch (error) {
    if (awsErrorCode(error) !== 'ScheduledActionNotFound') throw translateAwsError(error, 'redshift:DeleteScheduledAction', scope);
    removedAction = false;
  }
  const role = await deleteSourceRole(scope, schedulerRoleName(scope.identifier), signal);
  return { removedAction, removedRole: role.existed };
}
