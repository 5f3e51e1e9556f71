// S3 for sources and manifests: one client, loaded only when a source is on
// S3. Credentials come from the standard chain; when the chain has none the
// requests go unsigned, as the AWS CLI's --no-sign-request, so a public bucket
// (the course's udacity-dend) reads with no account. The endpoint is the
// SDK's own setting (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL), addressed
// path-style when one is set, as S3-compatible stores and the fake expect.
import type { S3Client } from '@aws-sdk/client-s3';
import { AwsError, CancelledError, type SparkifyError } from '../errors.js';
import { translateAwsError, awsErrorCode, type AwsScope } from '../provision/aws.js';

export interface S3Object {
  key: string;
  size: number;
  /** As S3 gives it, in quotes. */
  etag: string;
  /** When the object was last written, where the listing says. */
  lastModified?: Date;
}

export interface S3Body {
  body: AsyncIterable<Uint8Array>;
  size: number;
  etag: string;
}

export interface S3Access {
  /** Every object under the prefix (keys that end in `/` are folders, left out), in key order. */
  list(bucket: string, prefix: string, signal?: AbortSignal): Promise<S3Object[]>;
  get(bucket: string, key: string, signal?: AbortSignal): Promise<S3Body>;
  put(bucket: string, key: string, body: string, signal?: AbortSignal): Promise<void>;
  /** Deletes the objects (DeleteObjects, 1,000 keys a request); a key S3 could not delete is an AwsError naming it. */
  remove(bucket: string, keys: string[], signal?: AbortSignal): Promise<void>;
  /** Whether the requests went unsigned (no credentials in the chain). */
  readonly anonymous: boolean;
  close(): void;
}

export interface S3Options {
  /** Region of the bucket (default us-west-2, the course bucket's). */
  region?: string;
  profile?: string;
  /** Requests at once (the client keeps this many connections). */
  connections?: number;
}

function endpointFromEnv(): string | undefined {
  return process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || undefined;
}

function isNoCredentials(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code === 'CredentialsProviderError' || /could not load credentials/i.test(String((error as Error)?.message));
}

/** An S3 failure in words: the bucket or key named, and what to do. */
export function s3Error(error: unknown, action: string, uri: string, scope: AwsScope, anonymous: boolean): SparkifyError {
  if ((error as Error)?.name === 'AbortError') return new CancelledError();
  const code = awsErrorCode(error);
  if (code === 'NoSuchBucket') return new AwsError(`there is no S3 bucket for ${uri}`, 'check the bucket name in the source (--song-data, --log-data or `sparkify setup`)', error);
  if (code === 'NoSuchKey') return new AwsError(`${uri} is not on S3`, 'check the key in the source, then run again', error);
  if (anonymous && (code === 'AccessDenied' || code === 'Forbidden' || (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 403)) {
    return new AwsError(
      `S3 refused an unsigned request for ${uri}: the bucket is not public, and no AWS credentials were found`,
      'configure credentials that can read it the usual AWS way (aws configure, aws sso login, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)',
      error,
    );
  }
  return translateAwsError(error, `${action} on ${uri}`, scope);
}

export async function openS3(options: S3Options = {}): Promise<S3Access> {
  const sdk = await import('@aws-sdk/client-s3');
  const scope: AwsScope = { region: options.region ?? 'us-west-2', profile: options.profile };
  const endpoint = endpointFromEnv();
  const connections = options.connections ?? 50;
  let anonymous = false;
  const make = (unsigned: boolean): S3Client =>
    new sdk.S3Client({
      region: scope.region,
      ...(scope.profile ? { profile: scope.profile } : {}),
      ...(endpoint ? { forcePathStyle: true } : {}),
      maxAttempts: 5,
      requestHandler: { httpAgent: { maxSockets: connections, keepAlive: true }, httpsAgent: { maxSockets: connections, keepAlive: true } },
      ...(unsigned ? { signer: { sign: (request) => Promise.resolve(request) }, credentials: { accessKeyId: '', secretAccessKey: '' } } : {}),
    });
  let client = make(false);

  async function send<T>(call: (c: S3Client) => Promise<T>, action: string, uri: string): Promise<T> {
    try {
      return await call(client);
    } catch (error) {
      if (!anonymous && isNoCredentials(error)) {
        anonymous = true;
        client.destroy();
        client = make(true);
        return send(call, action, uri);
      }
      throw s3Error(error, action, uri, scope, anonymous);
    }
  }

  return {
    get anonymous() {
      return anonymous;
    },
    async list(bucket, prefix, signal) {
      const objects: S3Object[] = [];
      let token: string | undefined;
      do {
        const page = await send((c) => c.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal: signal }), 'ListObjectsV2', `s3://${bucket}/${prefix}`);
        for (const object of page.Contents ?? []) {
          if (object.Key && !object.Key.endsWith('/')) objects.push({ key: object.Key, size: object.Size ?? 0, etag: object.ETag ?? '', lastModified: object.LastModified });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return objects;
    },
    async get(bucket, key, signal) {
      const uri = `s3://${bucket}/${key}`;
      const object = await send((c) => c.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal }), 'GetObject', uri);
      if (!object.Body) throw new AwsError(`S3 sent no body for ${uri}`, 'run again');
      return { body: object.Body as AsyncIterable<Uint8Array>, size: object.ContentLength ?? -1, etag: object.ETag ?? '' };
    },
    async put(bucket, key, body, signal) {
      await send((c) => c.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }), { abortSignal: signal }), 'PutObject', `s3://${bucket}/${key}`);
    },
    async remove(bucket, keys, signal) {
      // Quiet: S3 answers with the keys it could not delete only. A key that is not there counts as deleted.
      for (let i = 0; i < keys.length; i += 1000) {
        const chunk = keys.slice(i, i + 1000);
        const uri = `s3://${bucket}/${chunk[0]}`;
        const answer = await send(
          (c) => c.send(new sdk.DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }), { abortSignal: signal }),
          'DeleteObjects',
          uri,
        );
        const [first] = answer.Errors ?? [];
        if (first) {
          const more = answer.Errors!.length > 1 ? ` (and ${answer.Errors!.length - 1} more)` : '';
          throw new AwsError(`S3 did not delete s3://${bucket}/${first.Key}${more}: ${first.Code ?? 'error'}${first.Message ? ` (${first.Message})` : ''}`, 'delete it by hand (aws s3 rm), or let your credentials s3:DeleteObject under the prefix');
        }
      }
    },
    close: () => client.destroy(),
  };
}
