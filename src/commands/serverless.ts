// `sparkify serverless ...`: thin commands over the Serverless provisioning
// core; they ask before anything that costs or destroys and print what happened.
import { readConfig, type SparkifyConfig } from '../pipeline/config.js';
import { ConfigStore } from '../pipeline/config-store.js';
import { UsageError } from '../pipeline/errors.js';
import type { AwsScope } from '../pipeline/provision/aws.js';
import { type CostEstimate, estimateCost, formatUsd, priceTable } from '../pipeline/provision/cost.js';
import { SERVERLESS_DEFAULTS, type UsageBreachAction } from '../pipeline/provision/defaults.js';
import { usageLimitLine } from '../pipeline/provision/offers.js';
import { forgetManaged, rememberServerless } from '../pipeline/provision/record.js';
import { validateRegion } from '../pipeline/provision/regions.js';
import { defaultRoleName, deleteSourceRole } from '../pipeline/provision/role.js';
import {
  type ServerlessSnapshot,
  type UsageLimitRequest,
  type WorkgroupRef,
  createServerless,
  deleteServerless,
  describeUsageLimit,
  describeServerless,
  validateServerlessName,
  watchServerless,
} from '../pipeline/provision/serverless.js';
import {
  type AwsFlags,
  type SourceFlags,
  type WaitFlags,
  confirm,
  describeLocations,
  describeSources,
  explainInterrupt,
  out,
  printProgress,
  printRows,
  scopeFor,
  sourcesFor,
  timestamp,
} from './aws-command.js';
import { withInterrupt } from './interrupt.js';

function workgroupRefFor(flags: AwsFlags & { workgroup?: string; namespace?: string }, config: SparkifyConfig): WorkgroupRef {
  const recorded = config.cluster?.kind === 'serverless' ? config.cluster : undefined;
  const workgroup = flags.workgroup ?? recorded?.identifier ?? config.redshift.workgroupName;
  if (!workgroup) {
    throw new UsageError('no workgroup given and none in the config', 'pass --workgroup, or create one with `sparkify serverless create`');
  }
  validateServerlessName('workgroup', workgroup);
  const namespace = flags.namespace ?? (recorded?.identifier === workgroup ? recorded.namespaceName : undefined) ?? workgroup;
  return { workgroup, namespace, ...scopeFor(flags, config, workgroup) };
}

function serverlessCost(snapshot: ServerlessSnapshot, config: SparkifyConfig): CostEstimate | undefined {
  if (!snapshot.baseCapacity) return undefined;
  return estimateCost(
    { kind: 'serverless', baseCapacity: snapshot.baseCapacity, region: snapshot.region, status: snapshot.status, createdAt: snapshot.createdAt },
    priceTable(config.prices),
    new Date(),
  );
}

function serverlessJson(snapshot: ServerlessSnapshot, cost: CostEstimate | undefined): Record<string, unknown> {
  return {
    kind: snapshot.kind,
    workgroup: snapshot.workgroup,
    namespace: snapshot.namespace,
    region: snapshot.region,
    status: snapshot.status,
    namespaceStatus: snapshot.namespaceStatus,
    endpoint: snapshot.endpoint ? `${snapshot.endpoint.address}:${snapshot.endpoint.port}` : null,
    baseCapacity: snapshot.baseCapacity ?? null,
    database: snapshot.database ?? null,
    adminUser: snapshot.adminUser ?? null,
    publiclyAccessible: snapshot.publiclyAccessible ?? null,
    createdAt: snapshot.createdAt?.toISOString() ?? null,
    roleArns: snapshot.roleArns,
    usageLimits: snapshot.usageLimits.map(({ rpuHours, period, breachAction }) => ({ rpuHours, period, breachAction })),
    cost: cost ?? null,
    observedAt: snapshot.observedAt.toISOString(),
  };
}

