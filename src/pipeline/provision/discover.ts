// The clusters and Serverless workgroups a person's credentials see in a
// region, with the database, admin user and IAM roles of each, so the setup
// wizard can offer them instead of asking for names to be typed.
import type { Cluster } from '@aws-sdk/client-redshift';
import type { Workgroup } from '@aws-sdk/client-redshift-serverless';
import { type AwsScope, awsCall, awsClients } from './aws.js';
import { roleArnOf } from './identifier.js';

export interface FoundWarehouse {
  kind: 'provisioned' | 'serverless';
  /** Cluster identifier or workgroup name. */
  identifier: string;
  status: string;
  database?: string;
  /** The admin user of a cluster (a default for the database user). */
  adminUser?: string;
  /** IAM roles attached (cluster) or associated with the namespace (workgroup). */
  roleArns: string[];
  /** Size in words: `1 × ra3.large`, `4 RPU`. */
  size: string;
}

function fromCluster(cluster: Cluster): FoundWarehouse {
  return {
    kind: 'provisioned',
    identifier: cluster.ClusterIdentifier ?? '',
    status: cluster.ClusterStatus ?? 'unknown',
    database: cluster.DBName,
    adminUser: cluster.MasterUsername,
    roleArns: (cluster.IamRoles ?? []).map((r) => r.IamRoleArn ?? '').filter((arn) => arn !== ''),
    size: `${cluster.NumberOfNodes ?? '?'} × ${cluster.NodeType ?? '?'}`,
  };
}

async function listClusters(scope: AwsScope, signal?: AbortSignal): Promise<FoundWarehouse[]> {
  const client = await awsClients(scope).redshift();
  const { DescribeClustersCommand } = await import('@aws-sdk/client-redshift');
  const found: FoundWarehouse[] = [];
  let marker: string | undefined;
  do {
    const page = await awsCall('redshift:DescribeClusters', scope, () => client.send(new DescribeClustersCommand({ Marker: marker }), { abortSignal: signal }));
    found.push(...(page.Clusters ?? []).map(fromCluster));
    marker = page.Marker;
  } while (marker);
  return found;
}

async function listWorkgroups(scope: AwsScope, signal?: AbortSignal): Promise<FoundWarehouse[]> {
  const client = await awsClients(scope).serverless();
  const { ListWorkgroupsCommand, GetNamespaceCommand } = await import('@aws-sdk/client-redshift-serverless');
  const workgroups: Workgroup[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall('redshift-serverless:ListWorkgroups', scope, () => client.send(new ListWorkgroupsCommand({ nextToken }), { abortSignal: signal }));
    workgroups.push(...(page.workgroups ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return Promise.all(
    workgroups.map(async (workgroup): Promise<FoundWarehouse> => {
      const namespace = workgroup.namespaceName
        ? (
            await awsCall('redshift-serverless:GetNamespace', scope, () =>
              client.send(new GetNamespaceCommand({ namespaceName: workgroup.namespaceName }), { abortSignal: signal }),
            )
          ).namespace
        : undefined;
      return {
        kind: 'serverless',
        identifier: workgroup.workgroupName ?? '',
        status: workgroup.status?.toLowerCase() ?? 'unknown',
        database: namespace?.dbName,
        roleArns: (namespace?.iamRoles ?? []).map(roleArnOf),
        size: `${workgroup.baseCapacity ?? '?'} RPU`,
      };
    }),
  );
}

/** Clusters first, then workgroups, each by name; either list failing fails the whole (the error says which call). */
export async function discoverWarehouses(scope: AwsScope, signal?: AbortSignal): Promise<FoundWarehouse[]> {
  const [clusters, workgroups] = await Promise.all([listClusters(scope, signal), listWorkgroups(scope, signal)]);
  const byName = (a: FoundWarehouse, b: FoundWarehouse) => a.identifier.localeCompare(b.identifier);
  return [...clusters.sort(byName), ...workgroups.sort(byName)];
}
