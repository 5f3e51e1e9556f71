// How long a cluster has run nothing: the newest statement the Data API lists
// for it (ListStatements keeps a day of them), or its creation when it lists
// none. The cost guard offers a pause past a threshold.
import { relationNames } from '../sql/relations.js';
import { type AwsScope, awsCall } from './aws.js';
import type { ClusterSnapshot } from './cluster.js';

export interface Idleness {
  /** When the cluster last ran a statement, or was created if none is listed. */
  since: Date;
  minutes: number;
  /** True when the Data API listed a statement on it. */
  fromStatement: boolean;
}

/** Schemas sparkify reads and writes for itself: its ledger and the catalogs behind completion and `\\d`. */
const OWN_SCHEMAS = /^(sparkify|information_schema|pg_catalog)(\.|$)|^(pg_|svv_|sys_|stl_|stv_|svl_)/;

/**
 * A statement that names nothing but sparkify's own schemas (the home screen reading the last run
 * from the ledger, the SQL prompt reading the catalog, `SET search_path`, `select 1`) is sparkify's
 * bookkeeping, not work a person would keep the cluster running for.
 */
function isBookkeeping(sqls: string[]): boolean {
  return sqls.every((sql) => relationNames(sql).every((name) => OWN_SCHEMAS.test(name)));
}

/** Idle time of an available cluster; undefined when it is not running (nothing to guard). */
export async function clusterIdleness(scope: AwsScope, cluster: ClusterSnapshot, now = new Date(), signal?: AbortSignal): Promise<Idleness | undefined> {
  if (cluster.status !== 'available') return undefined;
  const { RedshiftDataClient, ListStatementsCommand } = await import('@aws-sdk/client-redshift-data');
  const client = new RedshiftDataClient({ region: scope.region, ...(scope.profile ? { profile: scope.profile } : {}), maxAttempts: 2 });
  try {
    const listed = await awsCall('redshift-data:ListStatements', scope, () =>
      client.send(new ListStatementsCommand({ ClusterIdentifier: cluster.identifier, MaxResults: 100, Status: 'ALL' }), { abortSignal: signal }),
    );
    const work = (listed.Statements ?? []).filter((s) => !isBookkeeping(s.QueryString ? [s.QueryString] : (s.QueryStrings ?? [])));
    const newest = Math.max(...work.map((s) => (s.UpdatedAt ?? s.CreatedAt)?.getTime() ?? 0), 0);
    const created = cluster.createdAt?.getTime() ?? now.getTime();
    const since = new Date(Math.max(newest, created));
    return { since, minutes: Math.max(0, (now.getTime() - since.getTime()) / 60_000), fromStatement: newest >= created };
  } finally {
    client.destroy();
  }
}