function printServerlessStatus(snapshot: ServerlessSnapshot, config: SparkifyConfig, used?: string): void {
  const cost = serverlessCost(snapshot, config);
  const rows: [string, string][] = [
    ['workgroup', `${snapshot.workgroup} (serverless, ${snapshot.region})`],
    ['status', snapshot.status === 'gone' ? 'gone (no such workgroup)' : snapshot.status],
    ['namespace', `${snapshot.namespace} (${snapshot.namespaceStatus})`],
  ];
  if (snapshot.status !== 'gone') {
    rows.push(
      ['endpoint', snapshot.endpoint ? `${snapshot.endpoint.address}:${snapshot.endpoint.port}` : 'not yet'],
      ['capacity', `${snapshot.baseCapacity ?? '?'} RPU base`],
      ['database', `${snapshot.database ?? '?'}, admin ${snapshot.adminUser ?? '?'} (password in AWS Secrets Manager)`],
      ['access', snapshot.publiclyAccessible ? 'PUBLICLY ACCESSIBLE' : 'not publicly accessible; sparkify uses the Data API'],
      ['role', snapshot.roleArns.length > 0 ? snapshot.roleArns.join(', ') : 'none'],
      ['limit', snapshot.usageLimits.length > 0 ? snapshot.usageLimits.map(describeUsageLimit).join('; ') : 'none: nothing caps what it can bill (sparkify serverless create sets one)'],
      ['cost', cost?.perHour !== undefined ? `${formatUsd(cost.perHour)} ${cost.basis}` : 'unknown'],
      ...(used ? ([['used', used]] as [string, string][]) : []),
    );
  }
  printRows(rows);
}

async function followServerless(ref: WorkgroupRef, intervalSeconds: number, format: 'text' | 'json', config: SparkifyConfig): Promise<ServerlessSnapshot | undefined> {
  return withInterrupt(async (signal) => {
    let last: ServerlessSnapshot | undefined;
    for await (const snapshot of watchServerless(ref, { intervalMs: intervalSeconds * 1000, signal })) {
      if (snapshot.status !== last?.status) {
        if (format === 'json') out(JSON.stringify(serverlessJson(snapshot, serverlessCost(snapshot, config))));
        else out(`${timestamp(snapshot.observedAt)}  ${snapshot.workgroup}  ${snapshot.status}`);
      }
      last = snapshot;
    }
    return last;
  }, 'stopping the wait');
}

export async function serverlessCreateCommand(
  flags: AwsFlags &
    SourceFlags &
    WaitFlags & {
      workgroup: string;
      namespace?: string;
      baseCapacity: number;
      usageLimit: number;
      usagePeriod: UsageLimitRequest['period'];
      usageBreach: UsageBreachAction;
      database: string;
      dbUser: string;
      yes?: boolean;
    },
): Promise<number> {
  const store = new ConfigStore();
  const config = store.read();
  const namespace = flags.namespace ?? flags.workgroup;
  validateServerlessName('workgroup', flags.workgroup);
  validateServerlessName('namespace', namespace);
  if (flags.region) validateRegion(flags.region);
  const scope: AwsScope = { region: flags.region ?? config.redshift.region ?? SERVERLESS_DEFAULTS.region, profile: flags.profile ?? config.redshift.profile };
  const { sources, locations, manifestPrefix } = sourcesFor(flags, config, scope.region);
  const roleName = flags.roleName ?? defaultRoleName(flags.workgroup);
  const estimate = estimateCost({ kind: 'serverless', baseCapacity: flags.baseCapacity, region: scope.region, status: 'available' }, priceTable(config.prices), new Date());
  out(`Serverless workgroup ${flags.workgroup} (namespace ${namespace}) in ${scope.region}: ${formatUsd(estimate.perHour ?? 0)} ${estimate.basis}.`);
  const usageLimit = flags.usageLimit > 0 ? { rpuHours: flags.usageLimit, period: flags.usagePeriod, breachAction: flags.usageBreach } : undefined;
  out(
    usageLimit
      ? `Usage limit: ${usageLimitLine(usageLimit, priceTable(config.prices))}.`
      : 'No usage limit (--usage-limit 0): nothing caps what it can bill.',
  );
  out(`Role ${roleName} may read only ${describeLocations(locations)}.`);
  if (sources.sourceRegion) out(`The sources are in ${sources.sourceRegion}: COPY reads them across regions.`);
  out('Not publicly accessible; the admin password stays in AWS Secrets Manager.');
  await confirm('Create it?', flags.yes, `create workgroup ${flags.workgroup}`);

  let created;
  try {
    created = await withInterrupt((signal) => createServerless(
      {
        ...scope,
        workgroup: flags.workgroup,
        namespace,
        baseCapacity: flags.baseCapacity,
        usageLimit,
        database: flags.database,
        adminUser: flags.dbUser,
        roleName,
        locations,
      },
      { onProgress: printProgress, signal },
    ), 'stopping');
  } catch (error) {
    explainInterrupt(error, 'sparkify serverless create');
  }
  rememberServerless(store, created, { database: flags.database, profile: flags.profile, manifestPrefix }, sources);
  out(`Saved to ${store.path}: target redshift, workgroup ${flags.workgroup}, database ${created.snapshot.database ?? flags.database}.`);
  out(describeSources(sources));
  if (flags.wait) await followServerless(created.snapshot, flags.interval, 'text', store.read());
  else out('Follow it with: sparkify serverless status --watch');
  return 0;
}

