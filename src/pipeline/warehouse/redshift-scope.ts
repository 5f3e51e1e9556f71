// Where and as whom a Data API statement runs: the connection settings, and
// the identity fields every statement call carries, checked as the service
// checks them but worded as what to pass.
import { ConfigError } from '../errors.js';
import type { ResultFormat } from './redshift-results.js';

/** Where and as whom to reach Redshift: the saved settings less the COPY role. */
export interface RedshiftConnectionSettings {
  region?: string;
  profile?: string;
  clusterIdentifier?: string;
  workgroupName?: string;
  database?: string;
  dbUser?: string;
  secretArn?: string;
}

export interface RedshiftConnection extends RedshiftConnectionSettings {
  /** Data API endpoint URL; AWS_ENDPOINT_URL(_REDSHIFT_DATA) also work. */
  endpoint?: string;
  /** How long one call waits for a statement to finish (WaitTimeSeconds, 1 to 30; default 30). */
  waitSeconds?: number;
  /** How query results travel (default: the faster one measured, see redshift-results.ts). */
  resultFormat?: ResultFormat;
  /** How long a statement waits out the cluster's limits on active statements and sessions (default 120 s). */
  limitWaitSeconds?: number;
  /** The schemas a session's unqualified names are looked up in (SET search_path when it opens); Redshift's default when unset. */
  searchPath?: readonly string[];
}

/** The identity fields every Data API statement call carries. */
export interface StatementScope {
  ClusterIdentifier?: string;
  WorkgroupName?: string;
  Database: string;
  DbUser?: string;
  SecretArn?: string;
}

/**
 * Checks the authentication combination and names what is missing:
 * ClusterIdentifier + Database + DbUser (temporary credentials), SecretArn with
 * ClusterIdentifier or WorkgroupName, or WorkgroupName alone (Serverless, IAM).
 */
export function statementScope(connection: RedshiftConnection): StatementScope {
  const { clusterIdentifier, workgroupName, database, dbUser, secretArn } = connection;
  if (clusterIdentifier && workgroupName) {
    throw new ConfigError(
      'both a cluster (--cluster-id) and a Serverless workgroup (--workgroup) are set',
      'name one of them: a provisioned cluster or a Serverless workgroup',
    );
  }
  if (!clusterIdentifier && !workgroupName) {
    throw new ConfigError(
      'no Redshift cluster or workgroup is set',
      'pass --cluster-id ID (provisioned) or --workgroup NAME (Serverless), or save one with `sparkify setup`',
    );
  }
  if (!database) {
    throw new ConfigError('no Redshift database is set', 'pass --database NAME (a new cluster has `dev`)');
  }
  if (dbUser && secretArn) {
    throw new ConfigError(
      'both --db-user and --secret-arn are set',
      'use --db-user for temporary credentials or --secret-arn for a Secrets Manager secret, not both',
    );
  }
  if (clusterIdentifier && !dbUser && !secretArn) {
    throw new ConfigError(
      `cluster ${clusterIdentifier} needs a database user or a secret`,
      'pass --db-user NAME (temporary credentials) or --secret-arn ARN (Secrets Manager)',
    );
  }
  if (workgroupName && dbUser) {
    throw new ConfigError(
      'a Serverless workgroup takes no --db-user',
      'drop --db-user: the workgroup maps your AWS identity to a database user (or pass --secret-arn)',
    );
  }
  return {
    ...(clusterIdentifier ? { ClusterIdentifier: clusterIdentifier } : { WorkgroupName: workgroupName }),
    Database: database,
    ...(dbUser ? { DbUser: dbUser } : {}),
    ...(secretArn ? { SecretArn: secretArn } : {}),
  };
}

