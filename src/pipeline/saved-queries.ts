// Saved queries as plain .sql files, friendly to git: the examples shipped in
// sql/queries and the user's own folder ($SPARKIFY_HOME/queries, or
// `queriesDir` in the config). A file may start with `-- title: ...`; without
// one its name is its title.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { UsageError, describeSystemError, isSystemError } from './errors.js';

export interface SavedQuery {
  file: string;
  title: string;
  /** The statement without its title line. */
  sql: string;
  /** Shipped with sparkify, or the user's own. */
  origin: 'example' | 'saved';
}

/** The user's folder of saved queries. */
export function savedQueriesDir(home: string, configured?: string): string {
  return configured && configured.trim() !== '' ? resolve(home, configured) : join(home, 'queries');
}

/** The .sql files of a folder, sorted by name; a folder that does not exist holds none. */
export async function loadQueries(dir: string | undefined, origin: SavedQuery['origin']): Promise<SavedQuery[]> {
  if (!dir) return [];
  let files: string[];
  try {
    files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return Promise.all(
    files.map(async (file) => {
      const text = (await readFile(join(dir, file), 'utf8')).replace(/\r\n?/g, '\n');
      const title = /^--\s*title:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? file.replace(/\.sql$/, '');
      const sql = text.replace(/^--\s*title:.*\n?/m, '').trim();
      return { file, title, sql, origin };
    }),
  );
}

/** Letters, digits, `-`, `_` and `.` inside: a file name on every system, never a path. */
const QUERY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** The file a query name saves to; refuses names that are paths or not plain file names. */
export function queryFile(dir: string, name: string): string {
  const bare = name.trim().replace(/\.sql$/i, '');
  if (!QUERY_NAME.test(bare) || bare.includes('..')) {
    throw new UsageError(`not a query name: ${name}`, 'name it with letters, digits, - and _ (as in top-songs); it is saved as NAME.sql in your queries folder');
  }
  const file = resolve(dir, `${bare}.sql`);
  const inside = relative(resolve(dir), file);
  if (inside.startsWith('..') || inside.includes(sep)) throw new UsageError(`not a query name: ${name}`, 'a name cannot lead out of the queries folder');
  return file;
}

/** Writes `sql` as NAME.sql in `dir`; an existing file is replaced only with `replace`. Returns the path. */
export async function saveQuery(dir: string, name: string, sql: string, options: { replace?: boolean } = {}): Promise<string> {
  const file = queryFile(dir, name);
  if (sql.trim() === '') throw new UsageError('nothing to save: the draft is empty', 'write the statement first, then \\save NAME on a line of its own');
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(file, `${sql.trim()}\n`, { flag: options.replace ? 'w' : 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`${file} exists already`, `\\save! ${name.trim()} replaces it`);
    }
    if (!isSystemError(error)) throw error;
    throw new UsageError(`cannot save ${file}: ${describeSystemError(error)}`, 'set queriesDir in the config to a folder you can write to');
  }
  return file;
}
