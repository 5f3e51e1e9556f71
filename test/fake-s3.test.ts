// The fake S3 speaks the service's REST protocol: checked with the real
// @aws-sdk/client-s3 over HTTP on loopback, path-style, virtual-host style and
// unsigned, with faults injected.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3ServiceException, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { startS3, type S3Harness } from './fakes/aws/s3-harness.js';

let harness: S3Harness;
let root: string;
let client: S3Client;

const OBJECTS: Record<string, string> = {
  'song_data/A/A/A/TRAAAAK.json': '{"song_id":"SOA"}',
  'song_data/A/A/B/TRAAABD.json': '{"song_id":"SOB"}',
  'song_data/A/B/C/TRABCEI.json': '{"song_id":"SOC"}',
  'song_data/B/A/A/TRBAAAA.json': '{"song_id":"SOD"}',
  'log_data/2018/11/2018-11-01-events.json': '{"ts":1}\n{"ts":2}\n',
  'log_data/2018/11/2018-11-02-events.json': '{"ts":3}\n',
  'log_json_path.json': '{"jsonpaths":[]}',
  'odd name/ü+ä.json': '{}',
};

const md5 = (text: string | Buffer) => `"${createHash('md5').update(text).digest('hex')}"`;

async function listAll(request: { Prefix?: string; Delimiter?: string; MaxKeys?: number }, via = client) {
  const pages: ListObjectsV2CommandOutput[] = [];
  let token: string | undefined;
  do {
    const page = await via.send(new ListObjectsV2Command({ Bucket: 'udacity-dend', ...request, ContinuationToken: token }));
    pages.push(page);
    token = page.NextContinuationToken;
    expect(page.IsTruncated).toBe(token !== undefined);
  } while (token);
  return {
    pages,
    keys: pages.flatMap((p) => (p.Contents ?? []).map((o) => o.Key!)),
    prefixes: pages.flatMap((p) => (p.CommonPrefixes ?? []).map((o) => o.Prefix!)),
  };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sparkify-fake-s3-'));
  for (const [key, content] of Object.entries(OBJECTS)) {
    mkdirSync(join(root, key, '..'), { recursive: true });
    writeFileSync(join(root, key), content);
  }
  harness = await startS3({ buckets: { 'udacity-dend': root } });
  client = harness.client();
});

afterAll(() => harness?.close());

