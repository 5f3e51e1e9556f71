import { Box, Text } from 'ink';
import type { SparkifyConfig } from '../../pipeline/config.js';
import { defaultLocalDatabase } from '../../pipeline/config.js';
import type { ClusterSummary } from '../hooks/app-reducer.js';
import { formatUsd } from '../../pipeline/provision/cost.js';

/** The active target in words: the local file, or the cluster or workgroup. */
export function targetLabel(config: SparkifyConfig | null): string {
  if (!config) return 'not set up';
  if (config.target === 'local') return `local ${config.localDatabase ?? defaultLocalDatabase()}`;
  const r = config.redshift;
  const where = r.workgroupName ? `workgroup ${r.workgroupName}` : `cluster ${r.clusterIdentifier ?? '?'}`;
  return `redshift ${where}${r.region ? ` (${r.region})` : ''}`;
}

export function Header({
  config,
  cluster,
  busyLabel,
  screenTitle,
}: {
  config: SparkifyConfig | null;
  cluster: ClusterSummary | null;
  busyLabel: string | null;
  screenTitle: string;
}) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-middle">
        <Text bold color="magenta">sparkify</Text>
        <Text dimColor> · </Text>
        <Text bold>{screenTitle}</Text>
        <Text dimColor> · </Text>
        <Text>{targetLabel(config)}</Text>
      </Text>
      {cluster || busyLabel ? (
        <Text wrap="truncate-end">
          {cluster ? (
            <Text>
              <Text dimColor>{config?.target === 'redshift' && config.redshift.workgroupName ? 'workgroup ' : 'cluster '}</Text>
              {cluster.identifier} <Text color={cluster.status === 'available' ? 'green' : 'yellow'}>{cluster.status}</Text>
              {cluster.costUsd !== undefined ? <Text dimColor> · {formatUsd(cluster.costUsd)} so far</Text> : null}
            </Text>
          ) : null}
          {cluster && busyLabel ? <Text dimColor> · </Text> : null}
          {busyLabel ? <Text color="yellow">{busyLabel}…</Text> : null}
        </Text>
      ) : null}
    </Box>
  );
}
