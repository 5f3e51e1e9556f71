// A fake S3 (REST XML) over the bucket-to-folder map: ListObjectsV2 (prefix,
// delimiter, MaxKeys, ContinuationToken, StartAfter), GetObject (with Range),
// HeadObject, PutObject and DeleteObjects (at most 1,000 keys, a checksum
// header required, Quiet mode, a key that is not there reported deleted), addressed path-style (/bucket/key, what the SDK
// sends to a custom endpoint with forcePathStyle, or to an IP address) or
// virtual-host style (Host: bucket.localhost:PORT). Signed and unsigned
// (anonymous) requests are both served, and each call is recorded with which
// it was. Faults for tests: 503 SlowDown, 500, a reset connection, a body cut
// short; queued for the next requests (of one operation or key) or at random
// shares with seeded dice. An operation can be held: its requests get no
// answer until the test lets them go.
import { randomUUID } from 'node:crypto';
import { dice } from './data-api-faults.js';
import { BadToken, BucketFolders, type ObjectInfo } from './s3-objects.js';
import type { FakeRequest, FakeResponse, FakeService } from './server.js';

export type S3FaultKind = 'slowdown' | 'error500' | 'reset' | 'truncate';

export interface S3QueuedFault {
  kind: S3FaultKind;
  /** Only this operation (GetObject, ListObjectsV2, ...). */
  op?: string;
  /** Only requests for this key. */
  key?: string;
  /** How many requests it hits (default 1). */
  count?: number;
}

export interface S3FakeOptions {
  /** Bucket name → local folder. */
  buckets?: Record<string, string>;
  /** Shares (0..1) of requests that meet each fault. */
  faults?: Partial<Record<S3FaultKind, number>>;
  seed?: number;
  /** Time added to every answer. */
  latencyMs?: number;
}

