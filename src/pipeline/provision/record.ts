// Writes what provisioning made into the config, so `sparkify run --target
// redshift` needs nothing more, and forgets it after a delete. Only names,
// regions and ARNs: never a password or a key.
import type { SparkifyConfig, SourceSettings } from '../config.js';
import type { ConfigStore } from '../config-store.js';
import type { CreatedCluster } from './cluster.js';
import type { CreatedServerless } from './serverless.js';

export function rememberCluster(
  store: ConfigStore,
  created: CreatedCluster,
  connection: { database: string; dbUser: string; profile?: string; manifestPrefix?: string },
  sources: SourceSettings,
): SparkifyConfig {
  const { cluster, role } = created;
  const current = store.read();
  return store.update({
    target: 'redshift',
    sources,
    cluster: {
      kind: 'provisioned',
      identifier: cluster.identifier,
      region: cluster.region,
      nodeType: cluster.nodeType,
      nodes: cluster.nodes,
      roleName: role.name,
      roleArn: role.arn,
      createdAt: (cluster.createdAt ?? new Date()).toISOString(),
    },
    redshift: {
      region: cluster.region,
      profile: connection.profile ?? current.redshift.profile,
      clusterIdentifier: cluster.identifier,
      database: cluster.database ?? connection.database,
      dbUser: cluster.adminUser ?? connection.dbUser,
      iamRole: role.arn,
      manifestPrefix: connection.manifestPrefix ?? current.redshift.manifestPrefix,
    },
  });
}

export function rememberServerless(
  store: ConfigStore,
  created: CreatedServerless,
  connection: { database: string; profile?: string; manifestPrefix?: string },
  sources: SourceSettings,
): SparkifyConfig {
  const { snapshot, role } = created;
  const current = store.read();
  return store.update({
    target: 'redshift',
    sources,
    cluster: {
      kind: 'serverless',
      identifier: snapshot.workgroup,
      namespaceName: snapshot.namespace,
      region: snapshot.region,
      roleName: role.name,
      roleArn: role.arn,
      createdAt: (snapshot.createdAt ?? new Date()).toISOString(),
    },
    redshift: {
      region: snapshot.region,
      profile: connection.profile ?? current.redshift.profile,
      workgroupName: snapshot.workgroup,
      database: snapshot.database ?? connection.database,
      iamRole: role.arn,
      manifestPrefix: connection.manifestPrefix ?? current.redshift.manifestPrefix,
    },
  });
}

/** Removes a deleted cluster or workgroup from the config; returns what changed, in words. */
export function forgetManaged(store: ConfigStore, identifier: string): string[] {
  const config = store.read();
  const changes: string[] = [];
  const patch: Partial<SparkifyConfig> = {};
  if (config.cluster?.identifier === identifier) {
    patch.cluster = undefined;
    changes.push(`forgot ${config.cluster.kind === 'serverless' ? 'workgroup' : 'cluster'} ${identifier}`);
  }
  if (config.redshift.clusterIdentifier === identifier || config.redshift.workgroupName === identifier) {
    const { region, profile } = config.redshift;
    patch.redshift = { region, profile };
    changes.push('cleared the Redshift connection settings');
    if (config.target === 'redshift') {
      patch.target = 'local';
      changes.push('target is local again');
      const onS3 = [config.sources.songData, config.sources.logData].some((uri) => uri !== undefined && /^s3:\/\//i.test(uri));
      if (onS3) changes.push('the sources are still on S3: a local run fetches them into its cache, or point them at local folders with `sparkify setup` (or --song-data / --log-data)');
    }
  }
  if (changes.length > 0) store.update(patch);
  return changes;
}
