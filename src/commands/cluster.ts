// `sparkify cluster ...`, `sparkify serverless ...` and `sparkify config
// import`: thin commands that read flags and the config, ask before anything
// that costs or destroys, call the provisioning core and print what happened.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { readConfig, type SourceSettings, type SparkifyConfig } from '../pipeline/config.js';
import { ConfigStore } from '../pipeline/config-store.js';
import { CancelledError, ConfigError, UsageError } from '../pipeline/errors.js';
import type { AwsScope } from '../pipeline/provision/aws.js';
import {
  CLUSTER_DEFAULTS,
  type ClusterRef,
  type ClusterSnapshot,
  type ProvisionProgress,
  createCluster,
  deleteCluster,
  describeCluster,
  findCluster,
  pauseCluster,
  resumeCluster,
  validateClusterIdentifier,
  watchCluster,
} from '../pipeline/provision/cluster.js';
import { type CostEstimate, estimateCost, formatHours, formatUsd, priceTable } from '../pipeline/provision/cost.js';
import { importDwhConfig } from '../pipeline/provision/dwh-config.js';
import { forgetManaged, rememberCluster, rememberServerless } from '../pipeline/provision/record.js';
import {
  type S3Location,
  defaultRoleName,
  deleteSourceRole,
  resolveS3Sources,
  sourceLocations,
} from '../pipeline/provision/role.js';
import {
  SERVERLESS_DEFAULTS,
  type ServerlessProgress,
  type ServerlessSnapshot,
  type WorkgroupRef,
  createServerless,
  deleteServerless,
  describeServerless,
  validateServerlessName,
  watchServerless,
} from '../pipeline/provision/serverless.js';

interface AwsFlags {
  region?: string;
  profile?: string;
}

interface SourceFlags {
  songData?: string;
  logData?: string;
  logJsonpaths?: string;
  sourceRegion?: string;
  sourceBucket?: string[];
  roleName?: string;
}

interface WaitFlags {
  wait?: boolean;
  interval: number;
}

function out(line = ''): void {
  process.stdout.write(line + '\n');
}

/** Aborts on Ctrl-C, so a wait or a watch stops cleanly. */
function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onInterrupt) };
}

async function confirm(question: string, yes: boolean | undefined, what: string): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError(`refusing to ${what} without confirmation: there is no terminal to ask on`, 'pass --yes to confirm from a script');
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const interrupted = new AbortController();
  prompt.once('SIGINT', () => interrupted.abort());
  try {
    const answer = await prompt.question(`${question} [y/N] `, { signal: interrupted.signal }).catch(() => '');
    if (!/^y(es)?$/i.test(answer.trim())) throw new CancelledError('not confirmed: nothing was changed');
  } finally {
    prompt.close();
  }
}

function regionFor(flags: AwsFlags, config: SparkifyConfig, identifier?: string): string {
  if (flags.region) return flags.region;
  if (identifier && config.cluster?.identifier === identifier) return config.cluster.region;
  return config.redshift.region ?? CLUSTER_DEFAULTS.region;
}

function scopeFor(flags: AwsFlags, config: SparkifyConfig, identifier?: string): AwsScope {
  const profile = flags.profile ?? config.redshift.profile;
  return { region: regionFor(flags, config, identifier), ...(profile ? { profile } : {}) };
}

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

function describeLocations(locations: S3Location[]): string {
  return locations.map((l) => `s3://${l.bucket}/${l.prefix}`).join(', ');
}

function sourcesFor(flags: SourceFlags, config: SparkifyConfig, region: string): { sources: SourceSettings; locations: S3Location[] } {
  const sources = resolveS3Sources(flags, config.sources, region);
  return { sources, locations: sourceLocations(sources, flags.sourceBucket ?? []) };
}

function describeSources(sources: SourceSettings): string {
  const jsonpaths = sources.logJsonpaths ? `, jsonpaths ${sources.logJsonpaths}` : '';
  return `Sources: songs ${sources.songData}, events ${sources.logData}${jsonpaths}.`;
}

function printProgress(progress: ProvisionProgress | ServerlessProgress): void {
  out(`  ${progress.step.padEnd(12)} ${progress.outcome === 'checked' || progress.outcome === 'updated' ? '' : progress.outcome + ' '}${progress.detail}`);
}

/** Keeps Ctrl-C during create from looking like a failure: it says how to carry on. */
function explainInterrupt(error: unknown, again: string): never {
  if (error instanceof CancelledError) {
    throw new CancelledError(`stopped before the end: run \`${again}\` again to pick up where it left off`);
  }
  throw error;
}

