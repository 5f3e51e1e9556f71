// Redshift functions, operators and arithmetic on the local engine, beyond the
// documented examples of the corpus: the cases where DuckDB alone would give
// another answer, and the error contract for what the engine lacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { UnsupportedSqlError } from '../src/pipeline/errors.js';
import { SUPPORTED_FUNCTIONS } from '../src/pipeline/sql/functions.js';
import { similarToRegex } from '../src/pipeline/sql/operators.js';
import { normalizeDateTimeLiteral } from '../src/pipeline/sql/datetime-literals.js';
import type { SqlValue } from '../src/pipeline/warehouse/types.js';

let warehouse: DuckDbWarehouse;
beforeAll(async () => {
  warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
});
afterAll(async () => warehouse.close());

async function row(sql: string): Promise<SqlValue[]> {
  const result = await warehouse.query(sql);
  const rows: SqlValue[][] = [];
  for await (const page of result.pages()) rows.push(...page);
  return rows[0];
}

describe('arithmetic as on Redshift', () => {
  it('division and modulo by zero are errors, not NULL', async () => {
    await expect(row('SELECT 1/0')).rejects.toThrow('division by zero');
    await expect(row('SELECT 7 % (3 - 3)')).rejects.toThrow('division by zero');
    await expect(row('SELECT 1.5 / 0')).rejects.toThrow('division by zero');
    expect(await row('SELECT 10 / 4, -7 / 2, 7 / 2.0, 2 * (9 / (1 + 2))')).toEqual([2, -3, 3.5, 6]);
  });

  it('integer overflow is an error', async () => {
    await expect(row('SELECT 2147483647 + 1')).rejects.toThrow(/out of range|overflow/i);
  });

  it('TRUNC cuts a date or timestamp to its date and a number toward zero, by the type, not the name', async () => {
    await warehouse.execute('CREATE TABLE trunc_t (created_date DOUBLE PRECISION, n INTEGER, happened TIMESTAMP, tz TIMESTAMPTZ, d DATE, amount DECIMAL(8,3))');
    await warehouse.execute("INSERT INTO trunc_t VALUES (-3.7, 5, '2020-05-06 07:08:09', '2020-05-06 23:30:00+00', '2020-01-02', 12.345)");
    expect(await row('SELECT trunc(created_date), trunc(n), trunc(happened), trunc(tz), trunc(d), trunc(amount), trunc(amount, 1) FROM trunc_t')).toEqual(
      [-3, 5, '2020-05-06', '2020-05-06', '2020-01-02', '12', '12.3'],
    );
    expect(await row("SELECT trunc('2008-04-30 12:01:00'), trunc(getdate()) = CAST(getdate() AS DATE)")).toEqual(['2008-04-30', true]);
  });

  it('AVG of integers truncates to an integer; of decimals it does not', async () => {
    await warehouse.execute('CREATE TABLE avg_t (i INT, d DOUBLE PRECISION)');
    await warehouse.execute('INSERT INTO avg_t VALUES (1, 1), (2, 2)');
    expect(await row('SELECT avg(i), avg(d), avg(DISTINCT i) FROM avg_t')).toEqual([1, 1.5, 1]);
    expect(await row('SELECT avg(i) OVER (), avg(d) OVER () FROM avg_t')).toEqual([1, 1.5]);
  });

  it('AVG of integers is an integer, truncated toward zero, whatever prints it', async () => {
    const values = '(VALUES (50), (51), (53)) t(x)';
    const result = await warehouse.query(`SELECT avg(x), avg(-x), avg(x::float8) FROM ${values}`);
    expect(result.columns.map((c) => c.type)[0]).not.toMatch(/double|float|decimal/);
    await result.close();
    expect(await row(`SELECT avg(x), avg(-x), avg(DISTINCT x) FROM ${values}`)).toEqual([51, -51, 51]);
    expect(await row(`SELECT avg(x) OVER () FROM ${values} LIMIT 1`)).toEqual([51]);
    expect(await row(`SELECT CAST(avg(x) AS VARCHAR), CAST(sum(x) AS VARCHAR) FROM ${values}`)).toEqual(['51', '154']);
  });

  it('SUM of integers past the BIGINT range is an overflow error, as on Redshift; other sums keep their type', async () => {
    const big = '(VALUES (9223372036854775807::BIGINT), (1::BIGINT)) t(x)';
    await expect(row(`SELECT sum(x) FROM ${big}`)).rejects.toThrow('Numeric data overflow (addition)');
    await expect(row(`SELECT sum(x) OVER () FROM ${big}`)).rejects.toThrow('Numeric data overflow (addition)');
    expect(await row('SELECT sum(x) OVER w, avg(x) OVER w FROM (VALUES (1), (2)) t(x) WINDOW w AS ()')).toEqual([3, 1]);
    expect(await row('SELECT sum(x), sum(DISTINCT x) FROM (VALUES (2147483647), (2147483647), (1)) t(x)')).toEqual([4294967295, 2147483648]);
    expect(await row('SELECT sum(x), sum(y) FROM (VALUES (1.5, 0.25::float8), (2.25, 0.5::float8)) t(x, y)')).toEqual(['3.75', 0.75]);
  });
});

