// Copies of input files without the rows that are no record at all (a line
// that is not JSON), for a COPY with MAXERROR: Redshift counts such a row as
// one error and loads the rest, while DuckDB's lenient JSON read stops at it.
// Each copy streams line by line into a private folder that `dispose` removes.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { LineRange } from './copy-load.js';
import { readLines } from './json-values.js';

export class UnreadableRowRemoval {
  private dir: string | undefined;
  private count = 0;
  /** Copy → the file it was made from, for messages and the ledger. */
  readonly originals = new Map<string, string>();

  constructor(
    /** The file's text (decompressed as the COPY reads it). */
    private readonly open: (file: string) => Readable,
    /** The copy is gzip-compressed, for a reader told the input is (COPY ... GZIP). */
    private readonly gzip: boolean,
    /** The longest line kept; the scan reported longer ones as rows of their own. */
    private readonly maxLineBytes: number,
  ) {}

  /** A copy of `file` without the lines of `ranges` (in file order). */
  async without(file: string, ranges: readonly LineRange[]): Promise<string> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'sparkify-rows-'));
    const out = join(this.dir, `${++this.count}-${basename(file).replace(/\.(bz2|gz|zst)$/, '')}${this.gzip ? '.gz' : ''}`);
    const lines = readLines(this.open(file), this.maxLineBytes);
    async function* kept(): AsyncGenerator<Buffer> {
      let next = 0;
      for await (const { line, bytes } of lines) {
        while (next < ranges.length && ranges[next][1] < line) next++;
        if (bytes === undefined || (next < ranges.length && ranges[next][0] <= line)) continue;
        yield Buffer.concat([bytes, Buffer.from('\n')]);
      }
    }
    const target = createWriteStream(out, { mode: 0o600 });
    if (this.gzip) await pipeline(Readable.from(kept()), createGzip(), target);
    else await pipeline(Readable.from(kept()), target);
    this.originals.set(out, file);
    return out;
  }

  async dispose(): Promise<void> {
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