function clusterCost(snapshot: ClusterSnapshot, config: SparkifyConfig, now = new Date()): CostEstimate | undefined {
  if (!snapshot.nodeType || !snapshot.nodes) return undefined;
  const createdAt = snapshot.createdAt ?? (config.cluster?.identifier === snapshot.identifier && config.cluster.createdAt ? new Date(config.cluster.createdAt) : undefined);
  return estimateCost(
    { kind: 'provisioned', nodeType: snapshot.nodeType, nodes: snapshot.nodes, region: snapshot.region, status: snapshot.status, createdAt },
    priceTable(config.prices),
    now,
  );
}

function costLine(cost: CostEstimate | undefined): string[] {
  if (!cost) return ['unknown'];
  if (cost.perHour === undefined) return [cost.basis];
  const rate = `${formatUsd(cost.perHour)}/hour while running`;
  const now = cost.billingNow ? '' : ' (not running now: compute is not billed, storage is)';
  const soFar = cost.soFar === undefined ? '' : `, about ${formatUsd(cost.soFar)} so far`;
  return [`${rate}${soFar}${now}`, cost.basis];
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

function printClusterStatus(snapshot: ClusterSnapshot, config: SparkifyConfig): void {
  const now = new Date();
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
      ['cost', costLine(clusterCost(snapshot, config, now))],
    );
  }
  for (const [label, value] of rows) {
    const [first, ...rest] = Array.isArray(value) ? value : [value];
    out(`${label.padEnd(10)} ${first}`);
    for (const line of rest) out(`${''.padEnd(10)} ${line}`);
  }
}

function timestamp(date: Date): string {
  return date.toISOString().slice(11, 19);
}

/** Prints a line each time the status changes, until it settles; returns the last snapshot. */
async function followCluster(ref: ClusterRef, intervalSeconds: number, format: 'text' | 'json', config: SparkifyConfig): Promise<ClusterSnapshot | undefined> {
  const { signal, dispose } = interruptSignal();
  let last: ClusterSnapshot | undefined;
  try {
    for await (const snapshot of watchCluster(ref, { intervalMs: intervalSeconds * 1000, signal })) {
      if (snapshot.status !== last?.status) {
        if (format === 'json') out(JSON.stringify(clusterJson(snapshot, clusterCost(snapshot, config, snapshot.observedAt), snapshot.observedAt)));
        else out(`${timestamp(snapshot.observedAt)}  ${snapshot.identifier}  ${snapshot.status}${snapshot.endpoint ? `  ${snapshot.endpoint.address}:${snapshot.endpoint.port}` : ''}`);
      }
      last = snapshot;
    }
  } finally {
    dispose();
  }
  return last;
}

export async function clusterCreateCommand(
  flags: AwsFlags & SourceFlags & WaitFlags & { clusterId: string; nodeType: string; nodes: number; database: string; dbUser: string; yes?: boolean },
): Promise<number> {
  const store = new ConfigStore();
  const config = store.read();
  validateClusterIdentifier(flags.clusterId);
  const scope: AwsScope = { region: flags.region ?? config.redshift.region ?? CLUSTER_DEFAULTS.region, profile: flags.profile ?? config.redshift.profile };
  const { sources, locations } = sourcesFor(flags, config, scope.region);
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
  await confirm('Create it?', flags.yes, `create cluster ${flags.clusterId}`);

  const { signal, dispose } = interruptSignal();
  let created;
  try {
    created = await createCluster(
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
    );
  } catch (error) {
    explainInterrupt(error, 'sparkify cluster create');
  } finally {
    dispose();
  }
  rememberCluster(store, created, { database: flags.database, dbUser: flags.dbUser, profile: flags.profile }, sources);
  out(`Saved to ${store.path}: target redshift, cluster ${created.cluster.identifier}, database ${created.cluster.database ?? flags.database}, user ${created.cluster.adminUser ?? flags.dbUser}.`);
  out(describeSources(sources));
  if (flags.wait) {
    const last = await followCluster(created.cluster, flags.interval, 'text', store.read());
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
    const last = await followCluster(ref, flags.interval, flags.format, config);
    if (last && flags.format === 'text') {
      out();
      printClusterStatus(last, config);
    }
    return 0;
  }
  const snapshot = await describeCluster(ref);
  const now = new Date();
  if (flags.format === 'json') out(JSON.stringify(clusterJson(snapshot, clusterCost(snapshot, config, now), now), null, 2));
  else printClusterStatus(snapshot, config);
  return 0;
}

