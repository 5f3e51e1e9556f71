// The SQL prompt's history, kept across sessions in $SPARKIFY_HOME/history.
// One JSON string per line, so multi-line statements survive a round trip.
// Secrets (passwords, access keys, COPY credentials, connection strings) are
// redacted on the tokens (sql/redact.ts) before an entry is written: the
// history file must never hold one.
import { readFileSync } from 'node:fs';
import { appendFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { keepPrivate } from './config.js';
import { redactSecrets } from './sql/redact.js';

export const HISTORY_FILE = 'history';
const DEFAULT_MAX_ENTRIES = 1000;
export function historyPath(home: string): string {
  return join(home, HISTORY_FILE);
}

export class SqlHistory {
  private readonly list: string[];
  /** Lines in the file, which grows by appends until it is compacted. */
  private fileLines: number;

  private constructor(
    private readonly path: string,
    entries: string[],
    fileLines: number,
    private readonly maxEntries: number,
  ) {
    this.list = entries;
    this.fileLines = fileLines;
  }

  /**
   * Reads the history file; a missing file is an empty history, unreadable
   * lines are skipped. Synchronous, so the prompt has its history from the
   * first key pressed (the file holds at most twice `maxEntries` lines).
   */
  static load(home: string, options: { maxEntries?: number } = {}): SqlHistory {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    const path = historyPath(home);
    keepPrivate(home);
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    const entries = lines.map(parseLine).filter((entry): entry is string => entry !== undefined);
    return new SqlHistory(path, entries.slice(-maxEntries), lines.length, maxEntries);
  }

  /** Oldest first. */
  get entries(): readonly string[] {
    return this.list;
  }

  /**
   * Redacts and appends a statement. Blank statements and a repeat of the last
   * entry are not kept. The file is rewritten, trimmed, once it holds twice the
   * maximum.
   */
  async add(sql: string): Promise<void> {
    const entry = redactSecrets(sql.trim());
    if (entry === '' || this.list.at(-1) === entry) return;
    this.list.push(entry);
    if (this.list.length > this.maxEntries) this.list.splice(0, this.list.length - this.maxEntries);
    await mkdir(join(this.path, '..'), { recursive: true, mode: 0o700 });
    await appendFile(this.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    this.fileLines += 1;
    if (this.fileLines > 2 * this.maxEntries) await this.compact();
  }

  /**
   * Index of the newest entry before `before` that contains `text`
   * (case-insensitive), or -1.
   */
  search(text: string, before = this.list.length): number {
    return searchHistory(this.list, text, before);
  }

  private async compact(): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, this.list.map((entry) => `${JSON.stringify(entry)}\n`).join(''), { mode: 0o600 });
    await rename(temporary, this.path);
    this.fileLines = this.list.length;
  }
}

/** Index of the newest entry before `before` that contains `text` (case-insensitive), or -1. */
export function searchHistory(entries: readonly string[], text: string, before = entries.length): number {
  const needle = text.toLowerCase();
  for (let i = Math.min(before, entries.length) - 1; i >= 0; i -= 1) {
    if (entries[i].toLowerCase().includes(needle)) return i;
  }
  return -1;
}

function parseLine(line: string): string | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
