// Compressed COPY inputs. DuckDB's readers take gzip and zstd files
// themselves; bzip2 they do not, so such files are streamed through a bzip2
// decoder into a private temporary folder first (never held whole in memory).
// The scan that names bad rows reads gzip and bzip2 files through a decoder.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import unbzip2 from 'unbzip2-stream';
import type { CopyCompression } from '../sql/copy.js';

/** DuckDB's name for a compression it reads itself, or undefined when it reads none (plain files are detected by ending). */
export function duckDbCompression(compression: CopyCompression | undefined): string | undefined {
  return compression === 'gzip' || compression === 'zstd' ? compression : undefined;
}

/** A file's bytes, decompressed as the COPY says (or by the file's ending when it says nothing). */
export function openInput(file: string, compression: CopyCompression | undefined): Readable {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const kind = compression ?? (file.endsWith('.gz') ? 'gzip' : file.endsWith('.bz2') ? 'bzip2' : undefined);
  if (kind === 'gzip') return raw.pipe(createGunzip());
  if (kind === 'bzip2') return raw.pipe(unbzip2());
  return raw;
}

/** A folder for decompressed copies of bzip2 files, removed by `dispose`. */
export class Bzip2Staging {
  private dir: string | undefined;
  private count = 0;
  /** Decompressed copy → original file, for messages. */
  readonly originals = new Map<string, string>();

  async decompress(file: string): Promise<string> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'sparkify-bzip2-'));
    const out = join(this.dir, `${++this.count}-${basename(file).replace(/\.bz2$/, '')}`);
    await pipeline(createReadStream(file), unbzip2(), createWriteStream(out, { mode: 0o600 }));
    this.originals.set(out, file);
    return out;
  }

  async dispose(): Promise<void> {
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