async function lifecycle(
  action: 'pause' | 'resume',
  flags: AwsFlags & WaitFlags & { clusterId?: string; yes?: boolean },
): Promise<number> {
  const config = readConfig();
  const ref = clusterRefFor(flags, config);
  const before = await describeCluster(ref);
  const question =
    action === 'pause'
      ? `Pause cluster ${ref.identifier} (${before.status})? Compute billing stops; the data stays.`
      : `Resume cluster ${ref.identifier} (${before.status})? Billing starts again${hourly(clusterCost(before, config))}.`;
  await confirm(question, flags.yes, `${action} cluster ${ref.identifier}`);
  const result = action === 'pause' ? await pauseCluster(ref) : await resumeCluster(ref);
  if (!result.changed) out(`Cluster ${ref.identifier} is already ${result.cluster.status}; nothing to do.`);
  else if (action === 'pause') out(`Pausing ${ref.identifier}: compute billing stops once it is paused (storage is still billed).`);
  else out(`Resuming ${ref.identifier}: it bills by the hour again once available.`);
  if (flags.wait) await followCluster(ref, flags.interval, 'text', config);
  return 0;
}

export function clusterPauseCommand(flags: AwsFlags & WaitFlags & { clusterId?: string; yes?: boolean }): Promise<number> {
  return lifecycle('pause', flags);
}

export function clusterResumeCommand(flags: AwsFlags & WaitFlags & { clusterId?: string; yes?: boolean }): Promise<number> {
  return lifecycle('resume', flags);
}

export async function clusterDeleteCommand(
  flags: AwsFlags &
    WaitFlags & { clusterId?: string; finalSnapshot?: string; skipFinalSnapshot?: boolean; all?: boolean; roleName?: string; yes?: boolean },
): Promise<number> {
  if (flags.finalSnapshot && flags.skipFinalSnapshot) {
    throw new UsageError('--final-snapshot and --skip-final-snapshot contradict each other', 'pass one of them');
  }
  const store = new ConfigStore();
  const config = store.read();
  const ref = clusterRefFor(flags, config);
  const recorded = config.cluster?.kind === 'provisioned' && config.cluster.identifier === ref.identifier ? config.cluster : undefined;
  const roleName = flags.roleName ?? recorded?.roleName ?? defaultRoleName(ref.identifier);
  const current = await findCluster(ref);
  const snapshotNote = flags.finalSnapshot
    ? `Redshift takes final snapshot ${flags.finalSnapshot} first (kept, and billed as storage, until you delete it).`
    : 'No final snapshot is taken: the data goes with it (pass --final-snapshot ID to keep one).';
  const what =
    current.status === 'gone'
      ? `Cluster ${ref.identifier} does not exist in ${ref.region}.`
      : `Delete cluster ${ref.identifier} (${current.status}, ${current.nodes ?? '?'} × ${current.nodeType ?? '?'})? ${snapshotNote}`;
  if (current.status !== 'gone' || flags.all) {
    await confirm(flags.all ? `${what} Also delete role ${roleName} and forget the cluster in the config?` : what, flags.yes, `delete cluster ${ref.identifier}`);
  }
  if (current.status === 'gone') out(`No cluster ${ref.identifier} in ${ref.region}; nothing to delete.`);
  else {
    const result = await deleteCluster(ref, { finalSnapshotId: flags.finalSnapshot });
    if (!result.changed) out(`Cluster ${ref.identifier} is already ${result.cluster.status}.`);
    else if (flags.finalSnapshot) out(`Deleting ${ref.identifier}; final snapshot ${flags.finalSnapshot} is taken first.`);
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
    for (const change of forgetManaged(store, ref.identifier)) out(`Config: ${change}.`);
  }
  if (flags.wait && current.status !== 'gone') await followCluster(ref, flags.interval, 'text', config);
  return 0;
}

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
    cost: cost ?? null,
    observedAt: snapshot.observedAt.toISOString(),
  };
}

function printServerlessStatus(snapshot: ServerlessSnapshot, config: SparkifyConfig): void {
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
      ['cost', cost?.perHour !== undefined ? `${formatUsd(cost.perHour)} ${cost.basis}` : 'unknown'],
    );
  }
  for (const [label, value] of rows) out(`${label.padEnd(10)} ${value}`);
}

