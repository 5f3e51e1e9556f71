// How much a warehouse stores, for the storage part of its cost (Redshift
// Managed Storage bills per GB-month on RA3 and Serverless). DescribeClusters
// gives capacity, not use; svv_table_info gives each table's size in 1 MB
// blocks (empty tables are left out, as they hold none), through the Data API,
// so only a running warehouse answers and the user must be allowed to read the
// view (superusers, or a GRANT SELECT).
import type { Warehouse } from '../warehouse/types.js';

export const STORAGE_SQL = 'select coalesce(sum(size), 0) from svv_table_info';

/** Megabytes the warehouse's tables take, from svv_table_info. */
export async function storedMegabytes(warehouse: Pick<Warehouse, 'query'>, signal?: AbortSignal): Promise<number> {
  const result = await warehouse.query(STORAGE_SQL, { signal });
  let row: unknown[] | undefined;
  for await (const page of result.pages()) row ??= page[0];
  return Number(row?.[0] ?? 0);
}

/**
 * The megabytes an available RA3 cluster stores, read through a warehouse
 * `open` gives; undefined for any other cluster (DC2 storage is part of the
 * node price; a paused or changing cluster answers no SQL).
 */
export async function clusterStoredMegabytes(
  cluster: { status: string; nodeType?: string },
  open: () => Promise<Pick<Warehouse, 'query' | 'close'>>,
  signal?: AbortSignal,
): Promise<number | undefined> {
  if (cluster.status !== 'available' || !cluster.nodeType?.startsWith('ra3')) return undefined;
  const warehouse = await open();
  try {
    return await storedMegabytes(warehouse, signal);
  } finally {
    await warehouse.close();
  }
}
