// Errors of the local engine in Redshift's words, from real DuckDB failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlError } from '../src/pipeline/errors.js';
import { redshiftWording } from '../src/pipeline/sql/engine-errors.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';

describe('engine errors worded as Redshift words them', () => {
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    await warehouse.execute('CREATE SCHEMA s');
    await warehouse.execute('CREATE TABLE s.t (a INT NOT NULL, b VARCHAR)');
    await warehouse.execute('CREATE TABLE u (a INT)');
  });
  afterAll(async () => warehouse.close());

  const failure = async (sql: string): Promise<string> => {
    try {
      await warehouse.execute(sql);
    } catch (error) {
      expect(error).toBeInstanceOf(SqlError);
      return (error as Error).message;
    }
    throw new Error(`${sql} did not fail`);
  };

  it.each([
    ['SELECT * FROM Missing_Table', 'relation "missing_table" does not exist'],
    ['SELECT * FROM nope.t', 'schema "nope" does not exist'],
    ['DROP TABLE missing_table', 'Table "missing_table" does not exist'],
    ['CREATE TABLE u (a INT)', 'relation "u" already exists'],
    ['CREATE SCHEMA s', 'schema "s" already exists'],
    ['SELECT nocolumn FROM s.t', 'column "nocolumn" does not exist'],
    ['INSERT INTO s.t (a, c) VALUES (1, 2)', 'column "c" of relation "t" does not exist'],
    ['SELECT a FROM s.t JOIN u ON true', 'column reference "a" is ambiguous'],
    ['SELEC 1', 'syntax error at or near "SELEC"'],
    ["INSERT INTO s.t VALUES ('x', 'y')", 'invalid input syntax for integer: "x"'],
    ['INSERT INTO s.t (b) VALUES (\'y\')', 'Cannot insert a NULL value into column a'],
    ['SELECT b / 1000 FROM s.t', 'operator does not exist: character varying / integer'],
    ['SELECT nosuch.a FROM s.t', 'missing FROM-clause entry for table "nosuch"'],
    ['INSERT INTO s.t (a, b) VALUES (1)', 'INSERT has more target columns than expressions'],
    ["INSERT INTO s.t (a) VALUES (1, 'x')", 'INSERT has more expressions than target columns'],
    ["INSERT INTO s.t VALUES (1, 'x', 'z')", 'INSERT has more expressions than target columns'],
    ['INSERT INTO u (a) SELECT x.nocolumn FROM s.t x', 'column x.nocolumn does not exist'],
    ['SELECT nocolumn', 'column "nocolumn" does not exist'],
    ['SELECT 1 FROM s.t x JOIN u y USING (b)', 'column "b" specified in USING clause does not exist in right table'],
    ['SELECT a FROM u WHERE row_number() OVER () > 1', 'window functions are not allowed in WHERE'],
    // Overflows, as Redshift words them.
    ['SELECT 2147483647 + 1', 'Numeric data overflow (addition)'],
    ['SELECT CAST(-2147483647 AS INT) - 2', 'Numeric data overflow (subtraction)'],
    ['SELECT 65536 * 65536', 'Numeric data overflow (multiplication)'],
    ['SELECT 9223372036854775807 * 2', 'Numeric data overflow (multiplication)'],
    ['SELECT CAST(99999999999999999999999999999999999999 AS DECIMAL(38,0)) * 10', 'Numeric data overflow (multiplication)'],
    ['SELECT 99999::smallint', 'Overflow (Short valid range -32768 to 32767)'],
    ["SELECT '99999'::int2", 'Overflow (Short valid range -32768 to 32767)'],
    ['SELECT CAST(3000000000 AS INTEGER)', 'Overflow (Integer valid range -2147483648 to 2147483647)'],
    ['INSERT INTO u VALUES (3000000000)', 'Overflow (Integer valid range -2147483648 to 2147483647)'],
    ["SELECT '-3000000000'::int", 'Overflow (Integer valid range -2147483648 to 2147483647)'],
    ['SELECT 3.5e9::int4', 'Overflow (Integer valid range -2147483648 to 2147483647)'],
    ['SELECT 1e30::bigint', 'Overflow (Long valid range -9223372036854775808 to 9223372036854775807)'],
    ['SELECT 12345.678::numeric(5,2)', 'Numeric data overflow (result precision)'],
    ["SELECT '12345.678'::decimal(5,2)", 'Numeric data overflow (result precision)'],
    ['SELECT 1e40::decimal(38,0)', 'Numeric data overflow (result precision)'],
    // Text that is no number stays an input syntax error.
    ["SELECT '12x'::smallint", 'invalid input syntax for type smallint: "12x"'],
  ])('%s → %s', async (sql, message) => {
    const text = await failure(sql);
    expect(text).toBe(message);
  });

  it('never passes on DuckDB suggestions or error classes', () => {
    expect(redshiftWording('Catalog Error: unrecognized configuration parameter "datestyle"\n\nDid you mean: "late_materialization_max_rows"')).toBe(
      'unrecognized configuration parameter "datestyle"',
    );
    expect(redshiftWording('Binder Error: Something new\nCandidate bindings: "a"\n\nLINE 1: select\n ^')).toBe('Something new');
  });

  it('words a too deeply nested expression itself, with what to do instead of DuckDB setting', async () => {
    const deep = `SELECT ${Array.from({ length: 1200 }, () => '1').join(' + ')}`;
    const error = await warehouse.execute(deep).then(
      () => undefined,
      (e: unknown) => e as SqlError,
    );
    expect(error?.message).toBe('the statement nests expressions too deeply for the local warehouse');
    expect(error?.hint).toMatch(/^split the expression/);
    expect(`${error?.message} ${error?.hint}`).not.toMatch(/max_expression_depth|SET /);
  });

  it('leaves out DuckDB hints, its settings advice and nested error classes', () => {
    expect(redshiftWording('Invalid Input Error: Binder Error: Something new\n\nHINT: Try a DuckDB thing')).toBe('Something new');
    expect(redshiftWording('Invalid Input Error: Bad value in row 3. Consider setting ignore_errors = true to skip it.')).toBe('Bad value in row 3.');
    expect(redshiftWording('Binder Error: Could not find key "b" in struct\n\nCandidate Entries: "a"')).toBe('Could not find key "b" in struct');
    expect(redshiftWording('Out of Range Error: Too large. Use "SET max_expression_depth TO x" to increase it.')).toBe('Too large.');
  });

  it('names a search path schema that does not exist, and never words an error down to nothing', async () => {
    expect(await failure('SET search_path TO nope, public')).toBe('schema "nope" does not exist');
    expect(redshiftWording('Invalid Input Error: SET threads is not allowed here.')).toBe('SET threads is not allowed here.');
  });
});
