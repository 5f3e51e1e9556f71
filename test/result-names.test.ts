// Result column names as Redshift gives them (PostgreSQL's rules), on the
// local engine, in every output format, and duplicates kept apart in files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redshiftResultNames } from '../src/pipeline/sql/result-names.js';
import { uniqueColumnNames, writeResult, type OutputFormat } from '../src/pipeline/format.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The name each select-list expression gets, alone in a query of one column. */
const nameOf = (expression: string) => redshiftResultNames(`SELECT ${expression} FROM t`, ['engine name'])[0];

describe('Redshift names for result columns', () => {
  it.each([
    // No alias: an expression that is not a column, call, cast or CASE is ?column?.
    ['1 + 2', '?column?'],
    ["'x'", '?column?'],
    ['-a', '?column?'],
    ['NULL', '?column?'],
    ["'a' || 'b'", '?column?'],
    ['a IS NULL', '?column?'],
    ['NOT a', '?column?'],
    ['(SELECT 1)', '?column?'],
    // Columns and calls by their own name, folded to lower case.
    ['UserId', 'userid'],
    ['t.Level', 'level'],
    ['"Mixed"', 'mixed'],
    ['(a)', 'a'],
    ['(SELECT max(b) FROM u)', 'max'],
    ['count(*)', 'count'],
    ['COUNT(DISTINCT a)', 'count'],
    ['approximate count(distinct a)', 'count'],
    ['row_number() OVER (ORDER BY a)', 'row_number'],
    ['max(a) OVER w', 'max'],
    ["listagg(a, ',') WITHIN GROUP (ORDER BY a)", 'listagg'],
    ['getdate()', 'getdate'],
    ['dateadd(day, 1, ts)', 'date_add'],
    ['datediff(day, a, b)', 'date_diff'],
    ["date_part('dow', ts)", 'pgdate_part'],
    ['EXISTS (SELECT 1)', 'exists'],
    // Calls the guide's examples show under another name.
    ['nvl(a, 0)', 'coalesce'],
    ["decode(a, 1, 'one')", 'case'],
    ['extract(year FROM ts)', 'date_part'],
    ["trim('  x  ')", 'btrim'],
    ["trim(leading 'x' FROM a)", 'ltrim'],
    ["position('b' IN a)", 'position'],
    ["ts AT TIME ZONE 'UTC'", 'timezone'],
    // CASE, and casts: the inner column or call when there is one, else the type as PostgreSQL spells it.
    ['CASE WHEN a > 1 THEN 1 ELSE 0 END', 'case'],
    ['a::int', 'a'],
    ['count(*)::bigint', 'count'],
    ['CAST(a AS VARCHAR(10))', 'a'],
    ["'1'::int", 'int4'],
    ['CAST(1 AS smallint)', 'int2'],
    ['1::bigint', 'int8'],
    ["'x'::varchar(10)", 'varchar'],
    ["'x'::character varying", 'varchar'],
    ["'x'::char(2)", 'bpchar'],
    ["'x'::text", 'text'],
    ['1::double precision', 'float8'],
    ['1::float(10)', 'float4'],
    ['1::real', 'float4'],
    ['1::numeric(5,2)', 'numeric'],
    ['1::decimal', 'numeric'],
    ["'t'::boolean", 'bool'],
    ['(a + 1)::int', 'int4'],
    ['CASE WHEN a THEN 1 END::text', 'text'],
    ["'2020-01-01'::timestamp with time zone", 'timestamptz'],
    // Literals of a type and value words are casts to that type.
    ["DATE '2020-01-01'", 'date'],
    ["TIMESTAMP '2020-01-01 00:00:00'", 'timestamp'],
    ["INTERVAL '1 day'", 'interval'],
    ['TRUE', 'bool'],
    ['current_date', 'date'],
    ['sysdate', 'timestamp'],
    // Aliases, with or without AS, folded to lower case, quoted too.
    ['1 + 2 AS total', 'total'],
    ['count(*) plays', 'plays'],
    ['a::int n', 'n'],
    ["'x' label", 'label'],
    ['t.a AS "Total Plays"', 'total plays'],
    ['CASE WHEN a THEN 1 END flag', 'flag'],
  ])('%s → %s', (expression, name) => {
    expect(nameOf(expression)).toBe(name);
  });

  it('reads the list of the query itself: past WITH, TOP and DISTINCT, the first SELECT of a UNION, stars left to the engine', () => {
    expect(redshiftResultNames('WITH x AS (SELECT 1), y (a) AS (SELECT 2) SELECT TOP 5 DISTINCT a, 1 FROM x UNION SELECT 3, 4', ['a', '1'])).toEqual(['a', '?column?']);
    expect(redshiftResultNames('(SELECT a + 1 FROM t) UNION ALL (SELECT 2)', ['(a + 1)'])).toEqual(['?column?']);
    expect(redshiftResultNames('SELECT 1, t.*, count(*) FROM t', ['1', 'a', 'b', 'count_star()'])).toEqual(['?column?', 'a', 'b', 'count']);
    expect(redshiftResultNames('SELECT * FROM (SELECT count(*) FROM t)', ['count_star()'])).toEqual(['count']);
    // Not a plain query, or a list that does not match the result: the engine's names, calls named after their function.
    expect(redshiftResultNames('SHOW search_path', ['search_path'])).toEqual(['search_path']);
    expect(redshiftResultNames('SELECT 1', ['a', 'b'])).toEqual(['a', 'b']);
  });
});

