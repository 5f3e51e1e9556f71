// The cost guard: leaving the app while a cluster sparkify created is
// available and has run nothing for a while, the person is asked whether to
// pause it, because a forgotten cluster bills every second it runs.
import { configExists, readConfig } from '../pipeline/config.js';
import { CancelledError } from '../pipeline/errors.js';
import { type ClusterRef, findCluster, pauseCluster } from '../pipeline/provision/cluster.js';
import { estimateCost, formatHours, formatUsd, priceTable } from '../pipeline/provision/cost.js';
import { IDLE_PAUSE_MINUTES } from '../pipeline/provision/defaults.js';
import { clusterIdleness } from '../pipeline/provision/idle.js';
import { askYesNo, out } from './aws-command.js';

/** How long the checks may take before the app just leaves. */
const CHECK_TIMEOUT_MS = 15_000;

export async function offerPauseOnQuit(): Promise<void> {
  if (!configExists()) return;
  const config = readConfig();
  if (config.cluster?.kind !== 'provisioned' || !process.stdin.isTTY) return;
  const ref: ClusterRef = { identifier: config.cluster.identifier.toLowerCase(), region: config.cluster.region, profile: config.redshift.profile };
  const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
  try {
    const cluster = await findCluster(ref, signal);
    const idle = await clusterIdleness(ref, cluster, new Date(), signal);
    if (!idle || idle.minutes < IDLE_PAUSE_MINUTES) return;
    const cost = cluster.nodeType
      ? estimateCost({ kind: 'provisioned', nodeType: cluster.nodeType, nodes: cluster.nodes ?? 1, region: ref.region, status: cluster.status }, priceTable(config.prices), new Date())
      : undefined;
    const rate = cost?.perHour !== undefined ? ` and bills about ${formatUsd(cost.perHour)}/hour` : '';
    const what = idle.fromStatement ? 'has run nothing' : 'has run nothing from sparkify since it was created';
    if (await askYesNo(`Cluster ${ref.identifier} is available${rate}; it ${what} for ${formatHours(idle.minutes / 60)}. Pause it?`, false)) {
      const result = await pauseCluster(ref);
      out(result.changed ? `Pausing ${ref.identifier}: compute billing stops once it is paused (storage is still billed).` : `Cluster ${ref.identifier} is already ${result.cluster.status}.`);
    } else {
      out(`Left running. Pause it when you are done: sparkify cluster pause`);
    }
  } catch (error) {
    // Leaving must not fail: a check that cannot be made is named, and the app ends as it would have.
    if (!(error instanceof CancelledError)) out(`Could not check whether cluster ${ref.identifier} is idle: ${(error as Error).message}`);
  }
}
