// The fake S3's objects: each bucket is a folder on this machine, each object
// a file under it (the key is its path with `/`). Keys list in UTF-8 byte
// order as S3 lists them; an object's ETag is the MD5 of its bytes in quotes,
// as S3 gives for a single-part upload, kept while the file's size and mtime
// stay the same so a listing of thousands of objects hashes each file once.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

export interface ObjectInfo {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

export interface ListPage {
  contents: ObjectInfo[];
  commonPrefixes: string[];
  /** Where the next page starts, when there is one. */
  next?: string;
}

export interface ListRequest {
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  /** A continuation token from the page before. */
  token?: string;
  startAfter?: string;
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

export class BadToken extends Error {}

export class BucketFolders {
  private readonly hashes = new Map<string, { size: number; mtimeMs: number; etag: string }>();
  private readonly folders: Record<string, string>;

  constructor(buckets: Record<string, string>) {
    this.folders = Object.fromEntries(Object.entries(buckets).map(([name, dir]) => [name, resolve(dir)]));
  }

  has(bucket: string): boolean {
    return this.folders[bucket] !== undefined;
  }

  /** The file of an object; undefined for a key that climbs out of its bucket. */
  pathOf(bucket: string, key: string): string | undefined {
    const root = this.folders[bucket];
    const path = resolve(root, key);
    return key && path.startsWith(root + sep) ? path : undefined;
  }

  /** An object's size, ETag and time, or undefined if there is no such object. */
  async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    const path = this.pathOf(bucket, key);
    const info = path ? await stat(path).catch(() => undefined) : undefined;
    if (!path || !info?.isFile()) return undefined;
    return { key, size: info.size, lastModified: info.mtime, etag: await this.etag(path, info.size, info.mtimeMs) };
  }

  async read(bucket: string, key: string): Promise<{ info: ObjectInfo; bytes: Buffer } | undefined> {
    const info = await this.head(bucket, key);
    return info && { info, bytes: await readFile(this.pathOf(bucket, key)!) };
  }

  /** Removes an object; one that is not there is no error (S3 reports it deleted). */
  async remove(bucket: string, key: string): Promise<void> {
    const path = this.pathOf(bucket, key);
    if (!path) throw new Error(`bad key ${key}`);
    await rm(path, { force: true });
    this.hashes.delete(path);
  }

  /** Writes an object whole: to a temporary name, then renamed, so a reader never sees half of it. */
  async write(bucket: string, key: string, bytes: Buffer): Promise<string> {
    const path = this.pathOf(bucket, key);
    if (!path) throw new Error(`bad key ${key}`);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${Date.now()}.part`;
    await writeFile(temporary, bytes);
    await rename(temporary, path);
    const etag = md5(bytes);
    const info = await stat(path);
    this.hashes.set(path, { size: info.size, mtimeMs: info.mtimeMs, etag });
    return etag;
  }

  async list(bucket: string, request: ListRequest): Promise<ListPage> {
    const keys = await this.keys(bucket);
    let after = request.startAfter ?? '';
    let skipPrefix: string | undefined;
    if (request.token !== undefined) {
      try {
        ({ after, skipPrefix } = JSON.parse(Buffer.from(request.token, 'base64').toString('utf8')) as { after: string; skipPrefix?: string });
      } catch {
        throw new BadToken();
      }
      if (typeof after !== 'string') throw new BadToken();
    }
    const page: ListPage = { contents: [], commonPrefixes: [] };
    const found: string[] = [];
    // The token resumes after the last entry: past its whole group for a common prefix.
    let resume: { after: string; skipPrefix?: string } | undefined;
    for (const key of keys) {
      if (!key.startsWith(request.prefix) || byteOrder(key, after) <= 0 || (skipPrefix && key.startsWith(skipPrefix))) continue;
      if (found.length + page.commonPrefixes.length === request.maxKeys) {
        page.next = Buffer.from(JSON.stringify(resume)).toString('base64');
        break;
      }
      const rest = key.slice(request.prefix.length);
      const cut = request.delimiter ? rest.indexOf(request.delimiter) : -1;
      if (cut >= 0) {
        const common = request.prefix + rest.slice(0, cut + request.delimiter!.length);
        page.commonPrefixes.push(common);
        skipPrefix = common;
        resume = { after: common, skipPrefix: common };
      } else {
        found.push(key);
        resume = { after: key };
      }
    }
    page.contents = await Promise.all(found.map(async (key) => (await this.head(bucket, key))!));
    return page;
  }

  /** Every key of a bucket, in S3's order (temporary upload files left out). */
  private async keys(bucket: string): Promise<string[]> {
    const root = this.folders[bucket];
    const keys: string[] = [];
    const walk = async (dir: string, prefix: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const path = join(dir, entry.name);
        const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isDirectory());
        if (isDir) await walk(path, `${prefix}${entry.name}/`);
        else if (!entry.name.endsWith('.part')) keys.push(prefix + entry.name);
      }
    };
    await walk(root, '');
    return keys.sort(byteOrder);
  }

  private async etag(path: string, size: number, mtimeMs: number): Promise<string> {
    const known = this.hashes.get(path);
    if (known && known.size === size && known.mtimeMs === mtimeMs) return known.etag;
    const etag = md5(await readFile(path));
    this.hashes.set(path, { size, mtimeMs, etag });
    return etag;
  }
}

export function md5(bytes: Buffer): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}
