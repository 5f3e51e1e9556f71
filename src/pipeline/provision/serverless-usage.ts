// What a run cost on Redshift Serverless: the RPU-seconds the workgroup was
// charged while it ran, read from sys_serverless_usage through the Data API.
// The view holds one row a minute of use; charged_seconds already carries the
// minimum charge (60 s each time the workgroup starts), so it is the figure
// AWS bills, at the price per RPU-hour.
import type { Warehouse } from '../warehouse/types.js';
import { formatPrice, formatUsd, priceTable, type PriceTable } from './cost.js';

export interface ServerlessUsage {
  /** RPU-seconds charged (the minimum charge included). */
  chargedRpuSeconds: number;
  /** RPU-seconds of compute the queries used. */
  computeRpuSeconds: number;
}

/** SQL timestamp text for a Date, to the second (the view's own precision is a minute). */
function sqlTime(at: Date): string {
  return `'${at.toISOString().slice(0, 19).replace('T', ' ')}'`;
}

/** The workgroup's usage in the minutes that overlap [from, to]. */
export async function serverlessUsage(warehouse: Warehouse, from: Date, to: Date, signal?: AbortSignal): Promise<ServerlessUsage> {
  const minute = (at: Date, by: number) => new Date(Math.floor(at.getTime() / 60_000) * 60_000 + by);
  const result = await warehouse.query(
    `select coalesce(sum(charged_seconds), 0), coalesce(sum(compute_seconds), 0) from sys_serverless_usage
     where end_time > ${sqlTime(minute(from, 0))} and start_time < ${sqlTime(minute(to, 60_000))}`,
    { signal },
  );
  let row: unknown[] | undefined;
  for await (const page of result.pages()) row ??= page[0];
  return { chargedRpuSeconds: Number(row?.[0] ?? 0), computeRpuSeconds: Number(row?.[1] ?? 0) };
}

/** The usage in words, with its price: "1,260 RPU-seconds charged (0.35 RPU-hours, about $0.13 at $0.375/RPU-hour)". */
export function describeServerlessUsage(usage: ServerlessUsage, prices: PriceTable): string {
  const hours = usage.chargedRpuSeconds / 3600;
  const whole = (n: number) => Math.round(n).toLocaleString('en-US');
  const used =
    Math.round(usage.computeRpuSeconds) < Math.round(usage.chargedRpuSeconds) ? `; ${whole(usage.computeRpuSeconds)} of them running queries, the rest the minimum charge` : '';
  return `${whole(usage.chargedRpuSeconds)} RPU-seconds charged (${hours.toFixed(2)} RPU-hours, about ${formatUsd(hours * prices.serverlessRpuHour)} at ${formatPrice(prices.serverlessRpuHour)}/RPU-hour${used})`;
}

/** The line a run on a Serverless workgroup ends with (the CLI and the app alike); a failure to read the usage is said, not thrown. */
export async function serverlessRunLine(warehouse: Warehouse, started: Date, prices: Record<string, number> | undefined, signal?: AbortSignal): Promise<string> {
  try {
    const usage = await serverlessUsage(warehouse, started, new Date(), signal);
    return `serverless: ${describeServerlessUsage(usage, priceTable(prices))}`;
  } catch (error) {
    return `serverless: the run's RPU-seconds could not be read from sys_serverless_usage (${(error as Error).message})`;
  }
}

/** The start of the calendar month (UTC) that `at` is in: AWS bills by the calendar month in UTC. */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** The workgroup's RPU-hours this month, with their price; a failure to read them is said, not thrown. */
export async function serverlessMonthLine(warehouse: Warehouse, now: Date, prices: Record<string, number> | undefined, signal?: AbortSignal): Promise<string> {
  try {
    const usage = await serverlessUsage(warehouse, monthStart(now), now, signal);
    return `${describeServerlessUsage(usage, priceTable(prices))} this month`;
  } catch (error) {
    return `this month's RPU-hours could not be read from sys_serverless_usage (${(error as Error).message})`;
  }
}

/**
 * This month's line for a workgroup reached through `open`: the connection is
 * opened, read and closed here, so `serverless status` and the cluster screen
 * say the same, and a workgroup that cannot be reached is said, not thrown.
 */
export async function workgroupMonthLine(open: () => Promise<Warehouse>, now: Date, prices: Record<string, number> | undefined, signal?: AbortSignal): Promise<string> {
  try {
    const warehouse = await open();
    try {
      return await serverlessMonthLine(warehouse, now, prices, signal);
    } finally {
      await warehouse.close();
    }
  } catch (error) {
    return `this month's RPU-hours could not be read (${(error as Error).message})`;
  }
}