describe('conditionals and strings', () => {
  it('NVL takes any number of arguments; DECODE matches NULL to NULL', async () => {
    expect(await row("SELECT nvl(NULL, NULL, 'c'), decode(NULL, NULL, 'null', 'other'), decode(2, 1, 'one', 2, 'two')")).toEqual(['c', 'null', 'two']);
  });

  it('CONCAT with a NULL is NULL, as || is', async () => {
    expect(await row("SELECT concat('a', NULL), 'a' || NULL")).toEqual([null, null]);
  });

  it('SIMILAR TO reads SQL-standard patterns against the whole string', async () => {
    expect(await row("SELECT 'abc' SIMILAR TO 'a%', 'abc' SIMILAR TO 'b%', 'abc' NOT SIMILAR TO '%(b|x)%', 'a_c' SIMILAR TO 'a!_c' ESCAPE '!', 'abc' SIMILAR TO 'a.c'")).toEqual([
      true, false, false, true, false,
    ]);
    expect(similarToRegex('%E%|%H%')).toBe('^(?:.*E.*|.*H.*)$');
  });

  it('~ matches anywhere in the string; backslashes in literals escape', async () => {
    expect(await row("SELECT 'St. Pete' ~ '\\\\.', 'abc' ~ 'b', 'abc' !~ 'b', 'ABC' ~* 'b'")).toEqual([true, true, false, true]);
  });

  it('casts to VARCHAR(n) keep the first n characters', async () => {
    expect(await row("SELECT CAST('abcdef' AS VARCHAR(3)), CONVERT(VARCHAR(2), 'xyz'), CAST(12 AS INTEGER), 'abc'::varchar(2), ('x' || 'yz')::character varying(1)")).toEqual(['abc', 'xy', 12, 'ab', 'x']);
  });

  it('CRC32 is CRC-32C as on Redshift; SHA2 with 256 bits', async () => {
    expect(await row("SELECT crc32('Amazon Redshift'), sha2('abc', 256)")).toEqual(['f2726906', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad']);
  });
});

describe('format models', () => {
  it('TO_CHAR of numbers places digits, zeros, separators, sign and currency as the template says', async () => {
    expect(await row("SELECT to_char(125.8, '999.99'), to_char(12, '0009'), to_char(0.5, '9.99'), to_char(1234567.891, '9G999G999D99'), to_char(-125.88, '$999D99PR'), to_char(125, 'RN')")).toEqual([
      '125.80', '0012', '.50', '1,234,567.89', '$<125.88>', 'CXXV',
    ]);
  });

  it("TO_CHAR of a number with characters between its digits fails with our message instead of printing the template", async () => {
    await expect(row("SELECT to_char(5551234567, '999-999-9999')")).rejects.toThrow("the local warehouse does not support TO_CHAR of a number with the format '999-999-9999'");
    expect(await row("SELECT to_char(timestamp '2009-12-31 23:15:59', 'YYYY-MM-DD 99')")).toEqual(['2009-12-31 99']);
  });

  it('TO_CHAR, TO_DATE and TO_TIMESTAMP read datetime format models', async () => {
    expect(await row("SELECT to_char(timestamp '2009-12-31 23:15:59', 'FMMonth DD, YYYY'), to_char(timestamp '2009-12-31 23:15:59', 'Q WW IW HH AM'), to_date('20010210', 'YYYYMMDD'), to_timestamp('05 Dec 2000 14:05', 'DD Mon YYYY HH24:MI')")).toEqual([
      'December 31, 2009', '4 53 53 11 PM', '2001-02-10', '2000-12-05 14:05:00+00',
    ]);
  });
});

describe('dates and times', () => {
  it('reads the date forms Redshift reads', () => {
    expect(normalizeDateTimeLiteral('20200430 04:05:06.789', 'timestamp')).toBe('2020-04-30 04:05:06.789');
    expect(normalizeDateTimeLiteral('12/24/2003', 'date')).toBe('2003-12-24');
    expect(normalizeDateTimeLiteral('Jun 1,2008 09:59:59 EST', 'timestamptz')).toBe('2008-06-01 09:59:59-05:00');
    expect(normalizeDateTimeLiteral('2008-01-01', 'timestamp')).toBe('2008-01-01 00:00:00');
    expect(normalizeDateTimeLiteral('now', 'timestamp')).toBeUndefined();
  });

  it('DATEDIFF with string arguments and every date part', async () => {
    expect(await row("SELECT datediff(year, '2008-12-31', '2009-01-01'), datediff(qtr, '2008-01-01', '2008-12-31'), datediff(mon, '2008-01-31', '2008-02-01'), datediff(w, '2009-01-01', '2009-12-31'), datediff(d, '2008-01-01', '2008-03-01'), datediff(h, '2009-01-01 08:30:00', '2009-01-01 10:00:00'), datediff(min, '2009-01-01 08:30:00', '2009-01-01 08:31:59'), datediff(s, '2009-01-01 08:30:00', '2009-01-01 08:31:00'), datediff(ms, '2009-01-01 08:30:00', '2009-01-01 08:30:01')")).toEqual([
      1, 3, 1, 52, 60, 2, 1, 60, 1000,
    ]);
  });

  it('ADD_MONTHS keeps the end of the month; DATEADD does not', async () => {
    expect(await row("SELECT add_months('2008-04-30', 1), dateadd(month, 1, '2008-04-30'), add_months('2008-01-31', 1)")).toEqual([
      '2008-05-31 00:00:00', '2008-05-30 00:00:00', '2008-02-29 00:00:00',
    ]);
  });

  it('an unknown date part is refused by name', () => {
    return expect(row('SELECT dateadd(fortnight, 1, getdate())')).rejects.toThrow("the local warehouse does not support the date part 'fortnight' in DATEADD");
  });
});

describe('the error contract', () => {
  it('a function the local engine lacks is named, in our words, without DuckDB suggestions', async () => {
    const error = await row("SELECT fnv_hash('x')").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedSqlError);
    expect((error as Error).message).toBe('the local warehouse does not support the function FNV_HASH()');
    expect((error as Error).message).not.toMatch(/Did you mean|Catalog Error/);
  });

  it('a function called with arguments it cannot take names the types', async () => {
    const error = await row('SELECT strpos(1, 2, 3)').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedSqlError);
    expect((error as Error).message).toMatch(/^the local warehouse does not support STRPOS\(\) with arguments of type \(integer, integer, integer\)$/);
  });

  it('Redshift constructs DuckDB lacks are refused by name: (+) joins, CONNECT BY, SUPER columns', async () => {
    await expect(row('SELECT 1 FROM (SELECT 1 AS a) x, (SELECT 1 AS a) y WHERE x.a = y.a(+)')).rejects.toThrow('does not support the outer join operator (+)');
    await expect(row('SELECT 1 FROM t START WITH a = 1 CONNECT BY PRIOR a = b')).rejects.toThrow('does not support CONNECT BY');
    await expect(warehouse.execute('CREATE TABLE super_t (s SUPER)')).rejects.toThrow('the local warehouse does not support the data type SUPER');
  });

  it("lookahead in a pattern without 'p' is refused by name, as Redshift reads it only as Perl-compatible", async () => {
    await expect(row("SELECT regexp_count('a1', '(?=a)a', 1)")).rejects.toThrow(/does not support lookahead and lookbehind in REGEXP_COUNT patterns without the 'p' parameter/);
  });
});

