// Fake Amazon Redshift control plane (AWS Query protocol, Version 2012-12-01):
// CreateCluster, DescribeClusters, PauseCluster, ResumeCluster, DeleteCluster
// (with its final snapshot), DescribeClusterSnapshots, and scheduled pauses
// (CreateScheduledAction, DescribeScheduledActions, DeleteScheduledAction).
// Responses follow the XML shapes the SDK's deserializer reads.
import {
  type ControlPlaneService,
  type ControlPlaneState,
  type FakeCluster,
  type FakeScheduledAction,
  type XmlNode,
  FAKE_ACCOUNT,
  FakeAwsError,
  GONE,
  formList,
  formTags,
  isoTime,
  randomSuffix,
  type QueryOperation,
  queryProtocolService,
} from './control-plane.js';

const NAMESPACE = 'http://redshift.amazonaws.com/doc/2012-12-01/';
const VERSION = '2012-12-01';
export const FAKE_NODE_TYPES = ['dc2.large', 'dc2.8xlarge', 'ra3.large', 'ra3.xlplus', 'ra3.4xlarge', 'ra3.16xlarge'];
const IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}$/;

const AVAILABILITY: Record<string, string> = {
  available: 'Available',
  creating: 'Modifying',
  pausing: 'Modifying',
  paused: 'Paused',
  resuming: 'Modifying',
  deleting: 'Modifying',
  'final-snapshot': 'Modifying',
};

function clusterXml(cluster: FakeCluster): XmlNode[] {
  const hasEndpoint = cluster.status !== 'creating';
  return [
    ['ClusterIdentifier', cluster.identifier],
    ['NodeType', cluster.nodeType],
    ['ClusterStatus', cluster.status],
    ['ClusterAvailabilityStatus', AVAILABILITY[cluster.status] ?? 'Unavailable'],
    ['MasterUsername', cluster.masterUsername],
    ['DBName', cluster.database],
    [
      'Endpoint',
      hasEndpoint
        ? [
            ['Address', `${cluster.identifier}.c${cluster.identifier.length}fake.${cluster.region}.redshift.amazonaws.com`],
            ['Port', 5439],
          ]
        : undefined,
    ],
    ['ClusterCreateTime', isoTime(cluster.createdAt)],
    ['AutomatedSnapshotRetentionPeriod', 1],
    ['VpcSecurityGroups', cluster.vpcSecurityGroupIds.map((id): XmlNode => ['VpcSecurityGroup', [['VpcSecurityGroupId', id], ['Status', 'active']]])],
    ['ClusterSubnetGroupName', 'default'],
    ['AvailabilityZone', `${cluster.region}a`],
    ['NumberOfNodes', cluster.nodes],
    ['PubliclyAccessible', cluster.publiclyAccessible],
    ['Encrypted', true],
    ['IamRoles', cluster.iamRoles.map((arn): XmlNode => ['ClusterIamRole', [['IamRoleArn', arn], ['ApplyStatus', 'in-sync']]])],
    ['Tags', Object.entries(cluster.tags).map(([key, value]): XmlNode => ['Tag', [['Key', key], ['Value', value]]])],
    ['ClusterNamespaceArn', `arn:aws:redshift:${cluster.region}:${FAKE_ACCOUNT}:namespace:${cluster.identifier}`],
    ['MasterPasswordSecretArn', cluster.masterPasswordSecretArn],
  ];
}

function scheduledActionXml(action: FakeScheduledAction): XmlNode[] {
  return [
    ['ScheduledActionName', action.name],
    ['TargetAction', [['PauseCluster', [['ClusterIdentifier', action.clusterIdentifier]]]]],
    ['Schedule', action.schedule],
    ['IamRole', action.iamRole],
    ['ScheduledActionDescription', action.description],
    ['State', 'ACTIVE'],
    ['NextInvocations', action.done ? [] : [['ScheduledActionTime', isoTime(action.at)]]],
  ];
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new FakeAwsError('InvalidParameterValue', `${name} is required`);
  return value;
}

function existing(state: ControlPlaneState, identifier: string): FakeCluster {
  const cluster = state.clusters.get(identifier);
  if (!cluster) throw new FakeAwsError('ClusterNotFound', `Cluster ${identifier} not found.`, 404);
  return cluster;
}

function invalidState(cluster: FakeCluster, action: string): FakeAwsError {
  return new FakeAwsError(
    'InvalidClusterState',
    `You can't ${action} cluster ${cluster.identifier} because it is in ${cluster.status} state.`,
  );
}

/** What the Data API fake needs of a cluster: where it stands, the IAM roles associated with it and the database it was created with. */
export function clusterForDataApi(state: ControlPlaneState, identifier: string): { status: string; iamRoles: string[]; databases: string[] } | undefined {
  state.settle();
  const cluster = state.clusters.get(identifier);
  return cluster && { status: cluster.status, iamRoles: [...cluster.iamRoles], databases: [cluster.database] };
}