async function followServerless(ref: WorkgroupRef, intervalSeconds: number, format: 'text' | 'json', config: SparkifyConfig): Promise<ServerlessSnapshot | undefined> {
  const { signal, dispose } = interruptSignal();
  let last: ServerlessSnapshot | undefined;
  try {
    for await (const snapshot of watchServerless(ref, { intervalMs: intervalSeconds * 1000, signal })) {
      if (snapshot.status !== last?.status) {
        if (format === 'json') out(JSON.stringify(serverlessJson(snapshot, serverlessCost(snapshot, config))));
        else out(`${timestamp(snapshot.observedAt)}  ${snapshot.workgroup}  ${snapshot.status}`);
      }
      last = snapshot;
    }
  } finally {
    dispose();
  }
  return last;
}

export async function serverlessCreateCommand(
  flags: AwsFlags &
    SourceFlags &
    WaitFlags & { workgroup: string; namespace?: string; baseCapacity: number; database: string; dbUser: string; yes?: boolean },
): Promise<number> {
  const store = new ConfigStore();
  const config = store.read();
  const namespace = flags.namespace ?? flags.workgroup;
  validateServerlessName('workgroup', flags.workgroup);
  validateServerlessName('namespace', namespace);
  const scope: AwsScope = { region: flags.region ?? config.redshift.region ?? SERVERLESS_DEFAULTS.region, profile: flags.profile ?? config.redshift.profile };
  const { sources, locations } = sourcesFor(flags, config, scope.region);
  const roleName = flags.roleName ?? defaultRoleName(flags.workgroup);
  const estimate = estimateCost({ kind: 'serverless', baseCapacity: flags.baseCapacity, region: scope.region, status: 'available' }, priceTable(config.prices), new Date());
  out(`Serverless workgroup ${flags.workgroup} (namespace ${namespace}) in ${scope.region}: ${formatUsd(estimate.perHour ?? 0)} ${estimate.basis}.`);
  out(`Role ${roleName} may read only ${describeLocations(locations)}.`);
  if (sources.sourceRegion) out(`The sources are in ${sources.sourceRegion}: COPY reads them across regions.`);
  out('Not publicly accessible; the admin password stays in AWS Secrets Manager.');
  await confirm('Create it?', flags.yes, `create workgroup ${flags.workgroup}`);

  const { signal, dispose } = interruptSignal();
  let created;
  try {
    created = await createServerless(
      {
        ...scope,
        workgroup: flags.workgroup,
        namespace,
        baseCapacity: flags.baseCapacity,
        database: flags.database,
        adminUser: flags.dbUser,
        roleName,
        locations,
      },
      { onProgress: printProgress, signal },
    );
  } catch (error) {
    explainInterrupt(error, 'sparkify serverless create');
  } finally {
    dispose();
  }
  rememberServerless(store, created, { database: flags.database, profile: flags.profile }, sources);
  out(`Saved to ${store.path}: target redshift, workgroup ${flags.workgroup}, database ${created.snapshot.database ?? flags.database}.`);
  out(describeSources(sources));
  if (flags.wait) await followServerless(created.snapshot, flags.interval, 'text', store.read());
  else out('Follow it with: sparkify serverless status --watch');
  return 0;
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
  else printServerlessStatus(snapshot, config);
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
  const { signal, dispose } = interruptSignal();
  try {
    const result = await deleteServerless(ref, { intervalMs: flags.interval * 1000, signal, onProgress: printProgress });
    if (!result.workgroupExisted && !result.namespaceExisted) out(`No workgroup ${ref.workgroup} or namespace ${ref.namespace}; nothing to delete.`);
  } finally {
    dispose();
  }
  if (flags.all) {
    const removal = await deleteSourceRole(ref, roleName);
    out(removal.existed ? `Deleted role ${roleName}.` : `No role ${roleName}; nothing to remove.`);
    for (const change of forgetManaged(store, ref.workgroup)) out(`Config: ${change}.`);
  }
  return 0;
}

export async function configImportCommand(file: string): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check the path', error);
  }
  const store = new ConfigStore();
  const result = importDwhConfig(text, store.read());
  if (Object.keys(result.patch).length > 0) store.update(result.patch);
  out(`Imported from ${basename(file)} into ${store.path}:`);
  if (result.imported.length === 0) out('  nothing');
  for (const item of result.imported) out(`  ${item.key} → ${item.setting} = ${item.value}`);
  if (result.patch.target) out(`  target → ${result.patch.target}`);
  if (result.skipped.length > 0) {
    out('Skipped:');
    for (const item of result.skipped) out(`  ${item.key}: ${item.reason}`);
  }
  if (result.createCommand) {
    out('To create a cluster like the one it describes:');
    out(`  ${result.createCommand}`);
  }
  if (result.holdsSecrets) {
    out(`Note: ${basename(file)} holds a password or AWS key in plain text. Delete it or keep it out of version control, and rotate the key if it was ever shared.`);
  }
  return 0;
}
