// What a cluster costs: the price table (data, with its source and date) with
// the user's overrides from the config, and the estimate shown next to every
// cluster, because a forgotten cluster bills every hour it runs.
import table from './prices.json' with { type: 'json' };
import { billedTime, type PowerHistory } from './billing.js';

/** Config key under `prices` for the Serverless price per RPU-hour. */
export const SERVERLESS_PRICE_KEY = 'serverless-rpu';

export interface PriceTable {
  currency: string;
  source: string;
  asOf: string;
  /** USD per node-hour, by node type. */
  nodeHour: Record<string, number>;
  /** USD per RPU-hour (Serverless). */
  serverlessRpuHour: number;
  /** USD per GB-month of Redshift Managed Storage (RA3 and Serverless), billed paused or not. */
  rmsGbMonth: number;
  /** Serverless bills at least this many seconds (at base capacity) each time it starts. */
  serverlessMinimumChargeSeconds: number;
  /** Hours in the month a GB-month price is spread over. */
  hoursPerMonth: number;
  pricedRegions: string[];
  /** Keys the config overrides. */
  overridden: string[];
}

export function priceTable(overrides: Record<string, number> = {}): PriceTable {
  const nodeHour: Record<string, number> = { ...table.nodeHour };
  let serverlessRpuHour = table.serverlessRpuHour;
  for (const [key, value] of Object.entries(overrides)) {
    if (key === SERVERLESS_PRICE_KEY) serverlessRpuHour = value;
    else nodeHour[key] = value;
  }
  return {
    currency: table.currency,
    source: table.source,
    asOf: table.asOf,
    nodeHour,
    serverlessRpuHour,
    rmsGbMonth: table.rmsGbMonth,
    serverlessMinimumChargeSeconds: table.serverlessMinimumChargeSeconds,
    hoursPerMonth: table.hoursPerMonth,
    pricedRegions: table.pricedRegions,
    overridden: Object.keys(overrides),
  };
}

/** Megabytes of data the warehouse stores now (svv_table_info's 1 MB blocks), when they could be read. */
type Stored = { storageMb?: number };

export type CostSubject =
  | ({ kind: 'provisioned'; nodeType: string; nodes: number; region: string; status: string; createdAt?: Date; history?: PowerHistory } & Stored)
  | ({ kind: 'serverless'; baseCapacity: number; region: string; status: string; createdAt?: Date } & Stored);

/** Redshift Managed Storage: what the stored data costs a month, and (estimated) since creation. */
export interface StorageCost {
  gb: number;
  perMonth: number;
  /** Today's size held since creation: an estimate, as the size on earlier days is not read. */
  soFar: number;
}

export interface CostEstimate {
  currency: string;
  /** Provisioned: per hour while running. Serverless: per query-hour at base capacity. Undefined when the table has no price. */
  perHour?: number;
  /** Hours since creation. */
  hours: number;
  /** Provisioned: perHour × the hours it was up (paused hours bill storage only), plus storage. Serverless: undefined (billed per use). */
  soFar?: number;
  /** Whether storage bills apart, as Redshift Managed Storage (RA3, Serverless); DC2 storage is part of the node price. */
  managedStorage: boolean;
  /** That storage's cost, when its size was read. */
  storage?: StorageCost;
  /** Serverless: the least one start of the workgroup bills (the minimum seconds at base capacity). */
  minimumCharge?: number;
  /** Provisioned: hours spent paused since creation, from its event history (0 without one). */
  pausedHours?: number;
  /** Whether compute is billed right now (a paused or deleted cluster bills only storage, if anything). */
  billingNow: boolean;
  /** How the figure was reached, in words. */
  basis: string;
}

const NOT_BILLED = new Set(['paused', 'pausing', 'deleting', 'gone']);