describe('result names on the local engine', () => {
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    await warehouse.execute('CREATE TABLE plays (user_id INT, level VARCHAR(4), ts BIGINT)');
    await warehouse.execute("INSERT INTO plays VALUES (1, 'paid', 1541105830796), (2, 'free', 1541106106796)");
  });
  afterAll(async () => warehouse.close());

  const columnsOf = async (sql: string) => {
    const result = await warehouse.query(sql);
    await result.close();
    return result.columns.map((c) => c.name);
  };

  it('names rewritten expressions as Redshift names what was written', async () => {
    expect(
      await columnsOf(
        "SELECT user_id + 1, nvl(level, 'x'), decode(level, 'paid', 1, 0), len(level), extract(year FROM timestamp 'epoch' + ts / 1000 * interval '1 second'), " +
          "level::varchar(10), CASE WHEN user_id > 1 THEN 'b' END, count(*) OVER (), 'x', User_Id, plays.level AS \"Level\", TRUE, dateadd(day, 1, '2020-01-01') FROM plays",
      ),
    ).toEqual(['?column?', 'coalesce', 'case', 'len', 'date_part', 'level', 'case', 'count', '?column?', 'user_id', 'level', 'bool', 'date_add']);
    expect(await columnsOf('SELECT *, ts / 1000 FROM plays')).toEqual(['user_id', 'level', 'ts', '?column?']);
  });

  it('prints them as table headers, and keeps duplicates apart as CSV headers and JSON keys, on both writers', async () => {
    const sql = "SELECT 1, 2, 'x' AS x, count(*) FROM plays";
    const text = async (format: OutputFormat) => {
      let out = '';
      await writeResult(await warehouse.query(sql), { format, write: (t) => void (out += t) });
      return out;
    };
    expect((await text('table')).split('\n')[1]).toMatch(/│ \?column\? │ \?column\? │ x │ count │/);
    expect((await text('csv')).split('\n')[0]).toBe('?column?,?column?_2,x,count');
    expect(JSON.parse(await text('json'))).toEqual([{ '?column?': 1, '?column?_2': 2, x: 'x', count: 2 }]);
    expect(JSON.parse(await text('jsonl'))).toEqual({ '?column?': 1, '?column?_2': 2, x: 'x', count: 2 });
    // DuckDB's own writer (sparkify query --format json|csv) gives the same names.
    const dir = mkdtempSync(join(tmpdir(), 'result-names-'));
    expect(await warehouse.copyTo(sql, 'json', join(dir, 'out.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))).toEqual([{ '?column?': 1, '?column?_2': 2, x: 'x', count: 2 }]);
    expect(await warehouse.copyTo(sql, 'csv', join(dir, 'out.csv'))).toBe(true);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8').split('\n')[0]).toBe('?column?,?column?_2,x,count');
  });

  it('makes every name unique without taking one a column already has', () => {
    expect(uniqueColumnNames(['a', 'a', 'a_2', 'a'])).toEqual(['a', 'a_3', 'a_2', 'a_4']);
  });
});