/** RPU-hours this month, read through the Data API from an available workgroup. */
async function monthUsage(ref: WorkgroupRef, config: SparkifyConfig): Promise<string> {
  const [{ workgroupMonthLine }, { openWarehouse, resolveTarget }] = await Promise.all([import('../pipeline/provision/serverless-usage.js'), import('../pipeline/connect.js')]);
  const target = resolveTarget({ workgroup: ref.workgroup, region: ref.region, profile: ref.profile }, config);
  return workgroupMonthLine(() => openWarehouse(target), new Date(), config.prices);
}

export async function serverlessStatusCommand(
  flags: AwsFlags & { workgroup?: string; format: 'text' | 'json'; watch?: boolean; interval: number },
): Promise<number> {
  const config = readConfig();
  const ref = workgroupRefFor(flags, config);
  if (flags.watch) {
    const last = await followServerless(ref, flags.interval, flags.format, config);
    if (last && flags.format === 'text') {
      out();
      printServerlessStatus(last, config);
    }
    return 0;
  }
  const snapshot = await describeServerless(ref);
  if (flags.format === 'json') out(JSON.stringify(serverlessJson(snapshot, serverlessCost(snapshot, config)), null, 2));
  else printServerlessStatus(snapshot, config, snapshot.status === 'available' ? await monthUsage(ref, config) : undefined);
  return 0;
}

export async function serverlessDeleteCommand(
  flags: AwsFlags & { workgroup?: string; namespace?: string; all?: boolean; roleName?: string; interval: number; yes?: boolean },
): Promise<number> {
  const store = new ConfigStore();
  const config = store.read();
  const ref = workgroupRefFor(flags, config);
  const recorded = config.cluster?.kind === 'serverless' && config.cluster.identifier === ref.workgroup ? config.cluster : undefined;
  const roleName = flags.roleName ?? recorded?.roleName ?? defaultRoleName(ref.workgroup);
  await confirm(
    `Delete workgroup ${ref.workgroup} and namespace ${ref.namespace} with all its data?${flags.all ? ` Also delete role ${roleName} and forget it in the config?` : ''}`,
    flags.yes,
    `delete workgroup ${ref.workgroup}`,
  );
  const result = await withInterrupt(
    (signal) => deleteServerless(ref, { intervalMs: flags.interval * 1000, signal, onProgress: printProgress }),
    'stopping the wait',
  );
  if (!result.workgroupExisted && !result.namespaceExisted) out(`No workgroup ${ref.workgroup} or namespace ${ref.namespace}; nothing to delete.`);
  if (flags.all) {
    const removal = await deleteSourceRole(ref, roleName);
    out(removal.existed ? `Deleted role ${roleName}.` : `No role ${roleName}; nothing to remove.`);
    for (const change of forgetManaged(store, ref.workgroup)) out(`Config: ${change}.`);
  }
  return 0;
}