export function createRedshiftService(state: ControlPlaneState): ControlPlaneService {
  const operations: Record<string, QueryOperation> = {
    CreateCluster(form, region) {
      const identifier = required(form, 'ClusterIdentifier').toLowerCase();
      if (!IDENTIFIER.test(identifier) || identifier.endsWith('-')) {
        throw new FakeAwsError('InvalidParameterValue', `Invalid cluster identifier: ${identifier}`);
      }
      const nodeType = required(form, 'NodeType');
      if (!FAKE_NODE_TYPES.includes(nodeType)) throw new FakeAwsError('InvalidParameterValue', `Invalid node type: ${nodeType}`);
      const masterUsername = required(form, 'MasterUsername');
      const manageMasterPassword = form.get('ManageMasterPassword') === 'true';
      if (!manageMasterPassword && !form.get('MasterUserPassword')) {
        throw new FakeAwsError('InvalidParameterCombination', 'Either MasterUserPassword or ManageMasterPassword must be specified.');
      }
      const clusterType = form.get('ClusterType') ?? 'multi-node';
      const nodes = clusterType === 'single-node' ? 1 : Number(form.get('NumberOfNodes') ?? '1');
      if (clusterType === 'multi-node' && nodes < 2) {
        throw new FakeAwsError('InvalidParameterCombination', 'Number of nodes for cluster type multi-node must be greater than or equal to 2');
      }
      if (state.clusters.has(identifier)) throw new FakeAwsError('ClusterAlreadyExists', 'Cluster already exists');
      const cluster: FakeCluster = {
        identifier,
        region,
        nodeType,
        nodes,
        database: form.get('DBName') ?? 'dev',
        masterUsername,
        status: 'creating',
        next: state.transitionTo('available'),
        createdAt: state.now(),
        iamRoles: formList(form, 'IamRoles'),
        publiclyAccessible: form.get('PubliclyAccessible') === 'true',
        manageMasterPassword,
        masterPasswordSecretArn: manageMasterPassword
          ? `arn:aws:secretsmanager:${region}:${FAKE_ACCOUNT}:secret:redshift!${identifier}-${masterUsername}-${randomSuffix(6)}`
          : undefined,
        vpcSecurityGroupIds: formList(form, 'VpcSecurityGroupIds').length > 0 ? formList(form, 'VpcSecurityGroupIds') : [`sg-${randomSuffix(17)}`],
        tags: formTags(form),
      };
      state.clusters.set(identifier, cluster);
      return [['Cluster', clusterXml(cluster)]];
    },
    DescribeClusters(form, region) {
      const identifier = form.get('ClusterIdentifier')?.toLowerCase();
      // Listing is per region, as the endpoint is.
      const clusters = identifier ? [existing(state, identifier)] : [...state.clusters.values()].filter((c) => c.region === region);
      return [['Clusters', clusters.map((cluster): XmlNode => ['Cluster', clusterXml(cluster)])]];
    },
    PauseCluster(form) {
      const cluster = existing(state, required(form, 'ClusterIdentifier').toLowerCase());
      if (cluster.status !== 'available') throw invalidState(cluster, 'pause');
      cluster.status = 'pausing';
      cluster.next = state.transitionTo('paused');
      return [['Cluster', clusterXml(cluster)]];
    },
    ResumeCluster(form) {
      const cluster = existing(state, required(form, 'ClusterIdentifier').toLowerCase());
      if (cluster.status !== 'paused') throw invalidState(cluster, 'resume');
      cluster.status = 'resuming';
      cluster.next = state.transitionTo('available');
      return [['Cluster', clusterXml(cluster)]];
    },
    DeleteCluster(form) {
      const cluster = existing(state, required(form, 'ClusterIdentifier').toLowerCase());
      if (!['available', 'paused', 'creating'].includes(cluster.status)) throw invalidState(cluster, 'delete');
      const skip = form.get('SkipFinalClusterSnapshot') === 'true';
      const snapshotId = form.get('FinalClusterSnapshotIdentifier');
      if (!skip && !snapshotId) {
        throw new FakeAwsError(
          'InvalidParameterCombination',
          'FinalClusterSnapshotIdentifier is required unless SkipFinalClusterSnapshot is specified.',
        );
      }
      if (snapshotId) {
        if (state.snapshots.some((s) => s.identifier === snapshotId)) throw new FakeAwsError('ClusterSnapshotAlreadyExists', `Snapshot ${snapshotId} already exists.`);
        state.snapshots.push({ identifier: snapshotId, clusterIdentifier: cluster.identifier, createdAt: state.now(), nodeType: cluster.nodeType, nodes: cluster.nodes, kind: 'final' });
        // Redshift takes the snapshot first, then deletes.
        cluster.status = 'final-snapshot';
        cluster.next = state.transitionTo('deleting', GONE);
      } else {
        cluster.status = 'deleting';
        cluster.next = state.transitionTo(GONE);
      }
      return [['Cluster', clusterXml(cluster)]];
    },
    CreateScheduledAction(form) {
      const name = required(form, 'ScheduledActionName');
      if (state.scheduledActions.has(name)) throw new FakeAwsError('ScheduledActionAlreadyExists', `Scheduled action ${name} already exists.`);
      const clusterIdentifier = form.get('TargetAction.PauseCluster.ClusterIdentifier')?.toLowerCase();
      if (!clusterIdentifier) throw new FakeAwsError('InvalidScheduledAction', 'The fake supports PauseCluster target actions only.');
      existing(state, clusterIdentifier);
      const schedule = required(form, 'Schedule');
      const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(schedule)?.[1];
      if (!at) throw new FakeAwsError('InvalidSchedule', `Invalid schedule ${schedule}: expected at(yyyy-mm-ddThh:mm:ss)`);
      const iamRole = required(form, 'IamRole');
      const role = [...state.roles.values()].find((r) => r.arn === iamRole);
      // Redshift's scheduler assumes the role: it must trust scheduler.redshift.amazonaws.com.
      if (!role || !role.assumeRolePolicyDocument.includes('scheduler.redshift.amazonaws.com')) {
        throw new FakeAwsError('InvalidScheduledAction', `The IAM role ${iamRole} cannot be assumed by scheduler.redshift.amazonaws.com.`);
      }
      const action: FakeScheduledAction = {
        name,
        clusterIdentifier,
        schedule,
        at: Date.parse(`${at}Z`),
        iamRole,
        description: form.get('ScheduledActionDescription') ?? undefined,
        done: false,
      };
      state.scheduledActions.set(name, action);
      return scheduledActionXml(action);
    },
    DescribeScheduledActions(form) {
      const name = form.get('ScheduledActionName');
      if (name && !state.scheduledActions.has(name)) throw new FakeAwsError('ScheduledActionNotFound', `Scheduled action ${name} not found.`, 404);
      const actions = [...state.scheduledActions.values()].filter((a) => !name || a.name === name);
      return [['ScheduledActions', actions.map((a): XmlNode => ['ScheduledAction', scheduledActionXml(a)])]];
    },
    DeleteScheduledAction(form) {
      const name = required(form, 'ScheduledActionName');
      if (!state.scheduledActions.delete(name)) throw new FakeAwsError('ScheduledActionNotFound', `Scheduled action ${name} not found.`, 404);
      return undefined;
    },
    DescribeEvents(form) {
      const source = form.get('SourceIdentifier')?.toLowerCase();
      const start = form.get('StartTime') ? Date.parse(form.get('StartTime')!) : 0;
      const end = form.get('EndTime') ? Date.parse(form.get('EndTime')!) : Infinity;
      const events = state.events.filter((e) => (!source || e.sourceIdentifier === source) && e.at >= start && e.at <= end);
      return [
        [
          'Events',
          events.map((e): XmlNode => [
            'Event',
            [
              ['SourceIdentifier', e.sourceIdentifier],
              ['SourceType', 'cluster'],
              ['Message', e.message],
              ['EventCategories', [['EventCategory', 'management']]],
              ['Severity', 'INFO'],
              ['Date', isoTime(e.at)],
            ],
          ]),
        ],
      ];
    },
    DescribeClusterSnapshots(form) {
      const id = form.get('SnapshotIdentifier');
      const cluster = form.get('ClusterIdentifier')?.toLowerCase();
      const found = state.snapshots.filter((s) => (!id || s.identifier === id) && (!cluster || s.clusterIdentifier === cluster));
      if (id && found.length === 0) throw new FakeAwsError('ClusterSnapshotNotFound', `Snapshot ${id} not found.`, 404);
      return [
        [
          'Snapshots',
          found.map((s): XmlNode => [
            'Snapshot',
            [
              ['SnapshotIdentifier', s.identifier],
              ['ClusterIdentifier', s.clusterIdentifier],
              ['SnapshotCreateTime', isoTime(s.createdAt)],
              // Available once the cluster it came from has moved past taking it.
              ['Status', state.clusters.get(s.clusterIdentifier)?.status === 'final-snapshot' ? 'creating' : 'available'],
              ['SnapshotType', 'manual'],
              ['NodeType', s.nodeType],
              ['NumberOfNodes', s.nodes],
            ],
          ]),
        ],
      ];
    },
  };

  return queryProtocolService({
    name: 'redshift',
    state,
    version: VERSION,
    namespace: NAMESPACE,
    operations,
    beforeOperation: () => state.settle(),
  });
}
