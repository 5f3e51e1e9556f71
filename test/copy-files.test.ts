// The local COPY's files: links followed (loops not), names never patterns,
// many files in bounded batches as one load, jsonpaths files judged alike, and
// bad rows named by file and line on every JSON path, through real DuckDB.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempHome } from './helpers/cli.js';
import { rows } from './helpers/pipeline.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { copyJson, FILES_PER_BATCH, listSourceFiles, type LoadTarget } from '../src/pipeline/warehouse/json-load.js';
import { parseCopy } from '../src/pipeline/sql/copy.js';
import { LoadError } from '../src/pipeline/errors.js';
import { countContentLines } from '../src/pipeline/warehouse/json-values.js';
import { SHAPE_BYTES, shapeOf } from '../src/pipeline/warehouse/json-shape.js';
import { Readable } from 'node:stream';

const work = tempHome('sparkify-copy-files-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

let dirCount = 0;
/** A fresh folder holding `files` (path → content). */
function folder(files: Record<string, string | Buffer>): string {
  const dir = join(work, `case-${++dirCount}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

let warehouse: DuckDbWarehouse;
beforeEach(async () => {
  warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
  await warehouse.execute('CREATE TABLE t (id INTEGER, name VARCHAR(32), big BIGINT)');
});
afterEach(() => warehouse.close());

const count = async () => (await rows(warehouse, 'SELECT count(*) FROM t'))[0][0];
const copy = (source: string, options = "FORMAT AS JSON 'auto'") => warehouse.execute(`COPY t FROM '${source}' ${options}`);
async function loadError(work: Promise<unknown>): Promise<LoadError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(LoadError);
  return error as LoadError;
}

describe('the files of a COPY source', () => {
  it('objects one to a line and objects across lines load alike, in one COPY, with MAXERROR too', async () => {
    const files = {
      'a.json': '{"id": 1, "name": "one"}\n{"id": 2, "name": "two"}\n',
      'b.json': '{\n  "id": 3,\n  "name": "three"\n}\n{"id": 4,\n "name": "four"}',
      'c.json': '{"id": 5}{"id": 6}\n',
    };
    await copy(folder(files));
    expect(await rows(warehouse, 'SELECT id, name FROM t ORDER BY id')).toEqual([[1, 'one'], [2, 'two'], [3, 'three'], [4, 'four'], [5, null], [6, null]]);
    await warehouse.execute('DELETE FROM t');
    await copy(folder({ ...files, 'd.json': '{"id": 7.5}\n' }), "FORMAT AS JSON 'auto' MAXERROR 1");
    expect(await count()).toBe(6);
  });

  it('stl_load_commits holds the rows each file gave, blank lines, CRLF and a last line without a newline as the read takes them', async () => {
    const dir = folder({
      'a.json': '{"id": 1}\r\n\n   \n\t\r\n{"id": 2}\n{"id": 3}',
      'b.json': '\n{"id": 4}\n\n',
      'c.json': '',
    });
    await copy(dir);
    expect(await count()).toBe(4);
    expect(await rows(warehouse, 'SELECT filename, lines_scanned FROM stl_load_commits WHERE query = (SELECT max(query) FROM stl_load_commits) ORDER BY 1')).toEqual([
      [join(dir, 'a.json'), 3],
      [join(dir, 'b.json'), 1],
      [join(dir, 'c.json'), 0],
    ]);
    // Counted a line at a time, whatever the chunks the file arrives in.
    const chunks = ['{"id"', ': 1}\n  ', '\n\n {', '}\n', ' '].map((t) => Buffer.from(t));
    expect(await countContentLines(Readable.from(chunks))).toBe(2);
    expect(await countContentLines(Readable.from([Buffer.from('{}\n'), Buffer.from('x')]))).toBe(2);
  });

  it("a file's first bytes tell one object to a line from objects across lines, and count a file read whole", () => {
    const shape = (text: string, whole = true) => {
      const bytes = Buffer.from(text);
      return shapeOf(bytes, bytes.length, whole);
    };
    expect(shape('{"id": 1}\r\n\n  {"id": 2, "s": "{ \\" }"}\n')).toEqual({ lineDelimited: true, rows: 2 });
    expect(shape('\uFEFF{"id": 1}')).toEqual({ lineDelimited: true, rows: 1 });
    expect(shape('')).toEqual({ lineDelimited: true, rows: 0 });
    expect(shape('{\n  "id": 1,\n  "a": [1, {"b": 2}]\n}\n{"id": 2}')).toEqual({ lineDelimited: false, rows: 2 });
    expect(shape('{"id": 5}{"id": 6}\n')).toEqual({ lineDelimited: false, rows: 2 });
    expect(shape('{"id": 5}\n{"id":\n 6}')).toEqual({ lineDelimited: false, rows: 2 });
    // No sequence of objects, or broken: no count, and the line read goes first, to fail as it would.
    expect(shape('[{"id": 1}]')).toEqual({ lineDelimited: true });
    expect(shape('{"id": 1}\nnull\n')).toEqual({ lineDelimited: true });
    expect(shape('{"id": 1}\n{"id": ')).toEqual({ lineDelimited: true });
    // Of a file bigger than the bytes read, the first object tells; a first line longer than them reads by line.
    expect(shape('{"id": 1}\n{\n', false)).toEqual({ lineDelimited: true });
    expect(shape('{\n"id": 1}\n', false)).toEqual({ lineDelimited: false });
    expect(shape(`{"s": "${'x'.repeat(SHAPE_BYTES)}`.slice(0, SHAPE_BYTES), false)).toEqual({ lineDelimited: true });
  });

  it('a batch with a pretty-printed file loads and records each file\'s rows, small files counted from their bytes, a big one by DuckDB', async () => {
    const files = {
      'a.json': '{"id": 1, "name": "x}{"}\n{"id": 2}\n',
      'b.json': '{\n  "id": 3\n}\n{\n  "id": 4\n}\n',
      'c.json': '{"id": 5}{"id": 6}',
      'd.json': '\n',
    };
    const dir = folder(files);
    await copy(dir);
    const commits = (at: string) => rows(warehouse, `SELECT filename, lines_scanned FROM stl_load_commits WHERE query = (SELECT max(query) FROM stl_load_commits) ORDER BY 1`).then((r) => r.map(([f, n]) => [String(f).slice(at.length + 1), n]));
    expect(await commits(dir)).toEqual([['a.json', 2], ['b.json', 2], ['c.json', 2], ['d.json', 0]]);
    expect(await count()).toBe(6);
    // A file past the bytes looked at, among them: still each file's own rows.
    const big = Array.from({ length: 3000 }, (_, i) => `{"id": ${100 + i}, "name": "row"}`).join('\n');
    const second = folder({ ...files, 'e.json': big });
    await copy(second);
    expect(await commits(second)).toEqual([['a.json', 2], ['b.json', 2], ['c.json', 2], ['d.json', 0], ['e.json', 3000]]);
    expect(await count()).toBe(6 + 3006);
  });

  it('song files, one pretty-printed among them, are read once as objects and counted without a read of their own', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run('CREATE TABLE t (id INTEGER, name VARCHAR)');
    const statements: string[] = [];
    const target: LoadTarget = {
      run: async (sql) => {
        statements.push(sql);
        return Number((await connection.run(sql)).rowsChanged);
      },
      rows: async (sql) => {
        statements.push(sql);
        return (await connection.runAndReadAll(sql)).getRowsJS().map((row) => row.map((v) => (v === null ? null : String(v as string | number | bigint | boolean))));
      },
      cleanup: async (sql) => void (await connection.run(sql)),
      resolveSource: (uri) => uri,
      inTransaction: false,
    };
    const load = (dir: string) => copyJson(parseCopy(`COPY t FROM '${dir}' FORMAT AS JSON 'auto'`), target);
    const inserts = () => statements.filter((sql) => sql.startsWith('INSERT INTO "main"."t"'));
    try {
      expect(await load(folder({ 'a.json': '{"id": 1}', 'b.json': '{\n  "id": 2\n}\n', 'c.json': '{"id": 3}\n' }))).toBe(3);
      expect(inserts()).toHaveLength(1);
      expect(inserts()[0]).toContain("format = 'unstructured'");
      expect(statements.filter((sql) => /COUNT\(\*\)/i.test(sql))).toEqual([]);
      statements.length = 0;
      expect(await load(folder({ 'a.json': '{"id": 1}', 'c.json': '{"id": 3}\n{"id": 4}\n' }))).toBe(3);
      expect(inserts()).toHaveLength(1);
      expect(inserts()[0]).toContain("format = 'newline_delimited'");
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('a file of broken JSON among line-delimited ones is named by file and line', async () => {
    const dir = folder({ 'a.json': '{"id": 1}\n', 'b.json': '{"id": 2}\n{"id": \n' });
    const error = await loadError(copy(dir));
    expect(error.details[0]).toMatchObject({ file: join(dir, 'b.json'), line: 2 });
    expect(await count()).toBe(0);
  });

  it('a file named with glob characters is read as itself, once', async () => {
    const dir = folder({ '*.json': '{"id": 1}\n', 'a[1].json': '{"id": 2}\n', 'a1.json': '{"id": 3}\n', 'q?.json': '{"id": 4}\n' });
    await copy(dir);
    expect(await rows(warehouse, 'SELECT id FROM t ORDER BY id')).toEqual([[1], [2], [3], [4]]);
  });

  it('links to files and folders are followed; a link back up is not walked again', async () => {
    const outside = folder({ 'far.json': '{"id": 10}\n', 'deep/more.json': '{"id": 11}\n' });
    const dir = folder({ 'own.json': '{"id": 1}\n' });
    symlinkSync(join(outside, 'far.json'), join(dir, 'link-to-file.json'));
    symlinkSync(join(outside, 'deep'), join(dir, 'link-to-folder'));
    symlinkSync(dir, join(dir, 'loop'));
    symlinkSync(join(dir, 'gone.json'), join(dir, 'dangling.json'));
    expect(await listSourceFiles(dir)).toEqual([join(dir, 'link-to-file.json'), join(dir, 'link-to-folder/more.json'), join(dir, 'own.json')]);
    await copy(dir);
    expect(await rows(warehouse, 'SELECT id FROM t ORDER BY id')).toEqual([[1], [10], [11]]);
  });

  it("a COPY of many files leaves its connection's row order as it found it, after a load and after a failed one", async () => {
    const session = await warehouse.openSession();
    const order = async () => {
      const result = await session.query("SELECT current_setting('preserve_insertion_order')");
      const values: unknown[] = [];
      for await (const page of result.pages()) for (const row of page) values.push(row[0]);
      return values;
    };
    try {
      const many: Record<string, string> = {};
      for (let i = 0; i < 20; i++) many[`${String(i).padStart(2, '0')}.json`] = `{"id": ${i}}\n`;
      await session.execute(`COPY t FROM '${folder(many)}' FORMAT AS JSON 'auto'`);
      expect(await order()).toEqual([true]);
      const error = await session.execute(`COPY t FROM '${folder({ ...many, '99.json': '{"id": 1.5}\n' })}' FORMAT AS JSON 'auto'`).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(LoadError);
      expect(await order()).toEqual([true]);
      // One file keeps its order, as it reads.
      await session.execute('DELETE FROM t');
      const lines = Array.from({ length: 5000 }, (_, i) => `{"id": ${4999 - i}}`).join('\n');
      await session.execute(`COPY t FROM '${folder({ 'one.json': lines })}' FORMAT AS JSON 'auto'`);
      const result = await session.query('SELECT id FROM t');
      const ids: number[] = [];
      for await (const page of result.pages()) for (const row of page) ids.push(Number(row[0]));
      expect(ids).toEqual(Array.from({ length: 5000 }, (_, i) => 4999 - i));
    } finally {
      await session.close();
    }
  });

  it('more files than one batch load whole, and a bad file in a later batch leaves the table as it was', async () => {
    const files: Record<string, string> = {};
    const n = FILES_PER_BATCH * 2 + 7;
    for (let i = 0; i < n; i++) files[`part/${String(i).padStart(5, '0')}.json`] = `{"id": ${i}}\n`;
    const dir = folder(files);
    await copy(dir);
    expect(await rows(warehouse, 'SELECT count(*), count(DISTINCT id) FROM t')).toEqual([[n, n]]);
    // Recorded batch by batch, the files are still one load: one query, each file once with its row.
    const commits = 'SELECT count(*), count(DISTINCT filename), count(DISTINCT query), sum(lines_scanned) FROM stl_load_commits';
    expect(await rows(warehouse, commits)).toEqual([[n, n, 1, n]]);

    await warehouse.execute('DELETE FROM t');
    writeFileSync(join(dir, 'part', `${String(n - 1).padStart(5, '0')}.json`), '{"id": "not a number"}\n');
    const error = await loadError(copy(dir));
    expect(error.details[0]).toMatchObject({ file: join(dir, 'part', `${String(n - 1).padStart(5, '0')}.json`), line: 1, column: 'id' });
    expect(await count()).toBe(0);
    expect(await rows(warehouse, commits)).toEqual([[n, n, 1, n]]);
  });
});

describe('jsonpaths files', () => {
  const data = () => folder({ 'rows.json': '{"ID": 7, "Name": "x", "Big": 1}\n' });
  const paths = (content: string | Buffer) => join(folder({ 'paths.json': content }), 'paths.json');

  it('one with a UTF-8 byte-order mark is read', async () => {
    await copy(data(), `FORMAT AS JSON '${paths('\uFEFF{"jsonpaths": ["$.ID", "$.Name", "$[\'Big\']"]}')}'`);
    expect(await rows(warehouse, 'SELECT * FROM t')).toEqual([[7, 'x', 1]]);
  });

  it('every kind of bad jsonpaths file is a load error naming the file (exit 6)', async () => {
    const bad = [
      [paths('{"jsonpaths": ['), /is not valid JSON/],
      [paths('{"paths": []}'), /has no "jsonpaths" array of strings/],
      [paths('{"jsonpaths": ["$.ID", "$.a.b", "$.Big"]}'), /holds \$\.a\.b, and the local warehouse reads only top-level keys/],
      [paths('{"jsonpaths": ["$.ID"]}'), /names 1 paths but the COPY loads 3 columns/],
      [join(work, 'no-such-paths.json'), /cannot read the jsonpaths file .*no such file/],
    ] as const;
    for (const [file, message] of bad) {
      const error = await loadError(copy(data(), `FORMAT AS JSON '${file}'`));
      expect(error.exitCode).toBe(6);
      expect(error.message).toMatch(message);
      expect(error.message).toContain(file);
      expect(error.hint).toMatch(/jsonpaths/);
    }
  });
});

describe("bad rows are named by file and line, on 'auto ignorecase' as on jsonpaths", () => {
  const ignorecase = "FORMAT AS JSON 'auto ignorecase'";
  const cases: [string, string | Buffer, number, RegExp][] = [
    ['a cut-off line', '{"id": 1}\n{"id": 2, "Na\n{"id": 3}\n', 2, /invalid JSON/],
    ['invalid UTF-8', Buffer.concat([Buffer.from('{"id": 1}\n{"id": 2, "name": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]), 2, /invalid UTF-8/],
    ['UTF-16 text', Buffer.from('\uFEFF{"id": 1}\n', 'utf16le'), 1, /UTF-16/],
    ['a line longer than 32 MB', `{"id": 1}\n{"name": "${'x'.repeat(33 * 1024 * 1024)}"}\n{"id": 3}\n`, 2, /longer than 32 MB/],
    ['a number beyond BIGINT', '{"id": 1, "big": 99999999999999999999}\n', 1, /99999999999999999999 is out of range for BIGINT/],
    ['an integer out of range', '{"id": 1}\n{"id": 3000000000}\n', 2, /3000000000 is out of range for INTEGER/],
    ['a duplicate key', '{"id": 1}\n{"id": 2, "name": "a", "name": "b"}\n', 2, /the key "name" appears twice/],
  ];
  for (const [what, content, line, reason] of cases) {
    it(what, async () => {
      const dir = folder({ 'data.json': content });
      for (const options of [ignorecase, "FORMAT AS JSON 'auto'"]) {
        const error = await loadError(copy(dir, options));
        expect(error.exitCode).toBe(6);
        expect(error.details[0]).toMatchObject({ file: join(dir, 'data.json'), line });
        expect(error.details[0].reason).toMatch(reason);
        expect(error.message).not.toMatch(/ignore_errors|auto_detect/);
        expect(await count()).toBe(0);
      }
    });
  }
});
