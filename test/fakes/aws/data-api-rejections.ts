// What the fake Data API refuses, worded as the service words it: requests
// that do not say where a statement runs, statements too large or empty,
// waits out of range, clusters that do not exist or are not available, a
// cluster's limit on active statements, and a COPY whose IAM role is not
// associated with the cluster.
import { stripLeadingComments } from '../../../src/pipeline/sql/tokenizer.js';
import { SessionError } from './data-api-sessions.js';

/** A cluster as the Data API sees it: its status and the IAM roles associated with it. */
export interface ClusterView {
  status: string;
  iamRoles: string[];
  /** Databases it holds besides the fake's own list: the one it was created with. */
  databases?: string[];
}

/** The clusters there are; undefined for one that does not exist. */
export type ClusterDirectory = (identifier: string) => ClusterView | undefined;

/** A directory as given: the control plane's, or available clusters by identifier (none when nothing is given). */
export function directoryOf(clusters: ClusterDirectory | Record<string, Partial<ClusterView>> | undefined): ClusterDirectory {
  if (typeof clusters === 'function') return clusters;
  const fixed = new Map(Object.entries(clusters ?? {}).map(([id, view]) => [id, { status: view.status ?? 'available', iamRoles: view.iamRoles ?? [] }]));
  return (identifier) => fixed.get(identifier);
}

const MAX_SQL_BYTES = 100 * 1024;

export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export class ValidationError extends ServiceError {
  constructor(message: string) {
    super('ValidationException', message);
  }
}

/** Any failure while handling a request, as the error the service answers with. */
export function asServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof SessionError) return new ServiceError(error.type, error.message);
  return new ServiceError('InternalServerException', String((error as Error).message), 500);
}

export function requireString(input: Record<string, unknown>, key: string): string {
  const value = input[key];
  if (typeof value !== 'string' || value === '') throw new ValidationError(`${key} is required`);
  return value;
}

/** WaitTimeSeconds, checked as the service checks it (0 to 30). */
export function waitSeconds(input: Record<string, unknown>): number | undefined {
  const value = input.WaitTimeSeconds;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 30) {
    throw new ValidationError('WaitTimeSeconds must be an integer between 0 and 30');
  }
  return value;
}

/** The service's own checks on how a statement authenticates. */
export function validateScope(input: Record<string, unknown>): Record<string, string | undefined> {
  const text = (key: string) => (typeof input[key] === 'string' && input[key] !== '' ? input[key] : undefined);
  const cluster = text('ClusterIdentifier');
  const workgroup = text('WorkgroupName');
  const secret = text('SecretArn');
  const dbUser = text('DbUser');
  const database = text('Database');
  if (cluster && workgroup) throw new ValidationError('Specify either ClusterIdentifier or WorkgroupName, not both');
  if (!cluster && !workgroup && !secret) throw new ValidationError('Either ClusterIdentifier, WorkgroupName or SecretArn is required');
  if (cluster && !secret && !dbUser) throw new ValidationError('DbUser is required when authenticating with temporary credentials');
  if (!secret && !database) throw new ValidationError('Database is required');
  return {
    ...(cluster ? { ClusterIdentifier: cluster } : {}),
    ...(workgroup ? { WorkgroupName: workgroup } : {}),
    ...(database ? { Database: database } : {}),
    ...(dbUser ? { DbUser: dbUser } : {}),
    ...(secret ? { SecretArn: secret } : {}),
  };
}

/** Statements the service refuses before running them: too large, or empty. */
export function checkSqls(sqls: string[]): void {
  for (const sql of sqls) {
    if (Buffer.byteLength(sql) > MAX_SQL_BYTES) throw new ValidationError('the SQL statement exceeds 100 KB');
    if (sql.trim() === '') throw new ValidationError('the SQL statement is empty');
  }
}

/** A cluster takes statements only while it has fewer than its limit active (SUBMITTED, PICKED, STARTED). */
export function checkActiveStatements(active: number, limit: number): void {
  if (active >= limit) {
    throw new ServiceError('ActiveStatementsExceededException', `Active statements exceeded the allowed quota (${limit})`);
  }
}

/** Only a cluster that exists and is available takes statements. */
export function checkCluster(directory: ClusterDirectory, identifier: string): void {
  const cluster = directory(identifier);
  if (!cluster) throw new ValidationError("Redshift endpoint doesn't exist in this region.");
  if (cluster.status !== 'available') {
    throw new ValidationError(`Cluster ${identifier} is not available to run statements: its status is ${cluster.status}.`);
  }
}

/** A COPY names an IAM role the cluster must have associated, as Redshift checks it (the statement then FAILS). */
export function checkCopyRole(directory: ClusterDirectory, scope: Record<string, string | undefined>, sql: string): void {
  const identifier = scope.ClusterIdentifier;
  const role = /\biam_role\s+'([^']*)'|aws_iam_role=([^;']*)/i.exec(sql);
  if (!identifier || !role || !/^\s*copy\b/i.test(stripLeadingComments(sql))) return;
  const arn = role[1] ?? role[2];
  if (arn.toLowerCase() === 'default' || directory(identifier)?.iamRoles.includes(arn)) return;
  const user = scope.DbUser ?? 'awsuser';
  throw new Error(`ERROR: User arn:aws:redshift:us-west-2:123456789012:dbuser:${identifier}/${user} is not authorized to assume IAM Role ${arn}`);
}
