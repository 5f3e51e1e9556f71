// psql's `\o FILE`: while it is on, every result and command tag also goes to
// a file, as `sparkify query` prints them. The file is the owner's alone
// (0600) and starts empty, as psql's does.
import { createWriteStream, type WriteStream } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { homedir } from 'node:os';
import { UsageError, describeSystemError, isSystemError } from './errors.js';
import { writeResult } from './format.js';
import type { QueryResult, Row } from './warehouse/types.js';

/** A path as typed at a prompt: `~/` is the home folder, anything relative is from the working folder. */
export function typedPath(text: string, cwd = process.cwd()): string {
  const path = text.trim();
  return path === '~' || path.startsWith('~/') ? resolve(homedir(), path.slice(2)) : resolve(cwd, path);
}

/** Pages handed from the reader of a result to the writer of the file as they are read. */
class PageQueue implements AsyncIterable<Row[]> {
  private pages: Row[][] = [];
  private ended = false;
  private wake: (() => void) | undefined;

  push(page: Row[]): void {
    this.pages.push(page);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Row[]> {
    for (;;) {
      const page = this.pages.shift();
      if (page) yield page;
      else if (this.ended) return;
      else await new Promise<void>((wake) => (this.wake = wake));
    }
  }
}

export class OutputFile {
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly out: WriteStream,
  ) {}

  static async open(path: string): Promise<OutputFile> {
    const out = createWriteStream(path, { flags: 'w', mode: 0o600, encoding: 'utf8' });
    try {
      await once(out, 'open');
      // An existing file keeps its mode on open: make it the owner's alone.
      await chmod(path, 0o600);
    } catch (error) {
      out.destroy();
      if (!isSystemError(error)) throw error;
      throw new UsageError(`cannot write to ${path}: ${describeSystemError(error)}`, 'give \\o a file in a folder you can write to');
    }
    return new OutputFile(path, out);
  }

  private async write(text: string): Promise<void> {
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  /** A line of its own (a command tag, `INSERT 0 5`). */
  line(text: string): Promise<void> {
    this.writing = this.writing.then(() => this.write(`${text}\n`));
    return this.writing as Promise<void>;
  }

  /**
   * The same result, writing each page to the file as it is read. The table
   * ends when the last page has been read or the result is closed; the caller
   * reads it to the end for the file to hold it whole.
   */
  tee(result: QueryResult): QueryResult {
    const queue = new PageQueue();
    const copy: QueryResult = { columns: result.columns, engineMs: result.engineMs, pages: () => queue, close: () => Promise.resolve() };
    const previous = this.writing;
    const written = previous.then(async () => {
      const rows = await writeResult(copy, { format: 'table', write: (text) => this.write(text) });
      await this.write(`(${rows} row${rows === 1 ? '' : 's'})\n\n`);
    });
    this.writing = written.catch(() => undefined);
    return {
      ...result,
      pages: async function* () {
        try {
          for await (const page of result.pages()) {
            queue.push(page);
            yield page;
          }
        } finally {
          queue.end();
        }
      },
      close: async () => {
        queue.end();
        await result.close();
      },
    };
  }

  /** Waits for what was handed over to be written, then closes the file. */
  async close(): Promise<void> {
    await this.writing;
    this.out.end();
    await once(this.out, 'finish');
  }
}