export function estimateCost(subject: CostSubject, prices: PriceTable, now: Date): CostEstimate {
  const hours = subject.createdAt ? Math.max(0, now.getTime() - subject.createdAt.getTime()) / 3_600_000 : 0;
  const regionNote = prices.pricedRegions.includes(subject.region) ? '' : `; ${subject.region} costs more than the US prices used here`;
  if (subject.kind === 'serverless') {
    const perHour = subject.baseCapacity * prices.serverlessRpuHour;
    const minimum = prices.serverlessMinimumChargeSeconds;
    return {
      currency: prices.currency,
      perHour,
      hours,
      billingNow: false,
      managedStorage: true,
      storage: storageCost(subject.storageMb, hours, prices),
      minimumCharge: (perHour * minimum) / 3600,
      basis: `per query-hour at base capacity (${subject.baseCapacity} RPU × ${formatPrice(prices.serverlessRpuHour)}/RPU-hour), per second with a ${minimum}-second minimum each time it starts; idle time is not billed${regionNote}`,
    };
  }
  const nodePrice = prices.nodeHour[subject.nodeType];
  const billingNow = !NOT_BILLED.has(subject.status);
  if (nodePrice === undefined) {
    return {
      currency: prices.currency,
      hours,
      billingNow,
      managedStorage: subject.nodeType.startsWith('ra3'),
      basis: `no price for ${subject.nodeType}: add it to the config under prices (USD per node-hour)`,
    };
  }
  const perHour = nodePrice * subject.nodes;
  const billed = subject.createdAt ? billedTime(subject.createdAt, subject.status, subject.history, now) : { upHours: 0, pausedHours: 0 };
  // Partial hours bill in whole seconds; there is no minimum beyond that second.
  const upHours = Math.ceil(billed.upHours * 3600 - 1e-6) / 3600;
  const managed = subject.nodeType.startsWith('ra3');
  const storage = managed ? storageCost(subject.storageMb, hours, prices) : undefined;
  const rmsNote = managed ? ` (Redshift Managed Storage, ${formatPrice(prices.rmsGbMonth)}/GB-month)` : '';
  const counted = subject.history
    ? `so far counts the hours it was up, per second; paused hours bill storage only${rmsNote}`
    : 'so far counts every hour since creation (its pause history was not read), paused time included';
  return {
    currency: prices.currency,
    perHour,
    hours,
    soFar: perHour * Math.max(0, upHours) + (storage?.soFar ?? 0),
    pausedHours: billed.pausedHours,
    managedStorage: managed,
    storage,
    billingNow,
    basis: `${subject.nodes} × ${subject.nodeType} at ${formatPrice(nodePrice)}/node-hour (${prices.overridden.includes(subject.nodeType) ? 'your config' : `price table ${prices.asOf}`}); ${counted}${regionNote}`,
  };
}

function storageCost(storageMb: number | undefined, hours: number, prices: PriceTable): StorageCost | undefined {
  if (storageMb === undefined) return undefined;
  const gb = storageMb / 1024;
  const perMonth = gb * prices.rmsGbMonth;
  return { gb, perMonth, soFar: (perMonth * hours) / prices.hoursPerMonth };
}

/** The storage line of the cost text: what is estimated, and why it may be missing. */
function storageLine(cost: CostEstimate): string | undefined {
  if (cost.storage) {
    const { gb, perMonth, soFar } = cost.storage;
    const size = gb < 1 ? `${Math.round(gb * 1024)} MB` : `${gb.toFixed(1)} GB`;
    return `storage ${size} (svv_table_info) at the Redshift Managed Storage price: ${formatUsd(perMonth)}/month, about ${formatUsd(soFar)} so far (estimated: today's size held since creation)`;
  }
  if (cost.managedStorage) return 'storage not counted: its size is read from svv_table_info, which only an available cluster answers';
  return undefined;
}

export function formatUsd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/** A unit price: cents, and a third decimal where the price has one ($0.375 per RPU-hour). */
export function formatPrice(amount: number): string {
  const precise = amount.toFixed(3);
  return `$${precise.endsWith('0') ? amount.toFixed(2) : precise}`;
}

export function formatHours(hours: number): string {
  const minutes = Math.floor(hours * 60);
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
  return `${Math.floor(minutes / 1440)}d ${Math.floor((minutes % 1440) / 60)}h`;
}

/** The cost in words, as the cluster screen (short) and `cluster status` (lines) show it. */
export function describeCost(cost: CostEstimate | undefined): { short: string; lines: string[] } {
  if (!cost) return { short: 'cost unknown', lines: ['unknown'] };
  if (cost.perHour === undefined) return { short: 'cost unknown', lines: [cost.basis] };
  const soFar = cost.soFar === undefined ? undefined : formatUsd(cost.soFar);
  const rate = `${formatUsd(cost.perHour)}/hour`;
  const billing = cost.billingNow ? 'billing now' : 'not billing compute';
  const paused = cost.pausedHours ? `, not counting ${formatHours(cost.pausedHours)} paused` : '';
  const storage = storageLine(cost);
  const minimum = cost.minimumCharge === undefined ? [] : [`at least ${formatPrice(cost.minimumCharge)} each time it starts (the minimum charge)`];
  return {
    short: `${soFar ? `${soFar} so far` : 'cost unknown'} · ${rate} · ${billing}`,
    lines: [
      `${rate} while running${soFar ? `, about ${soFar} so far${paused}` : ''}${cost.billingNow ? '' : ' (not running now: compute is not billed, storage is)'}`,
      ...minimum,
      ...(storage ? [storage] : []),
      cost.basis,
    ],
  };
}
