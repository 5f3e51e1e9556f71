// AWS clients for provisioning, loaded on first use so other commands never pay
// for them, and the translation of AWS errors into errors a person can act
// on. Credentials come only from the standard chain (env, profile, SSO, ...).
import type { RedshiftClient } from '@aws-sdk/client-redshift';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import type { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { AwsError, CancelledError, CredentialsError, NetworkError, SparkifyError } from '../errors.js';

export interface AwsScope {
  region: string;
  /** Profile from the AWS config files; absent = the default chain (AWS_PROFILE, env keys, ...). */
  profile?: string;
}

export interface AwsClients {
  redshift(): Promise<RedshiftClient>;
  iam(): Promise<IAMClient>;
  sts(): Promise<STSClient>;
  serverless(): Promise<RedshiftServerlessClient>;
}

const cache = new Map<string, Promise<unknown>>();

function cached<T>(key: string, create: () => Promise<T>): Promise<T> {
  let client = cache.get(key) as Promise<T> | undefined;
  if (!client) {
    client = create();
    cache.set(key, client);
  }
  return client;
}

export function awsClients(scope: AwsScope): AwsClients {
  const config = { region: scope.region, ...(scope.profile ? { profile: scope.profile } : {}) };
  const key = `${scope.region}|${scope.profile ?? ''}`;
  return {
    redshift: () => cached(`redshift|${key}`, async () => new (await import('@aws-sdk/client-redshift')).RedshiftClient(config)),
    iam: () => cached(`iam|${key}`, async () => new (await import('@aws-sdk/client-iam')).IAMClient(config)),
    sts: () => cached(`sts|${key}`, async () => new (await import('@aws-sdk/client-sts')).STSClient(config)),
    serverless: () =>
      cached(`serverless|${key}`, async () => new (await import('@aws-sdk/client-redshift-serverless')).RedshiftServerlessClient(config)),
  };
}

/** The error code AWS sent, without the SDK's `Fault`/`Exception` suffix (`ClusterNotFoundFault` → `ClusterNotFound`). */
export function awsErrorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { Code, name } = error as { Code?: unknown; name?: unknown };
  const raw = typeof Code === 'string' ? Code : typeof name === 'string' ? name : undefined;
  return raw?.replace(/(Fault|Exception)$/, '');
}

export function profileLabel(scope: AwsScope): string {
  return scope.profile ?? process.env.AWS_PROFILE ?? 'default';
}

const CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'UnrecognizedClient',
  'InvalidSignature',
  'MissingAuthenticationToken',
  'IncompleteSignature',
]);
const ACCESS_CODES = new Set(['AccessDenied', 'UnauthorizedOperation', 'Unauthorized']);
const QUOTA_CODES = new Set([
  'ClusterQuotaExceeded',
  'NumberOfNodesQuotaExceeded',
  'NumberOfNodesPerClusterLimitExceeded',
  'ServiceQuotaExceeded',
  'LimitExceeded',
]);
const THROTTLE_CODES = new Set(['Throttling', 'TooManyRequests', 'RequestLimitExceeded']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * Turns an AWS SDK error into a SparkifyError that names what failed and what
 * to do. `action` is the IAM action of the call (`redshift:CreateCluster`).
 */
export function translateAwsError(error: unknown, action: string, scope: AwsScope, details: { nodeType?: string } = {}): SparkifyError {
  if (error instanceof SparkifyError) return error;
  if (error instanceof Error && error.name === 'AbortError') return new CancelledError();
  const code = awsErrorCode(error) ?? 'Unknown';
  const message = error instanceof Error ? error.message : String(error);
  const profile = profileLabel(scope);
  const where = `profile "${profile}", region ${scope.region}`;

  if (code === 'CredentialsProviderError' || code === 'ProviderError' || /could not load credentials|could not be found or parsed/i.test(message)) {
    const named = scope.profile ?? process.env.AWS_PROFILE;
    if (named) {
      return new CredentialsError(
        `AWS profile "${named}" gave no usable credentials (region ${scope.region})`,
        `check that the profile exists in ~/.aws/config or ~/.aws/credentials, or sign in with \`aws sso login --profile ${named}\`; or pick another with --profile`,
        error,
      );
    }
    return new CredentialsError(
      `no AWS credentials found (${where})`,
      'configure credentials the usual AWS way (aws configure, aws sso login, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), or pick a profile with --profile',
      error,
    );
  }
  if (CREDENTIAL_CODES.has(code)) {
    return new CredentialsError(
      `AWS rejected the credentials (${where}): ${message}`,
      'refresh them (aws sso login, or new keys) or choose another profile with --profile',
      error,
    );
  }
  if (ACCESS_CODES.has(code)) {
    const permission = /not authorized to perform:?\s+([\w-]+:[\w*]+)/i.exec(message)?.[1] ?? action;
    return new AwsError(
      `access denied: your AWS identity (${where}) lacks the permission ${permission}`,
      `ask your AWS administrator to allow ${permission}, then run the same command again (whatever already exists is reused)`,
      error,
    );
  }
  if (code === 'InsufficientClusterCapacity' || code === 'InsufficientCapacity') {
    return new AwsError(
      `AWS has no spare capacity for ${details.nodeType ?? 'this node type'} in ${scope.region} right now`,
      'try again in a while, or choose another node type (--node-type ra3.large) or region (--region)',
      error,
    );
  }
  if (QUOTA_CODES.has(code)) {
    return new AwsError(
      `an AWS quota stops this in ${scope.region}: ${message}`,
      'delete clusters you no longer use (sparkify cluster status) or ask for a higher quota in the Service Quotas console',
      error,
    );
  }
  if (code === 'UnsupportedOperation' || (code === 'InvalidParameterValue' && /node type/i.test(message))) {
    return new AwsError(
      `${details.nodeType ?? 'this node type'} is not available in ${scope.region}: ${message}`,
      'choose another node type (--node-type ra3.large or dc2.large) or region (--region)',
      error,
    );
  }
  if (THROTTLE_CODES.has(code)) {
    return new NetworkError(`AWS kept throttling ${action} requests (${scope.region}), retries used up`, 'wait a minute and run the command again', error);
  }
  const networkCode = (error as { code?: string } | undefined)?.code;
  if (networkCode && NETWORK_CODES.has(networkCode)) {
    return new NetworkError(
      `cannot reach AWS for ${action} (${scope.region}): ${message}`,
      'check the network, the region, and AWS_ENDPOINT_URL if you set one',
      error,
    );
  }
  if (((error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode ?? 0) >= 500) {
    return new NetworkError(`${action} kept failing on AWS's side (${where}), retries used up: ${code}: ${message}`, 'wait a minute and run the command again', error);
  }
  return new AwsError(`${action} failed (${where}): ${code}: ${message}`, undefined, error);
}

/** Runs one AWS call; any failure comes back translated. */
export async function awsCall<T>(action: string, scope: AwsScope, call: () => Promise<T>, details: { nodeType?: string } = {}): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateAwsError(error, action, scope, details);
  }
}
