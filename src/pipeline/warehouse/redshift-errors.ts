// Maps what the AWS SDK throws to the error a person can act on: missing or
// stale credentials, a missing region, an unknown cluster, or a plain AWS
// failure with the service's own words.
import { AwsError, ConfigError, CredentialsError, NetworkError, type SparkifyError } from '../errors.js';

const EXPIRED_OR_INVALID = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'RequestExpired',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'TokenRefreshRequired',
  'InvalidAccessKeyId',
]);

/** Errors worth another try after the SDK's own retries gave up. */
const TRANSIENT = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

export function isTransientAwsError(error: unknown): boolean {
  const e = error as SdkErrorShape;
  if (!e || typeof e !== 'object') return false;
  if (e.name && TRANSIENT.has(e.name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

export function toSparkifyError(error: unknown, action: string, where: string): SparkifyError {
  const e = error as SdkErrorShape;
  const name = e?.name ?? '';
  const message = e?.message ?? String(error);
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    const detail = /from any providers/i.test(message) ? '' : `: ${message}`;
    return new CredentialsError(
      `no AWS credentials found${detail}`,
      'sign in with `aws configure` or `aws sso login`, or pass --profile NAME (sparkify reads the standard AWS credential chain)',
      error,
    );
  }
  if (EXPIRED_OR_INVALID.has(name) || /security token .* (expired|invalid)/i.test(message)) {
    return new CredentialsError(
      `the AWS credentials were refused as expired or invalid: ${message}`,
      'refresh them (`aws sso login`, or new keys for your profile) and run again',
      error,
    );
  }
  if (/region is missing/i.test(message)) {
    return new ConfigError('no AWS region is set', 'pass --region (or set AWS_REGION, or a region in your AWS profile)', error);
  }
  if (name === 'AccessDeniedException') {
    return new AwsError(
      `AWS refused to ${action}: ${message}`,
      'your AWS identity needs the redshift-data:* actions (and redshift:GetClusterCredentials for --db-user)',
      error,
    );
  }
  if (name === 'ValidationException' && /session .*(expired|does not exist)/i.test(message)) {
    return new AwsError(
      `the Redshift session on ${where} has ended (it was idle past its keep-alive), so its SET, temporary tables and open transaction are gone`,
      'run the statement again: a new session starts with it',
      error,
    );
  }
  if (name === 'ResourceNotFoundException') {
    return new AwsError(`${where} was not found while trying to ${action}: ${message}`, 'check the cluster or workgroup name and the region', error);
  }
  if (e?.code && NETWORK_CODES.has(e.code)) {
    return new NetworkError(
      `cannot reach the Redshift Data API to ${action} on ${where}: ${message}`,
      'check the network connection, the region, and AWS_ENDPOINT_URL if it is set',
      error,
    );
  }
  const prefix = name && name !== 'Error' ? `${name}: ` : '';
  if (isTransientAwsError(error)) {
    return new NetworkError(
      `the Redshift Data API kept failing to ${action} on ${where}, retries used up: ${prefix}${message}`,
      'wait a minute and run again; if it goes on, check the AWS Health Dashboard for the region',
      error,
    );
  }
  return new AwsError(`the Redshift Data API could not ${action} on ${where}: ${prefix}${message}`, undefined, error);
}

/**
 * A limit that did not clear while sparkify waited: the cluster's (or
 * workgroup's) active statements, or the Data API's open sessions.
 */
export function limitError(error: unknown, action: string, where: string, waitedMs: number): SparkifyError {
  const waited = `${Math.round(waitedMs / 1000)} s`;
  if ((error as SdkErrorShape)?.name === 'ActiveSessionsExceededException') {
    return new AwsError(
      `${where} has as many Data API sessions open as it allows, and none closed in the ${waited} sparkify waited to ${action}`,
      'close other SQL prompts on this warehouse, or wait for idle sessions to expire, then try again',
      error,
    );
  }
  return new AwsError(
    `${where} is running as many statements as the Data API allows at once, and none finished in the ${waited} sparkify waited to ${action}`,
    'wait for the other work on it to finish (or cancel it), then run again; `--concurrency 1` runs fewer at once',
    error,
  );
}
