// A new warehouse as the wizard and `sparkify serverless create` offer it:
// a Serverless workgroup at the minimum base capacity under the daily cap
// that create sets, priced from the one price table, and whether it is the
// cheaper start for a learner than a cluster that bills every hour it is up.
import { CLUSTER_DEFAULTS, SERVERLESS_DEFAULTS } from './defaults.js';
import { type PriceTable, estimateCost, formatPrice, formatUsd } from './cost.js';
import { type UsageLimitRequest, describeUsageLimit, periodNoun } from './serverless.js';

const PERIOD_HOURS: Record<UsageLimitRequest['period'], number> = { daily: 24, weekly: 24 * 7, monthly: 24 * 30 };

/** The cap `serverless create` sets unless told otherwise. */
export const DEFAULT_USAGE_LIMIT: UsageLimitRequest = {
  rpuHours: SERVERLESS_DEFAULTS.usageLimitRpuHours,
  period: SERVERLESS_DEFAULTS.usagePeriod,
  breachAction: SERVERLESS_DEFAULTS.breachAction,
};

/**
 * `8 RPU-hours per day, then … (at most $3.00 per day)`. Only `deactivate`
 * stops the spending at the cap; past a `log` or `emit-metric` cap queries go
 * on, so the figure is what the cap's hours cost, not a ceiling.
 */
export function usageLimitLine(limit: UsageLimitRequest, prices: PriceTable): string {
  const cost = `${formatUsd(limit.rpuHours * prices.serverlessRpuHour)} per ${periodNoun(limit.period)}`;
  return `${describeUsageLimit(limit)} (${limit.breachAction === 'deactivate' ? `at most ${cost}` : `${cost} at the cap, more past it`})`;
}

export interface ServerlessOffer {
  baseCapacity: number;
  usageLimit: UsageLimitRequest;
  /** `4 RPU at $0.375/RPU-hour: $1.50 per query-hour, idle is free · capped at 8 RPU-hours per day ($3.00)` */
  summary: string;
  /** Serverless under its cap costs a learner less than the default cluster left up for the same period. */
  cheaperThanCluster: boolean;
}

export function serverlessOffer(prices: PriceTable, region: string, limit: UsageLimitRequest = DEFAULT_USAGE_LIMIT): ServerlessOffer {
  const baseCapacity = SERVERLESS_DEFAULTS.baseCapacity;
  const perHour = estimateCost({ kind: 'serverless', baseCapacity, region, status: 'available' }, prices, new Date()).perHour ?? 0;
  const capCost = limit.rpuHours * prices.serverlessRpuHour;
  const nodePrice = prices.nodeHour[CLUSTER_DEFAULTS.nodeType];
  const clusterCost = nodePrice === undefined ? undefined : nodePrice * CLUSTER_DEFAULTS.nodes * PERIOD_HOURS[limit.period];
  return {
    baseCapacity,
    usageLimit: limit,
    summary: `${baseCapacity} RPU at ${formatPrice(prices.serverlessRpuHour)}/RPU-hour: ${formatUsd(perHour)} per query-hour, idle is free · capped at ${limit.rpuHours} RPU-hours per ${periodNoun(limit.period)} (${formatUsd(capCost)})`,
    cheaperThanCluster: clusterCost === undefined || capCost < clusterCost,
  };
}

/** `1 ra3.large at $0.543/node-hour: $13.03 per day while up` */
export function clusterOfferSummary(prices: PriceTable): string {
  const nodePrice = prices.nodeHour[CLUSTER_DEFAULTS.nodeType];
  if (nodePrice === undefined) return `${CLUSTER_DEFAULTS.nodes} × ${CLUSTER_DEFAULTS.nodeType}, price unknown`;
  return `${CLUSTER_DEFAULTS.nodes} ${CLUSTER_DEFAULTS.nodeType} at ${formatPrice(nodePrice)}/node-hour: ${formatUsd(nodePrice * CLUSTER_DEFAULTS.nodes * 24)} per day while up`;
}
