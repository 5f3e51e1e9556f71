// Compressed COPY inputs. DuckDB's readers take gzip and zstd files
// themselves; bzip2 they do not, so such files are streamed through a bzip2
// decoder into a private temporary folder first (never held whole in memory),
// and so are files of any compression whose invalid UTF-8 ACCEPTINVCHARS
// replaces. The scan that names bad rows reads gzip, bzip2 and zstd files
// through a decoder, so its line numbers are those of the decompressed text.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import unbzip2 from 'unbzip2-stream';
import type { CopyCompression } from '../sql/copy.js';

/** DuckDB's name for a compression it reads itself, or undefined when it reads none (plain files are detected by ending). */
export function duckDbCompression(compression: CopyCompression | undefined): string | undefined {
  return compression === 'gzip' || compression === 'zstd' ? compression : undefined;
}

/** A file's bytes, decompressed as the COPY says (or by the file's ending when it says nothing). */
export function openInput(file: string, compression: CopyCompression | undefined): Readable {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const kind = compression ?? (file.endsWith('.gz') ? 'gzip' : file.endsWith('.bz2') ? 'bzip2' : file.endsWith('.zst') ? 'zstd' : undefined);
  if (kind === 'gzip') return raw.pipe(createGunzip());
  if (kind === 'bzip2') return raw.pipe(unbzip2());
  if (kind === 'zstd') return raw.pipe(unzstd());
  return raw;
}

/** A streaming Zstandard decoder (Node 20's zlib has none). */
function unzstd(): Transform {
  const decoded: Buffer[] = [];
  const decoder = new Decompress((data) => decoded.push(Buffer.from(data)));
  const pushThrough = (stream: Transform, chunk: Uint8Array, final: boolean, done: (error?: Error) => void) => {
    try {
      decoder.push(chunk, final);
    } catch (error) {
      done(error as Error);
      return;
    }
    for (const piece of decoded.splice(0)) stream.push(piece);
    done();
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pushThrough(this, chunk, false, done);
    },
    flush(done) {
      pushThrough(this, new Uint8Array(0), true, done);
    },
  });
}

/** Replaces each invalid UTF-8 sequence with `replacement`, as ACCEPTINVCHARS does. */
function utf8Repair(replacement: string): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const repair = (text: string) => Buffer.from(text.replace(/\uFFFD/g, replacement));
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, repair(decoder.decode(chunk, { stream: true })));
    },
    flush(done) {
      done(null, repair(decoder.decode()));
    },
  });
}

/**
 * Copies of input files that DuckDB cannot read as they are (bzip2, or text
 * to repair for ACCEPTINVCHARS), streamed into a private folder that
 * `dispose` removes.
 */
export class InputStaging {
  private dir: string | undefined;
  private count = 0;
  /** Decompressed copy → original file, for messages. */
  readonly originals = new Map<string, string>();

  constructor(
    private readonly compression: CopyCompression | undefined,
    private readonly replacement: string | undefined,
  ) {}

  /** Needed for these COPY options: DuckDB reads gzip and zstd itself, but repairs no text. */
  static neededFor(compression: CopyCompression | undefined, acceptInvChars: string | undefined): boolean {
    return compression === 'bzip2' || acceptInvChars !== undefined;
  }

  async stage(file: string): Promise<string> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'sparkify-input-'));
    const out = join(this.dir, `${++this.count}-${basename(file).replace(/\.(bz2|gz|zst)$/, '')}`);
    const input = openInput(file, this.compression);
    if (this.replacement === undefined) await pipeline(input, createWriteStream(out, { mode: 0o600 }));
    else await pipeline(input, utf8Repair(this.replacement), createWriteStream(out, { mode: 0o600 }));
    this.originals.set(out, file);
    return out;
  }

  async dispose(): Promise<void> {
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