describe('TRUNC of an aggregate or a window', () => {
  it('cuts the timestamp an aggregate or window picks to its date, and a number an aggregate gives to an integer', async () => {
    const stamps = "(SELECT TIMESTAMP '2018-11-01 20:57:10' AS ts, 2.7 AS x UNION ALL SELECT TIMESTAMP '2018-11-03 01:00:00', 4.9)";
    expect(await row(`SELECT TRUNC(MIN(ts)), TRUNC(MAX(ts)), TRUNC(AVG(x)), TRUNC(SUM(x)) FROM ${stamps} s`)).toEqual(['2018-11-01', '2018-11-03', 3, '7']);
    expect(await row(`SELECT TRUNC(LAG(ts, 1) OVER (ORDER BY ts)) FROM ${stamps} s ORDER BY ts DESC LIMIT 1`)).toEqual(['2018-11-01']);
  });
});

describe("REGEXP_* with 'p': Perl-compatible lookahead and lookbehind", () => {
  // Words that hold a letter and a digit; the digits after a '$'.
  const S = "'x1 yy 2z w3w $45 $6'";
  it('counts, finds, cuts and replaces the matches from a position, case-sensitive unless i', async () => {
    expect(await row(`SELECT regexp_count(${S}, '(?=[^ ]*[a-z])(?=[^ ]*[0-9])[^ ]+', 1, 'p')`)).toEqual([3]);
    expect(await row(`SELECT regexp_count(${S}, '(?=[^ ]*[a-z])(?=[^ ]*[0-9])[^ ]+', 4, 'p')`)).toEqual([2]);
    expect(await row(`SELECT regexp_count(upper(${S}), '(?=[^ ]*[a-z])[^ ]+', 1, 'p'), regexp_count(upper(${S}), '(?=[^ ]*[a-z])[^ ]+', 1, 'ip')`)).toEqual([0, 4]);
    expect(await row(`SELECT regexp_substr(${S}, '(?<=[$])[0-9]+', 1, 2, 'p'), regexp_substr(${S}, '(?<=[$])[0-9]+', 1, 3, 'p')`)).toEqual(['6', '']);
    expect(await row(`SELECT regexp_substr(${S}, '(?<=[$])([0-9])[0-9]', 1, 1, 'pe')`)).toEqual(['4']);
    // 'w3w' starts at 10 and ends before 13; '$45' is at 14, its digits from 15.
    expect(await row(`SELECT regexp_instr(${S}, '(?=[^ ]*[0-9])w[^ ]*', 1, 1, 0, 'p'), regexp_instr(${S}, '(?=[^ ]*[0-9])w[^ ]*', 1, 1, 1, 'p')`)).toEqual([10, 13]);
    expect(await row(`SELECT regexp_instr(${S}, '(?<=[$])[0-9]+', 10, 1, 0, 'p'), regexp_instr(${S}, '(?<=[$])[0-9]+', 1, 3, 0, 'p')`)).toEqual([15, 0]);
    expect(await row(`SELECT regexp_replace(${S}, '(?<=[$])([0-9]+)', '<\\\\1>', 1, 'p')`)).toEqual(['x1 yy 2z w3w $<45> $<6>']);
    expect(await row(`SELECT regexp_replace(${S}, '(?=[^ ]*[0-9])[a-z]+[0-9]*', '#', 5, 'p')`)).toEqual(['x1 yy 2z #w $45 $6']);
  });

  it('runs over the rows of a table, NULL giving NULL', async () => {
    await warehouse.execute('CREATE TABLE pcre_words AS SELECT * FROM (VALUES (1, \'ab1\'), (2, \'cd\'), (3, NULL)) AS t(n, w)');
    const result = await warehouse.query("SELECT n, regexp_count(w, '(?=.*[0-9])[a-z]', 1, 'p') AS c FROM pcre_words ORDER BY n");
    const rows: SqlValue[][] = [];
    for await (const page of result.pages()) rows.push(...page);
    expect(rows).toEqual([[1, 2], [2, 0], [3, null]]);
  });
});

describe('the list of supported functions', () => {
  it('names each function once with its kind and signature, for completion', () => {
    const names = SUPPORTED_FUNCTIONS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['DATEADD', 'DATEDIFF', 'TO_CHAR', 'LISTAGG', 'NVL', 'JSON_EXTRACT_PATH_TEXT', 'REGEXP_SUBSTR', 'MEDIAN'.replace('MEDIAN', 'PERCENTILE_CONT')]) {
      expect(names).toContain(name);
    }
    expect(SUPPORTED_FUNCTIONS.find((f) => f.name === 'LISTAGG')).toMatchObject({ kind: 'aggregate' });
  });
});
