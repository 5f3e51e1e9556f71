// The cluster screen for a Serverless target: the workgroup's status, base
// capacity, usage limit and price, polled as a cluster is, and the RPU-hours
// charged this month. A workgroup has no nodes to pause; the usage limit is
// what keeps its bill bounded.
import { type ReactNode, useEffect, useState } from 'react';
import { setTimeout as sleep } from 'node:timers/promises';
import { Box, Text } from 'ink';
import type { SparkifyConfig } from '../../pipeline/config.js';
import { SparkifyError } from '../../pipeline/errors.js';
import type { ServerlessSnapshot, WorkgroupRef } from '../../pipeline/provision/serverless.js';
import { ErrorMessage } from '../components/error-message.js';
import { WarehouseStatus } from '../components/warehouse-status.js';
import { useAppActions } from '../contexts/app-context.js';

export function workgroupRefOf(config: SparkifyConfig | null): WorkgroupRef | null {
  if (!config) return null;
  const recorded = config.cluster?.kind === 'serverless' ? config.cluster : undefined;
  const workgroup = recorded?.identifier ?? config.redshift.workgroupName;
  if (!workgroup) return null;
  return {
    workgroup,
    namespace: recorded?.namespaceName ?? workgroup,
    region: recorded?.region ?? config.redshift.region ?? 'us-west-2',
    profile: config.redshift.profile,
  };
}

interface Shown {
  snapshot: ServerlessSnapshot;
  limits: string[];
  price: string;
}

export function WorkgroupPanel({
  workgroupRef,
  config,
  refreshMs,
  refreshKey,
}: {
  workgroupRef: WorkgroupRef;
  config: SparkifyConfig;
  refreshMs: number;
  /** Changes on a manual refresh: the status and this month's usage are read again. */
  refreshKey: number;
}) {
  const actions = useAppActions();
  const [shown, setShown] = useState<Shown | null>(null);
  const [used, setUsed] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const key = `${workgroupRef.workgroup}|${workgroupRef.region}|${workgroupRef.profile ?? ''}`;

  useEffect(() => {
    const controller = new AbortController();
    void (async () => {
      const { findServerless, describeUsageLimit } = await import('../../pipeline/provision/serverless.js');
      const { estimateCost, formatUsd, priceTable } = await import('../../pipeline/provision/cost.js');
      // Reading the usage is a query the workgroup bills for (and it would never idle if polled): it is
      // read when the workgroup becomes available and on a manual refresh, not on every poll.
      let usageRead = false;
      while (!controller.signal.aborted) {
        try {
          const snapshot = await findServerless(workgroupRef, controller.signal);
          const cost = snapshot.baseCapacity
            ? estimateCost({ kind: 'serverless', baseCapacity: snapshot.baseCapacity, region: snapshot.region, status: snapshot.status }, priceTable(config.prices), new Date())
            : undefined;
          setShown({
            snapshot,
            limits: snapshot.usageLimits.map(describeUsageLimit),
            price: cost?.perHour !== undefined ? `${formatUsd(cost.perHour)} per query-hour at base capacity; idle time is not billed` : 'unknown',
          });
          setError(null);
          actions.clusterSummary(snapshot.status === 'gone' ? null : { identifier: snapshot.workgroup, status: snapshot.status });
          if (snapshot.status !== 'available') {
            usageRead = false;
            setUsed(null);
          } else if (!usageRead) {
            usageRead = true;
            const [{ workgroupMonthLine }, { openWarehouse, resolveTarget }] = await Promise.all([
              import('../../pipeline/provision/serverless-usage.js'),
              import('../../pipeline/connect.js'),
            ]);
            const target = resolveTarget({ workgroup: workgroupRef.workgroup, region: workgroupRef.region, profile: workgroupRef.profile }, config);
            const line = await workgroupMonthLine(() => openWarehouse(target), new Date(), config.prices, controller.signal);
            if (!controller.signal.aborted) setUsed(line);
          }
        } catch (caught) {
          if (controller.signal.aborted) return;
          setError({ message: (caught as Error).message, hint: caught instanceof SparkifyError ? caught.hint : undefined });
        }
        await sleep(refreshMs, undefined, { signal: controller.signal }).catch(() => undefined);
      }
    })();
    return () => controller.abort();
    // The poll restarts when the workgroup it follows changes, or on a manual refresh.
  }, [key, refreshMs, refreshKey]);

  const snapshot = shown?.snapshot;
  const row = (label: string, value: ReactNode) => (
    <Text wrap="truncate-end">
      <Text dimColor>{label.padEnd(10)}</Text>
      {value}
    </Text>
  );
  return (
    <Box flexDirection="column">
      {row(
        'workgroup',
        <>
          <Text bold>{workgroupRef.workgroup}</Text> <Text dimColor>(Serverless, {workgroupRef.region})</Text>
        </>,
      )}
      {row(
        'status',
        <WarehouseStatus status={snapshot?.status} />,
      )}
      {snapshot && snapshot.status !== 'gone' ? (
        <>
          {row('capacity', `${snapshot.baseCapacity ?? '?'} RPU base · namespace ${snapshot.namespace}`)}
          {row(
            'limit',
            shown.limits.length > 0 ? shown.limits.join('; ') : <Text color="yellow">none: nothing caps what it can bill (sparkify serverless create sets one)</Text>,
          )}
          {row('cost', shown.price)}
          {snapshot.status === 'available' ? (
            // Wrapped, not cut: the price and "this month" come last on a long line.
            <Box>
              <Box width={10} flexShrink={0}>
                <Text dimColor>used</Text>
              </Box>
              {used ? <Text>{used}</Text> : <Text dimColor>reading sys_serverless_usage…</Text>}
            </Box>
          ) : null}
        </>
      ) : null}
      {error ? (
        <Box marginTop={1}>
          <ErrorMessage message={error.message} hint={error.hint} />
        </Box>
      ) : null}
      <Text dimColor>no nodes to pause: manage it with `sparkify serverless status|delete`</Text>
    </Box>
  );
}