describe('ListObjectsV2', () => {
  it('lists a prefix in key order with sizes and ETags (the MD5 of the bytes)', async () => {
    const page = await client.send(new ListObjectsV2Command({ Bucket: 'udacity-dend', Prefix: 'song_data/' }));
    expect(page.Contents!.map((o) => o.Key)).toEqual(Object.keys(OBJECTS).filter((k) => k.startsWith('song_data/')).sort());
    expect(page.KeyCount).toBe(4);
    expect(page.IsTruncated).toBe(false);
    for (const object of page.Contents!) {
      expect(object.ETag).toBe(md5(OBJECTS[object.Key!]));
      expect(object.Size).toBe(Buffer.byteLength(OBJECTS[object.Key!]));
      expect(object.LastModified).toBeInstanceOf(Date);
    }
  });

  it('pages with MaxKeys and ContinuationToken, each key once', async () => {
    const { pages, keys } = await listAll({ MaxKeys: 3 });
    expect(pages.map((p) => p.KeyCount)).toEqual([3, 3, 2]);
    expect(keys).toEqual(Object.keys(OBJECTS).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  });

  it('groups keys under a delimiter into common prefixes, and pages over them', async () => {
    const top = await listAll({ Delimiter: '/' });
    expect(top.keys).toEqual(['log_json_path.json']);
    expect(top.prefixes).toEqual(['log_data/', 'odd name/', 'song_data/']);
    const nested = await listAll({ Prefix: 'song_data/A/', Delimiter: '/', MaxKeys: 1 });
    expect(nested.prefixes).toEqual(['song_data/A/A/', 'song_data/A/B/']);
    expect(nested.pages).toHaveLength(2);
  });

  it('refuses a continuation token it did not give', async () => {
    const error = await client.send(new ListObjectsV2Command({ Bucket: 'udacity-dend', ContinuationToken: 'not-a-token' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3ServiceException);
    expect((error as S3ServiceException).name).toBe('InvalidArgument');
  });

  it('says NoSuchBucket for a bucket it does not map', async () => {
    const error = await client.send(new ListObjectsV2Command({ Bucket: 'not-mapped' })).catch((e: unknown) => e);
    expect((error as S3ServiceException).name).toBe('NoSuchBucket');
    expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(404);
  });
});

describe('objects', () => {
  const key = 'log_data/2018/11/2018-11-01-events.json';

  it('gets an object whole, or a range of it (206)', async () => {
    const whole = await client.send(new GetObjectCommand({ Bucket: 'udacity-dend', Key: key }));
    expect(await whole.Body!.transformToString()).toBe(OBJECTS[key]);
    expect(whole.ETag).toBe(md5(OBJECTS[key]));
    expect(whole.ContentLength).toBe(OBJECTS[key].length);
    const part = await client.send(new GetObjectCommand({ Bucket: 'udacity-dend', Key: key, Range: 'bytes=2-5' }));
    expect(part.$metadata.httpStatusCode).toBe(206);
    expect(await part.Body!.transformToString()).toBe(OBJECTS[key].slice(2, 6));
    expect(part.ContentRange).toBe(`bytes 2-5/${OBJECTS[key].length}`);
    const tail = await client.send(new GetObjectCommand({ Bucket: 'udacity-dend', Key: key, Range: 'bytes=-3' }));
    expect(await tail.Body!.transformToString()).toBe(OBJECTS[key].slice(-3));
    const past = await client.send(new GetObjectCommand({ Bucket: 'udacity-dend', Key: key, Range: 'bytes=999-' })).catch((e: unknown) => e);
    expect((past as S3ServiceException).name).toBe('InvalidRange');
  });

  it('heads an object, and says NoSuchKey / NotFound for one that is not there', async () => {
    const head = await client.send(new HeadObjectCommand({ Bucket: 'udacity-dend', Key: 'odd name/ü+ä.json' }));
    expect(head.ContentLength).toBe(2);
    expect(head.ETag).toBe(md5('{}'));
    const missingGet = await client.send(new GetObjectCommand({ Bucket: 'udacity-dend', Key: 'nope.json' })).catch((e: unknown) => e);
    expect((missingGet as S3ServiceException).name).toBe('NoSuchKey');
    const missingHead = await client.send(new HeadObjectCommand({ Bucket: 'udacity-dend', Key: 'nope.json' })).catch((e: unknown) => e);
    expect((missingHead as S3ServiceException).$metadata.httpStatusCode).toBe(404);
  });

  it('puts an object into the bucket folder and lists it with its MD5 ETag', async () => {
    const bytes = Buffer.from([0, 255, 1, 254, 10, 13]);
    const put = await client.send(new PutObjectCommand({ Bucket: 'udacity-dend', Key: 'manifests/run-1/events.manifest', Body: bytes }));
    expect(put.ETag).toBe(md5(bytes));
    expect(readFileSync(join(root, 'manifests/run-1/events.manifest'))).toEqual(bytes);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'udacity-dend', Prefix: 'manifests/' }));
    expect(listed.Contents!.map((o) => [o.Key, o.ETag])).toEqual([['manifests/run-1/events.manifest', md5(bytes)]]);
    const refused = await client.send(new PutObjectCommand({ Bucket: 'udacity-dend', Key: '../outside.json', Body: 'x' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(S3ServiceException);
  });
});

describe('addressing and signing', () => {
  it('serves virtual-host style requests (bucket in the Host header)', async () => {
    const virtual = harness.virtualHostClient();
    const before = harness.fake.seen.length;
    const page = await virtual.send(new ListObjectsV2Command({ Bucket: 'udacity-dend', Prefix: 'log_data/' }));
    expect(page.Contents!.map((o) => o.Key)).toEqual(['log_data/2018/11/2018-11-01-events.json', 'log_data/2018/11/2018-11-02-events.json']);
    const object = await virtual.send(new GetObjectCommand({ Bucket: 'udacity-dend', Key: 'log_json_path.json' }));
    expect(await object.Body!.transformToString()).toBe(OBJECTS['log_json_path.json']);
    expect(harness.fake.seen.slice(before).map((c) => [c.op, c.bucket, c.key, c.style])).toEqual([
      ['ListObjectsV2', 'udacity-dend', undefined, 'virtual'],
      ['GetObject', 'udacity-dend', 'log_json_path.json', 'virtual'],
    ]);
    expect(harness.fake.seen.slice(0, before).every((c) => c.style === 'path')).toBe(true);
  });

  it('serves unsigned requests and records them as anonymous', async () => {
    const anonymous = harness.anonymousClient();
    const object = await anonymous.send(new GetObjectCommand({ Bucket: 'udacity-dend', Key: 'log_json_path.json' }));
    expect(await object.Body!.transformToString()).toBe(OBJECTS['log_json_path.json']);
    expect(harness.fake.seen.at(-1)).toMatchObject({ op: 'GetObject', signed: false });
    await client.send(new HeadObjectCommand({ Bucket: 'udacity-dend', Key: 'log_json_path.json' }));
    expect(harness.fake.seen.at(-1)).toMatchObject({ op: 'HeadObject', signed: true });
  });
});

describe('faults', () => {
  const key = 'song_data/A/A/A/TRAAAAK.json';

  it('answers 503 SlowDown, which the SDK retries as throttling', async () => {
    harness.fake.inject({ kind: 'slowdown', op: 'GetObject', key });
    const once = await client.send(new GetObjectCommand({ Bucket: 'udacity-dend', Key: key })).catch((e: unknown) => e);
    expect((once as S3ServiceException).name).toBe('SlowDown');
    expect((once as S3ServiceException).$metadata.httpStatusCode).toBe(503);
    harness.fake.inject({ kind: 'slowdown', op: 'GetObject', key, count: 2 });
    const retrying = harness.client({ maxAttempts: 3 });
    const object = await retrying.send(new GetObjectCommand({ Bucket: 'udacity-dend', Key: key }));
    expect(await object.Body!.transformToString()).toBe(OBJECTS[key]);
    expect(harness.fake.calls('GetObject').slice(-3).map((c) => c.fault)).toEqual(['slowdown', 'slowdown', undefined]);
  });

  it('resets the connection, which the SDK retries', async () => {
    harness.fake.inject({ kind: 'reset', op: 'ListObjectsV2' });
    const page = await harness.client({ maxAttempts: 2 }).send(new ListObjectsV2Command({ Bucket: 'udacity-dend', Prefix: 'log_data/' }));
    expect(page.KeyCount).toBe(2);
    expect(harness.fake.calls('ListObjectsV2').slice(-2).map((c) => c.fault)).toEqual(['reset', undefined]);
  });

  it('cuts a body short: the stream fails instead of giving half an object', async () => {
    harness.fake.inject({ kind: 'truncate', key: 'log_data/2018/11/2018-11-01-events.json' });
    const object = await client.send(new GetObjectCommand({ Bucket: 'udacity-dend', Key: 'log_data/2018/11/2018-11-01-events.json' }));
    expect(object.ContentLength).toBe(OBJECTS['log_data/2018/11/2018-11-01-events.json'].length);
    await expect(object.Body!.transformToString()).rejects.toThrow();
  });

  it('takes faults over HTTP on its control route', async () => {
    const response = await fetch(`${harness.url}/_fake/s3/faults`, { method: 'POST', body: JSON.stringify([{ kind: 'error500', op: 'HeadObject' }]) });
    expect(await response.json()).toEqual({ queued: 1 });
    const error = await client.send(new HeadObjectCommand({ Bucket: 'udacity-dend', Key: key })).catch((e: unknown) => e);
    expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(500);
  });
});