export interface S3Call {
  op: string;
  bucket?: string;
  key?: string;
  /** The request carried a SigV4 signature (false: anonymous). */
  signed: boolean;
  /** Where the bucket was named: the path (path-style) or the Host header (virtual-host style). */
  style: 'path' | 'virtual';
  fault?: S3FaultKind;
  range?: string;
  /** What a PutObject put, as text (the object may be gone by the time a test looks). */
  body?: string;
}

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function xmlUnescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function element(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`;
}

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where a request points: the bucket from the Host (virtual-host style) or the first path segment. */
export function addressOf(host: string, path: string): { bucket?: string; key: string; style: 'path' | 'virtual' } {
  const name = host.replace(/:\d+$/, '');
  const virtual = /^(.+)\.(localhost|127\.0\.0\.1|s3[.-][a-z0-9.-]*amazonaws\.com)$/i.exec(name);
  const segments = path.split('/').slice(1).map((s) => decodeURIComponent(s));
  if (virtual) return { bucket: virtual[1], key: segments.join('/'), style: 'virtual' };
  const [bucket, ...rest] = segments;
  return { bucket: bucket || undefined, key: rest.join('/'), style: 'path' };
}

export class S3Fake implements FakeService {
  readonly name = 's3';
  readonly seen: S3Call[] = [];
  private objects: BucketFolders;
  private queued: (S3QueuedFault & { count: number })[] = [];
  private rates: Partial<Record<S3FaultKind, number>>;
  private roll: () => number;
  private latencyMs: number;
  private readonly held = new Map<string, Promise<void>>();

  constructor(options: S3FakeOptions = {}) {
    this.objects = new BucketFolders(options.buckets ?? {});
    this.rates = options.faults ?? {};
    this.roll = dice(options.seed ?? 1);
    this.latencyMs = options.latencyMs ?? 0;
  }

  /** S3's requests: signed for service s3, or unsigned REST calls that no other fake claims. */
  handles(request: FakeRequest): boolean {
    if (request.signingService) return request.signingService === 's3';
    return !request.target && !request.form && !request.headers.authorization;
  }

  /** Faults for the next requests that match. */
  inject(...faults: S3QueuedFault[]): void {
    for (const fault of faults) this.queued.push({ ...fault, count: fault.count ?? 1 });
  }

  /** Requests of `op` wait, unanswered, until the returned function is called. */
  hold(op: string): () => void {
    let release!: () => void;
    this.held.set(op, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.held.delete(op);
      release();
    };
  }

  calls(op?: string): S3Call[] {
    return this.seen.filter((call) => !op || call.op === op);
  }

  control(path: string, body: unknown): unknown {
    if (path === '/calls') return this.seen;
    if (path === '/faults') {
      this.inject(...((body as S3QueuedFault[] | undefined) ?? []));
      return { queued: this.queued.length };
    }
    if (path === '/reset') {
      this.seen.length = 0;
      this.queued = [];
      return {};
    }
    return { error: `no control route ${path}` };
  }

  async handle(request: FakeRequest): Promise<FakeResponse> {
    const url = new URL(request.path, 'http://fake');
    const { bucket, key, style } = addressOf(String(request.headers.host ?? ''), url.pathname);
    const op = operationOf(request.method, key, url.searchParams);
    const call: S3Call = { op, bucket, key: key || undefined, signed: Boolean(request.headers.authorization), style };
    if (request.headers.range) call.range = String(request.headers.range);
    this.seen.push(call);
    await this.held.get(op);
    call.fault = this.faultFor(op, key);
    const delayMs = this.latencyMs || undefined;
    if (call.fault === 'reset') return { status: 500, body: '', drop: true, delayMs };
    if (call.fault === 'slowdown') return { ...errorResponse(new S3Error(503, 'SlowDown', 'Please reduce your request rate.')), delayMs };
    if (call.fault === 'error500') return { ...errorResponse(new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.')), delayMs };
    try {
      if (!bucket) throw new S3Error(400, 'InvalidRequest', 'this fake serves bucket operations only (no ListBuckets)');
      if (!this.objects.has(bucket)) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
      const response = await this.run(op, bucket, key, request, url.searchParams);
      if (call.fault === 'truncate' && typeof response.body !== 'string') response.truncateAt = Math.floor(response.body.length / 2);
      return { ...response, delayMs };
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      const response = errorResponse(error);
      // A HEAD answer has no body: the SDK knows the error by its status alone.
      return request.method === 'HEAD' ? { status: response.status, headers: { 'x-amz-request-id': requestId() }, body: '' } : { ...response, delayMs };
    }
  }

  private faultFor(op: string, key: string): S3FaultKind | undefined {
    const at = this.queued.findIndex((f) => (!f.op || f.op === op) && (!f.key || f.key === key) && (f.kind !== 'truncate' || op === 'GetObject'));
    if (at >= 0) {
      const fault = this.queued[at];
      if (--fault.count <= 0) this.queued.splice(at, 1);
      return fault.kind;
    }
    for (const [kind, share] of Object.entries(this.rates) as [S3FaultKind, number][]) {
      if (kind === 'truncate' && op !== 'GetObject') continue;
      if (share > 0 && this.roll() < share) return kind;
    }
    return undefined;
  }

  private async run(op: string, bucket: string, key: string, request: FakeRequest, query: URLSearchParams): Promise<FakeResponse> {
    switch (op) {
      case 'ListObjectsV2':
        return this.list(bucket, query);
      case 'GetObject':
      case 'HeadObject': {
        const found = op === 'GetObject' ? await this.objects.read(bucket, key) : await this.objects.head(bucket, key).then((info) => info && { info, bytes: undefined });
        if (!found) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
        return objectResponse(found.info, found.bytes, request.headers.range);
      }
      case 'PutObject': {
        if (!this.objects.pathOf(bucket, key)) throw new S3Error(400, 'InvalidArgument', `bad key ${key}`);
        const bytes = decodeChunked(request);
        const call = this.seen.findLast((c) => c.op === 'PutObject' && c.bucket === bucket && c.key === key);
        if (call) call.body = bytes.toString('utf8');
        const etag = await this.objects.write(bucket, key, bytes);
        return { status: 200, headers: { ETag: etag, 'x-amz-request-id': requestId() }, body: '' };
      }
      case 'DeleteObjects':
        return this.deleteObjects(bucket, request);
      default:
        throw new S3Error(501, 'NotImplemented', `the fake S3 does not implement ${op}`);
    }
  }

  /** POST /bucket?delete: S3 refuses a body without Content-MD5 or a checksum header, and more than 1,000 keys. */
  private async deleteObjects(bucket: string, request: FakeRequest): Promise<FakeResponse> {
    const checked = Object.keys(request.headers).some((name) => name === 'content-md5' || name.startsWith('x-amz-checksum-'));
    if (!checked) throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*');
    const body = decodeChunked(request).toString('utf8');
    const keys = [...body.matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((m) => xmlUnescape(m[1]));
    if (keys.length === 0 || keys.length > 1000) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(body);
    const results: string[] = [];
    for (const key of keys) {
      if (!this.objects.pathOf(bucket, key)) {
        results.push(`<Error>${element('Key', key)}${element('Code', 'InvalidArgument')}${element('Message', 'Invalid key')}</Error>`);
        continue;
      }
      await this.objects.remove(bucket, key);
      if (!quiet) results.push(`<Deleted>${element('Key', key)}</Deleted>`);
    }
    const xml = `${XML_HEADER}<DeleteResult xmlns="${NS}">${results.join('')}</DeleteResult>`;
    return { status: 200, headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId() }, body: xml };
  }

  private async list(bucket: string, query: URLSearchParams): Promise<FakeResponse> {
    const maxKeys = query.has('max-keys') ? Number(query.get('max-keys')) : 1000;
    if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new S3Error(400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range');
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') || undefined;
    const token = query.get('continuation-token') ?? undefined;
    const startAfter = query.get('start-after') ?? undefined;
    const urlEncoded = query.get('encoding-type') === 'url';
    const name = (text: string) => (urlEncoded ? encodeURIComponent(text).replace(/%2F/g, '/') : text);
    let page;
    try {
      page = await this.objects.list(bucket, { prefix, delimiter, maxKeys: Math.min(maxKeys, 1000), token, startAfter });
    } catch (error) {
      if (error instanceof BadToken) throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect');
      throw error;
    }
    const contents = page.contents.map(
      (o) =>
        `<Contents>${element('Key', name(o.key))}${element('LastModified', o.lastModified.toISOString())}${element('ETag', o.etag)}${element('Size', o.size)}${element('StorageClass', 'STANDARD')}</Contents>`,
    );
    const prefixes = page.commonPrefixes.map((p) => `<CommonPrefixes>${element('Prefix', name(p))}</CommonPrefixes>`);
    const body =
      `${XML_HEADER}<ListBucketResult xmlns="${NS}">` +
      element('Name', bucket) +
      element('Prefix', name(prefix)) +
      element('Delimiter', delimiter && name(delimiter)) +
      element('MaxKeys', maxKeys) +
      element('KeyCount', page.contents.length + page.commonPrefixes.length) +
      element('IsTruncated', page.next !== undefined) +
      element('ContinuationToken', token) +
      element('NextContinuationToken', page.next) +
      element('StartAfter', startAfter && name(startAfter)) +
      element('EncodingType', urlEncoded ? 'url' : undefined) +
      contents.join('') +
      prefixes.join('') +
      '</ListBucketResult>';
    return { status: 200, headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId() }, body };
  }
}

function operationOf(method: string, key: string, query: URLSearchParams): string {
  if (method === 'GET' && !key) return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
  if (method === 'GET') return 'GetObject';
  if (method === 'HEAD') return key ? 'HeadObject' : 'HeadBucket';
  if (method === 'PUT' && key) return 'PutObject';
  if (method === 'POST' && !key && query.has('delete')) return 'DeleteObjects';
  return `${method} ${key ? 'object' : 'bucket'}`;
}

function requestId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
}

function errorResponse(error: S3Error): FakeResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId() },
    body: `${XML_HEADER}<Error>${element('Code', error.code)}${element('Message', error.message)}${element('RequestId', requestId())}</Error>`,
  };
}

/** GetObject and HeadObject: the whole object, or the one range asked for (206), as S3 answers. */
function objectResponse(info: ObjectInfo, bytes: Buffer | undefined, range: string | undefined): FakeResponse {
  const headers: Record<string, string> = {
    ETag: info.etag,
    'Last-Modified': info.lastModified.toUTCString(),
    'Accept-Ranges': 'bytes',
    'Content-Type': info.key.endsWith('.json') ? 'application/json' : 'application/octet-stream',
    'x-amz-request-id': requestId(),
  };
  const span = range ? parseRange(range, info.size) : undefined;
  if (!span) return { status: 200, headers: { ...headers, 'Content-Length': String(info.size) }, body: bytes ?? '' };
  const [start, end] = span;
  headers['Content-Range'] = `bytes ${start}-${end}/${info.size}`;
  headers['Content-Length'] = String(end - start + 1);
  return { status: 206, headers, body: bytes ? bytes.subarray(start, end + 1) : '' };
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; a range past the end is 416 InvalidRange. */
function parseRange(range: string, size: number): [number, number] | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || end < start) throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable');
  return [start, end];
}

/** A body sent with `Content-Encoding: aws-chunked` (a streaming upload) is its chunks' data put together. */
function decodeChunked(request: FakeRequest): Buffer {
  if (!String(request.headers['content-encoding'] ?? '').includes('aws-chunked')) return request.rawBody;
  const raw = request.rawBody;
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    const size = parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0], 16);
    if (!(size > 0)) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
