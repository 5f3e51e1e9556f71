// COPY as the Redshift COPY reference describes it, on the local engine,
// through real DuckDB: which columns fill, how fields become values, text and
// CSV, compressed files, manifests, MAXERROR and stl_load_errors.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempHome } from './helpers/cli.js';
import { rows } from './helpers/pipeline.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { LoadError, SqlError } from '../src/pipeline/errors.js';

const work = tempHome('sparkify-copy-options-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

let fileCount = 0;
/** A fresh folder holding `files` (name → content); returns its path. */
function folder(files: Record<string, string | Buffer>): string {
  const dir = join(work, `case-${++fileCount}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

let w: DuckDbWarehouse;
beforeEach(async () => {
  w = await DuckDbWarehouse.open({ path: ':memory:' });
});
afterEach(() => w.close());
const all = (sql: string) => rows(w, sql);
async function refused(work: Promise<unknown>): Promise<LoadError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(LoadError);
  return error as LoadError;
}

describe('the columns a COPY fills', () => {
  beforeEach(() => w.execute('CREATE TABLE t (id BIGINT IDENTITY(0, 1), a VARCHAR(16), b INTEGER)'));

  it('IDENTITY columns are skipped (jsonpaths without a column list), unless EXPLICIT_IDS', async () => {
    const dir = folder({ 'd.json': '{"A": "x", "B": 1}\n{"A": "y", "B": 2}\n', 'paths.json': '{"jsonpaths": ["$.A", "$.B"]}' });
    await w.execute(`COPY t FROM '${dir}/d.json' FORMAT AS JSON '${dir}/paths.json'`);
    expect(await all('SELECT id, a, b FROM t ORDER BY id')).toEqual([[0, 'x', 1], [1, 'y', 2]]);
    const ids = folder({ 'd.json': '{"id": 40, "a": "z", "b": 3}\n' });
    await w.execute(`COPY t FROM '${ids}' FORMAT AS JSON 'auto' EXPLICIT_IDS`);
    expect(await all('SELECT id FROM t WHERE a = \'z\'')).toEqual([[40]]);
  });

  it('a column list fills those columns; keys with no column are ignored, missing keys are NULL', async () => {
    const dir = folder({ 'd.json': '{"b": 5, "other": true}\n' });
    await w.execute(`COPY t (b, a) FROM '${dir}' JSON 'auto'`);
    expect(await all('SELECT a, b FROM t')).toEqual([[null, 5]]);
    await expect(w.execute(`COPY t (id) FROM '${dir}' JSON 'auto'`)).rejects.toThrow(SqlError);
  });
});

describe('fields into values, by Redshift type rules', () => {
  beforeEach(() => w.execute('CREATE TABLE v (s VARCHAR(5), n INTEGER, d DOUBLE PRECISION, ts TIMESTAMP)'));

  it('empty and blank fields of non-character types load NULL; EMPTYASNULL and BLANKSASNULL for text', async () => {
    const dir = folder({ 'd.json': '{"s": "", "n": "", "d": "  ", "ts": ""}\n{"s": "  ", "n": " 7 "}\n' });
    await w.execute(`COPY v FROM '${dir}' JSON 'auto'`);
    expect(await all('SELECT s, n, d, ts FROM v ORDER BY n NULLS FIRST')).toEqual([['', null, null, null], ['  ', 7, null, null]]);
    await w.execute('DELETE FROM v');
    await w.execute(`COPY v FROM '${dir}' JSON 'auto' EMPTYASNULL`);
    expect(await all('SELECT s FROM v ORDER BY n NULLS FIRST')).toEqual([[null], ['  ']]);
    await w.execute('DELETE FROM v');
    await w.execute(`COPY v FROM '${dir}' JSON 'auto' BLANKSASNULL`);
    expect(await all('SELECT s FROM v ORDER BY n NULLS FIRST')).toEqual([[''], [null]]);
  });

  it('VARCHAR(n) counts bytes: a longer value is refused with its size, or cut with TRUNCATECOLUMNS', async () => {
    const dir = folder({ 'd.json': '{"s": "abc"}\n{"s": "héllo"}\n' });
    const error = await refused(w.execute(`COPY v FROM '${dir}' JSON 'auto'`));
    expect(error.details[0]).toMatchObject({ line: 2, column: 's', rawValue: 'héllo' });
    expect(error.details[0].reason).toMatch(/6 bytes, longer than VARCHAR\(5\)/);
    await w.execute(`COPY v FROM '${dir}' JSON 'auto' TRUNCATECOLUMNS`);
    expect(await all('SELECT s, octet_length(s) FROM v ORDER BY s')).toEqual([['abc', 3], ['héll', 5]]);
  });

  it('a whole number written with a zero fraction loads into an integer column, as the course data\'s registration does', async () => {
    const dir = folder({ 'd.json': '{"n": 100.0}\n{"n": "7.00"}\n' });
    await w.execute(`COPY v FROM '${dir}' JSON 'auto'`);
    expect(await all('SELECT n FROM v ORDER BY n')).toEqual([[7], [100]]);
  });

  it('the course shape loads: a 13-digit registration with a zero fraction into BIGINT beside an empty user id into INTEGER', async () => {
    await w.execute('CREATE TABLE ev (registration BIGINT, userid INTEGER)');
    const dir = folder({ 'd.json': '{"registration": 1540919166796.0, "userId": "39"}\n{"registration": null, "userId": ""}\n' });
    await w.execute(`COPY ev FROM '${dir}' JSON 'auto ignorecase'`);
    expect(await all('SELECT registration, userid FROM ev ORDER BY userid NULLS LAST')).toEqual([[1540919166796, 39], [null, null]]);
  });

  const refusals: [string, string, RegExp][] = [
    ['a fraction into INTEGER', '{"n": 1.5}', /1\.5 is not a whole number/],
    ['an integer out of range', '{"n": 2147483648}', /out of range for INTEGER/],
    ['NaN into DOUBLE PRECISION', '{"d": "NaN"}', /NaN and Infinity are refused/],
    ['Infinity into DOUBLE PRECISION', '{"d": "-Infinity"}', /NaN and Infinity are refused/],
  ];
  for (const [what, line, reason] of refusals) {
    it(`${what} is refused, named by file, line and column`, async () => {
      const dir = folder({ 'd.json': `{"n": 1}\n${line}\n` });
      const error = await refused(w.execute(`COPY v FROM '${dir}' JSON 'auto'`));
      expect(error.details[0]).toMatchObject({ file: join(dir, 'd.json'), line: 2 });
      expect(error.details[0].reason).toMatch(reason);
      expect(await all('SELECT count(*) FROM v')).toEqual([[0]]);
    });
  }

  it("TIMEFORMAT 'epochmillisecs', 'epochsecs' and format strings", async () => {
    const dir = folder({ 'ms.json': '{"ts": 1541105830796}\n', 's.json': '{"ts": 1541105830}\n', 'f.json': '{"ts": "01/11/2018 20:57:10"}\n' });
    await w.execute(`COPY v FROM '${dir}/ms.json' JSON 'auto' TIMEFORMAT 'epochmillisecs'`);
    await w.execute(`COPY v FROM '${dir}/s.json' JSON 'auto' TIMEFORMAT AS 'epochsecs'`);
    await w.execute(`COPY v FROM '${dir}/f.json' JSON 'auto' TIMEFORMAT 'DD/MM/YYYY HH24:MI:SS'`);
    expect(await all('SELECT CAST(ts AS VARCHAR) FROM v ORDER BY ts')).toEqual([['2018-11-01 20:57:10'], ['2018-11-01 20:57:10'], ['2018-11-01 20:57:10.796']]);
  });
});

describe('delimited text and CSV', () => {
  it("the getting-started tutorial's pipe-delimited and tab-delimited TICKIT files load", async () => {
    await w.execute('CREATE TABLE venue (venueid SMALLINT NOT NULL, venuename VARCHAR(100), venuecity VARCHAR(30), venuestate CHAR(2), venueseats INTEGER)');
    await w.execute('CREATE TABLE sales (salesid INTEGER, listid INTEGER, sellerid INTEGER, buyerid INTEGER, eventid INTEGER, dateid SMALLINT, qtysold SMALLINT, pricepaid DECIMAL(8,2), commission DECIMAL(8,2), saletime TIMESTAMP)');
    const dir = folder({
      'venue_pipe.txt': '1|Toyota Park|Bridgeview|IL|0\n2|Columbus Crew Stadium|Columbus|OH|0\n4|Harley-Davidson Stadium||WI|\n',
      'sales_tab.txt': '1\t1\t36861\t21191\t7872\t1875\t4\t728.00\t109.20\t2/18/2008 02:36:48\n2\t4\t8117\t11498\t4337\t1983\t2\t76.00\t11.40\t6/6/2008 05:00:16\n',
    });
    await w.execute(`COPY venue FROM '${dir}/venue_pipe.txt' IAM_ROLE DEFAULT DELIMITER '|' REGION 'us-west-2'`);
    expect(await all('SELECT venueid, venuename, venuecity, venuestate, venueseats FROM venue ORDER BY venueid')).toEqual([
      [1, 'Toyota Park', 'Bridgeview', 'IL', 0],
      [2, 'Columbus Crew Stadium', 'Columbus', 'OH', 0],
      [4, 'Harley-Davidson Stadium', '', 'WI', null],
    ]);
    await w.execute(`COPY sales FROM '${dir}/sales_tab.txt' IAM_ROLE DEFAULT DELIMITER '\t' TIMEFORMAT 'MM/DD/YYYY HH:MI:SS'`);
    expect(await all('SELECT salesid, pricepaid, CAST(saletime AS VARCHAR) FROM sales ORDER BY salesid')).toEqual([
      [1, '728.00', '2008-02-18 02:36:48'],
      [2, '76.00', '2008-06-06 05:00:16'],
    ]);
  });

  it('FORMAT AS CSV with IGNOREHEADER, NULL AS and QUOTE AS; REMOVEQUOTES on text', async () => {
    await w.execute('CREATE TABLE c (id INTEGER, name VARCHAR(40), note VARCHAR(40))');
    const dir = folder({ 'c.csv': 'id,name,note\n1,"Smith, Jo","said ""hi"""\n2,Lee,NA\n', 'q.csv': "3,%a,b%,x\n", 'r.txt': '4|"pipe|inside"|y\n' });
    await w.execute(`COPY c FROM '${dir}/c.csv' FORMAT AS CSV IGNOREHEADER 1 NULL AS 'NA'`);
    await w.execute(`COPY c FROM '${dir}/q.csv' CSV QUOTE AS '%'`);
    await w.execute(`COPY c FROM '${dir}/r.txt' DELIMITER '|' REMOVEQUOTES`);
    expect(await all('SELECT id, name, note FROM c ORDER BY id')).toEqual([
      [1, 'Smith, Jo', 'said "hi"'],
      [2, 'Lee', null],
      [3, 'a,b', 'x'],
      [4, 'pipe|inside', 'y'],
    ]);
  });

  it('a line with the wrong number of fields is named by file and line', async () => {
    await w.execute('CREATE TABLE c (id INTEGER, name VARCHAR(40))');
    const dir = folder({ 'c.txt': '1|a\n2|b|extra\n' });
    const error = await refused(w.execute(`COPY c FROM '${dir}' DELIMITER '|'`));
    expect(error.details[0]).toMatchObject({ file: join(dir, 'c.txt'), line: 2 });
    expect(error.details[0].reason).toMatch(/has 3 fields, and the COPY loads 2 columns/);
  });
});

describe('nested JSON values into character columns', () => {
  beforeEach(() => w.execute('CREATE TABLE n (id INTEGER, tags VARCHAR(60))'));
  const data = '{"id": 1, "tags": "[not nested]"}\n{"id": 2, "tags": {"a": [1, 2]}}\n{"id": 3, "tags": ["x", "y"]}\n{"id": 4, "tags": 7.5}\n';

  it("'auto' refuses an object or an array as Redshift does, naming file, line, column and reason; a string that looks like one loads", async () => {
    const dir = folder({ 'n.json': data });
    const error = await refused(w.execute(`COPY n FROM '${dir}' JSON 'auto'`));
    expect(error.details.map((d) => [d.line, d.column])).toEqual([[2, 'tags'], [3, 'tags']]);
    expect(error.details[0].file).toBe(join(dir, 'n.json'));
    expect(error.details[0].reason).toMatch(/an object does not load into the character column tags with JSON 'auto'/);
    expect(error.details[1].reason).toMatch(/^an array /);
    expect(await all('SELECT count(*) FROM n')).toEqual([[0]]);
    await w.execute(`COPY n FROM '${dir}' JSON 'auto' MAXERROR 2`);
    expect(await all('SELECT id, tags FROM n ORDER BY id')).toEqual([[1, '[not nested]'], [4, '7.5']]);
  });

  it('a jsonpaths file loads an object or array as its JSON text, as the COPY reference documents', async () => {
    const dir = folder({ 'n.json': data, 'paths.json': '{"jsonpaths": ["$.id", "$.tags"]}' });
    await w.execute(`COPY n FROM '${dir}/n.json' JSON '${dir}/paths.json'`);
    expect(await all('SELECT id, tags FROM n ORDER BY id')).toEqual([[1, '[not nested]'], [2, '{"a":[1,2]}'], [3, '["x","y"]'], [4, '7.5']]);
  });
});

describe('compressed files and manifests', () => {
  beforeEach(() => w.execute('CREATE TABLE t (id INTEGER)'));

  it('GZIP, ZSTD and BZIP2 files load', async () => {
    const dir = folder({ 'a.json.gz': gzipSync('{"id": 1}\n{"id": 2}\n') });
    writeFileSync(join(dir, 'b.json'), '{"id": 3}\n');
    execFileSync('zstd', ['-q', join(dir, 'b.json'), '-o', join(dir, 'b.json.zst')]);
    writeFileSync(join(dir, 'c.json'), '{"id": 4}\n');
    execFileSync('bzip2', [join(dir, 'c.json')]);
    await w.execute(`COPY t FROM '${dir}/a.json.gz' JSON 'auto' GZIP`);
    await w.execute(`COPY t FROM '${dir}/b.json.zst' JSON 'auto' ZSTD`);
    await w.execute(`COPY t FROM '${dir}/c.json.bz2' JSON 'auto' BZIP2`);
    expect(await all('SELECT id FROM t ORDER BY id')).toEqual([[1], [2], [3], [4]]);
  });

  it('ACCEPTINVCHARS replaces invalid UTF-8 (with ? or the character given); without it the row is refused', async () => {
    await w.execute('CREATE TABLE s (name VARCHAR(20))');
    const bad = Buffer.concat([Buffer.from('{"name": "caf'), Buffer.from([0xe9]), Buffer.from('!"}\n')]);
    const dir = folder({ 'd.json': bad, 'd.txt': Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('!\n')]) });
    await refused(w.execute(`COPY s FROM '${dir}/d.json' JSON 'auto'`));
    await w.execute(`COPY s FROM '${dir}/d.json' JSON 'auto' ACCEPTINVCHARS`);
    await w.execute(`COPY s FROM '${dir}/d.txt' ACCEPTINVCHARS AS '^'`);
    expect(await all('SELECT name FROM s ORDER BY name')).toEqual([['caf?!'], ['caf^!']]);
  });

  it('a bad row in a gzip or zstd file is named by file and line', async () => {
    const dir = folder({ 'a.json.gz': gzipSync('{"id": 1}\n{"id": "x"}\n') });
    const error = await refused(w.execute(`COPY t FROM '${dir}/a.json.gz' JSON 'auto' GZIP`));
    expect(error.details[0]).toMatchObject({ file: join(dir, 'a.json.gz'), line: 2, column: 'id' });
    // Enough lines that the decoder hands them over in several pieces.
    writeFileSync(join(dir, 'b.json'), `${'{"id": 1}\n'.repeat(200_000)}{"id": 2.5}\n`);
    execFileSync('zstd', ['-q', join(dir, 'b.json'), '-o', join(dir, 'b.json.zst')]);
    const zstd = await refused(w.execute(`COPY t FROM '${dir}/b.json.zst' JSON 'auto' ZSTD`));
    expect(zstd.details[0]).toMatchObject({ file: join(dir, 'b.json.zst'), line: 200_001, column: 'id' });
  });

  it('ACCEPTINVCHARS repairs zstd and gzip files as it does plain ones', async () => {
    await w.execute('CREATE TABLE s (name VARCHAR(20))');
    const bad = Buffer.concat([Buffer.from('{"name": "caf'), Buffer.from([0xe9]), Buffer.from('!"}\n')]);
    const dir = folder({ 'd.json': bad, 'e.json.gz': gzipSync(bad) });
    execFileSync('zstd', ['-q', join(dir, 'd.json'), '-o', join(dir, 'd.json.zst')]);
    await refused(w.execute(`COPY s FROM '${dir}/d.json.zst' JSON 'auto' ZSTD`));
    await w.execute(`COPY s FROM '${dir}/d.json.zst' JSON 'auto' ZSTD ACCEPTINVCHARS AS '*'`);
    await w.execute(`COPY s FROM '${dir}/e.json.gz' JSON 'auto' GZIP ACCEPTINVCHARS`);
    expect(await all('SELECT name FROM s ORDER BY name')).toEqual([['caf*!'], ['caf?!']]);
  });

  it('MANIFEST loads the files it lists; a missing mandatory file fails, a missing optional one is skipped', async () => {
    const dir = folder({ 'a.json': '{"id": 1}\n', 'b.json': '{"id": 2}\n', 'not-listed.json': '{"id": 9}\n' });
    const manifest = (entries: object[]) => {
      const path = join(dir, `m-${entries.length}-${Math.random().toString(36).slice(2)}.manifest`);
      writeFileSync(path, JSON.stringify({ entries }));
      return path;
    };
    await w.execute(`COPY t FROM '${manifest([{ url: join(dir, 'a.json'), mandatory: true }, { url: join(dir, 'b.json') }, { url: join(dir, 'gone.json'), mandatory: false }])}' JSON 'auto' MANIFEST`);
    expect(await all('SELECT id FROM t ORDER BY id')).toEqual([[1], [2]]);
    const error = await refused(w.execute(`COPY t FROM '${manifest([{ url: join(dir, 'gone.json'), mandatory: true }])}' JSON 'auto' MANIFEST`));
    expect(error.message).toMatch(/lists .*gone\.json as mandatory, and it is not there/);
  });
});

describe('MAXERROR and stl_load_errors', () => {
  it('up to MAXERROR bad rows are left out and kept in stl_load_errors and sys_load_error_detail', async () => {
    await w.execute('CREATE TABLE t (id INTEGER, name VARCHAR(3))');
    const dir = folder({ 'd.json': '{"id": 1, "name": "ok"}\n{"id": "x"}\n{"id": 3, "name": "toolong"}\n{"id": 4}\n' });
    await expect(w.execute(`COPY t FROM '${dir}' JSON 'auto' MAXERROR 1`)).rejects.toThrow(/2 bad rows.*MAXERROR is 1/);
    expect(await all('SELECT count(*) FROM t')).toEqual([[0]]);
    await w.execute(`COPY t FROM '${dir}' JSON 'auto' MAXERROR 2`);
    expect(await all('SELECT id FROM t ORDER BY id')).toEqual([[1], [4]]);
    const errors = await all('SELECT query, filename, line_number, trim(colname), type, col_length, raw_field_value, err_code, err_reason FROM stl_load_errors ORDER BY query, line_number');
    expect(errors).toHaveLength(4);
    expect(errors[2]).toEqual([2, join(dir, 'd.json'), 2, 'id', 'int4', '0', 'x', 1207, 'expected a number (INTEGER), got the string "x"']);
    expect(errors[3]).toEqual([2, join(dir, 'd.json'), 3, 'name', 'varchar', '3', 'toolong', 1204, expect.stringMatching(/^the value is 7 bytes, longer than VARCHAR\(3\)/)]);
    expect(await all('SELECT query_id, file_name, line_number, column_name, error_code FROM sys_load_error_detail WHERE query_id = 2 ORDER BY line_number')).toEqual([
      [2, join(dir, 'd.json'), 2, 'id', 1207],
      [2, join(dir, 'd.json'), 3, 'name', 1204],
    ]);
  });
  it("keeps a bad timestamp, date or integer with Redshift's error code for it (1206, 1205, 1222)", async () => {
    await w.execute('CREATE TABLE coded (ts TIMESTAMP, d DATE, n INTEGER)');
    const dir = folder({ 'c.json': '{"ts": 1541105830796}\n{"d": "no date"}\n{"n": 1541105830796}\n' });
    await w.execute(`COPY coded FROM '${dir}' JSON 'auto' MAXERROR 3`);
    expect(await all("SELECT trim(colname), err_code FROM stl_load_errors WHERE filename LIKE '%c.json' ORDER BY line_number")).toEqual([
      ['ts', 1206],
      ['d', 1205],
      ['n', 1222],
    ]);
  });
  it('a row that is not JSON at all counts as one bad row: within MAXERROR the rest loads, and stl_load_errors and stl_load_commits agree', async () => {
    await w.execute('CREATE TABLE broken (id INTEGER, name VARCHAR(8))');
    const lines = ['{"id": 1, "name": "a"}', '{"id": 2, "name": ', '{"id": 3, "name": "c"}', 'not json at all', '{"id": "x"}', '{\n  "id": 5,\n  "name": "pretty"\n}', '{"id": 6, "name": "f"}'];
    const dir = folder({ 'b.json': lines.join('\n') + '\n', 'c.json.gz': gzipSync('[1, 2]\n{"id": 7}\n') });
    // Four bad rows (two lines that are not JSON, a string for an integer, an array that is no object): over MAXERROR 3, nothing loads.
    const over = await refused(w.execute(`COPY broken FROM '${dir}' JSON 'auto' MAXERROR 3`));
    expect(over.message).toMatch(/^COPY into broken failed: 4 bad rows \(first at .*b\.json line 2: invalid JSON.*; MAXERROR is 3$/);
    expect(await all('SELECT count(*) FROM broken')).toEqual([[0]]);
    const before = Number((await all('SELECT count(*) FROM stl_load_errors'))[0][0]);
    await w.execute(`COPY broken FROM '${dir}' JSON 'auto' MAXERROR 4`);
    expect(await all('SELECT id, name FROM broken ORDER BY id')).toEqual([[1, 'a'], [3, 'c'], [5, 'pretty'], [6, 'f'], [7, null]]);
    const errors = await all(`SELECT filename, line_number, err_reason FROM stl_load_errors WHERE query = (SELECT max(query) FROM stl_load_errors) ORDER BY filename, line_number`);
    expect(Number((await all('SELECT count(*) FROM stl_load_errors'))[0][0])).toBe(before + 4);
    expect(errors).toEqual([
      [join(dir, 'b.json'), 2, expect.stringMatching(/^invalid JSON/)],
      [join(dir, 'b.json'), 4, 'not a JSON object'],
      [join(dir, 'b.json'), 5, 'expected a number (INTEGER), got the string "x"'],
      [join(dir, 'c.json.gz'), 1, 'not a JSON object'],
    ]);
    // The ledger of files names the files as listed, with the rows each gave.
    expect(await all(`SELECT trim(filename), lines_scanned FROM stl_load_commits WHERE query = (SELECT max(query) FROM stl_load_commits) ORDER BY 1`)).toEqual([
      [join(dir, 'b.json'), 4],
      [join(dir, 'c.json.gz'), 1],
    ]);
  });

  it('leaves out a line that is not JSON in a COPY ... GZIP and inside a caller\'s transaction too', async () => {
    await w.execute('CREATE TABLE zipped (id INTEGER)');
    const dir = folder({ 'a.json.gz': gzipSync('{"id": 1}\n{"id": \n{"id": 3}\n') });
    await w.execute(`COPY zipped FROM '${dir}' JSON 'auto' GZIP MAXERROR 1`);
    expect(await all('SELECT id FROM zipped ORDER BY id')).toEqual([[1], [3]]);
    await w.executeBatch([`COPY zipped FROM '${dir}' JSON 'auto' GZIP MAXERROR 1`, 'DELETE FROM zipped WHERE id = 1']);
    expect(await all('SELECT id FROM zipped ORDER BY id')).toEqual([[3], [3]]);
  });
});
