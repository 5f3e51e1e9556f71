import { describe, expect, it } from 'vitest';
import { classify, commandTag, isNestableQuery } from '../src/pipeline/sql/classify.js';
import { copyTable, parseCopy } from '../src/pipeline/sql/copy.js';
import { UnsupportedSqlError } from '../src/pipeline/errors.js';
import { splitStatements, stripLeadingComments, tokenize } from '../src/pipeline/sql/tokenizer.js';
import { closingParen, openingParen, skipParens } from '../src/pipeline/sql/tokens.js';

describe('the statement splitter', () => {
  it('splits on semicolons outside strings and comments and names statements', () => {
    const statements = splitStatements("-- header\n\n-- name: first\nSELECT ';' ;\n/* ; */ -- name: second\nSELECT 2;;");
    expect(statements).toEqual([
      { name: 'first', sql: "SELECT ';'", line: 4 },
      { name: 'second', sql: 'SELECT 2', line: 6 },
    ]);
  });

  it("keeps each statement's first line of code in the file", () => {
    const script = [
      '-- create_tables.py, as SQL',
      'DROP TABLE IF EXISTS staging_events;',
      '',
      '/* a comment;',
      '   over lines */',
      'CREATE TABLE staging_events (',
      "  note VARCHAR DEFAULT 'a;b' -- why; not",
      ');  SELECT 1;',
      '',
    ].join('\n');
    expect(splitStatements(script).map((s) => [s.line, stripLeadingComments(s.sql).split('\n')[0]])).toEqual([
      [2, 'DROP TABLE IF EXISTS staging_events'],
      [6, 'CREATE TABLE staging_events ('],
      [8, 'SELECT 1'],
    ]);
  });

  it('takes a dollar-quoted body as one string', () => {
    expect(tokenize('SELECT $$a;b$$, $fn$ x; $$ y $fn$').filter((t) => t.type === 'string').map((t) => t.text)).toEqual(['$$a;b$$', '$fn$ x; $$ y $fn$']);
    expect(splitStatements("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT 2")).toHaveLength(2);
  });
});

describe('parenthesis walks on tokens', () => {
  it('find the matching parenthesis either way, past strings and comments that hold parentheses', () => {
    const tokens = tokenize("f(a, g(')'), /* ( */ b) + (c");
    const at = (text: string, from = 0) => tokens.findIndex((t, i) => i >= from && t.text === text);
    const open = at('(');
    const close = closingParen(tokens, open);
    expect(tokens[close + 1]?.text).toBe(' ');
    expect(openingParen(tokens, close)).toBe(open);
    expect(skipParens(tokens, open)).toBe(close + 1);
    const unclosed = at('(', close + 1);
    expect(closingParen(tokens, unclosed)).toBe(-1);
    expect(skipParens(tokens, unclosed)).toBe(tokens.length);
    expect(openingParen(tokens, at(')', open + 4))).toBe(at('(', open + 1));
  });
});

describe('classify', () => {
  it.each([
    ['SELECT 1', 'read', 'SELECT'],
    ['-- lead\n(SELECT 1) UNION (SELECT 2)', 'read', 'SELECT'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'read', 'SELECT'],
    ['WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', 'dml', 'INSERT'],
    ['SELECT a INTO new_t FROM t', 'ddl', 'SELECT'],
    ["SELECT 'into' FROM t", 'read', 'SELECT'],
    ['insert into songplays (a) select 1', 'dml', 'INSERT'],
    ['DELETE FROM t', 'dml', 'DELETE'],
    ["COPY t FROM 's3://b/k' JSON 'auto'", 'copy', 'COPY'],
    ['CREATE TABLE IF NOT EXISTS t (a int)', 'ddl', 'CREATE TABLE'],
    ['CREATE TEMP TABLE t (a int)', 'ddl', 'CREATE TABLE'],
    ['CREATE OR REPLACE VIEW v AS SELECT 1', 'ddl', 'CREATE VIEW'],
    ['CREATE TABLE t AS SELECT 1', 'ddl', 'SELECT'],
    ['CREATE MATERIALIZED VIEW m AS SELECT 1', 'ddl', 'CREATE MATERIALIZED VIEW'],
    ['DROP TABLE IF EXISTS t', 'ddl', 'DROP TABLE'],
    ['TRUNCATE t', 'ddl', 'TRUNCATE TABLE'],
    ['begin', 'transaction', 'BEGIN'],
    ['END TRANSACTION', 'transaction', 'COMMIT'],
    ['ABORT', 'transaction', 'ROLLBACK'],
    ['SET search_path TO analytics', 'set', 'SET'],
    ['ANALYZE t', 'other', 'ANALYZE'],
  ])('%s is %s (%s)', (sql, kind, command) => {
    expect(classify(sql)).toEqual({ kind, command });
  });

  it('tells a query that can stand as a subquery from the reads that cannot', () => {
    for (const sql of ['SELECT 1', '  -- a note\n with x AS (SELECT 1) SELECT * FROM x', '(SELECT 1) UNION (SELECT 2)', 'VALUES (1), (2)', 'TABLE t', '/* c */ select 1']) {
      expect(isNestableQuery(sql), sql).toBe(true);
    }
    for (const sql of ['SHOW search_path', 'EXPLAIN SELECT 1', 'DESCRIBE t', 'SELECT 1 INTO t2', 'WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', 'PRAGMA version', "COPY t FROM 'x'"]) {
      expect(isNestableQuery(sql), sql).toBe(false);
    }
  });

  it('words command tags as psql does', () => {
    expect(commandTag(classify('INSERT INTO t VALUES (1)'), 8056)).toBe('INSERT 0 8056');
    expect(commandTag(classify('DELETE FROM t'), 12)).toBe('DELETE 12');
    expect(commandTag(classify("COPY t FROM 'x'"), 71)).toBe('COPY 71');
    expect(commandTag(classify('CREATE TABLE t (a int)'), null)).toBe('CREATE TABLE');
    expect(commandTag(classify('CREATE TABLE t (a int)'), 0)).toBe('CREATE TABLE');
    expect(commandTag(classify('CREATE TABLE t AS SELECT 1'), 1)).toBe('SELECT 1');
  });
});

describe('the COPY parser', () => {
  it('reads a course COPY with CREDENTIALS, a jsonpaths file and a region', () => {
    expect(
      parseCopy("COPY staging_events FROM 's3://udacity-dend/log_data'\n  CREDENTIALS 'aws_iam_role=arn:aws:iam::1:role/r'\n  FORMAT AS JSON 's3://udacity-dend/log_json_path.json' REGION 'us-west-2'"),
    ).toEqual({
      table: 'staging_events',
      columns: undefined,
      source: 's3://udacity-dend/log_data',
      format: { kind: 'jsonpaths', path: 's3://udacity-dend/log_json_path.json' },
      maxError: 0,
      region: 'us-west-2',
    });
  });

  it('reads quoted schema-qualified names, column lists, IAM_ROLE DEFAULT and MAXERROR AS', () => {
    expect(parseCopy('copy "staging"."s_songs" ("A", b) from \'/x\' iam_role default json \'auto ignorecase\' maxerror as 5')).toMatchObject({
      table: 'staging.s_songs',
      columns: ['a', 'b'],
      format: { kind: 'auto', ignoreCase: true },
      maxError: 5,
    });
  });

  it('names what it cannot read', () => {
    expect(() => parseCopy("COPY t (a) JSON 'auto'")).toThrow(/COPY without FROM/);
    expect(() => parseCopy("COPY t FROM 'x' MAXERROR lots")).toThrow(/COPY MAXERROR lots/);
    expect(() => parseCopy("COPY t FROM 'x' WITHOUT_SUCH_OPTION")).toThrow(/COPY option WITHOUT_SUCH_OPTION/);
  });

  it("answers Redshift's syntax error where a value is not a string literal: a double-quoted \"auto\", a bare ARN, a quoted source", () => {
    const error = (sql: string) => {
      try {
        parseCopy(sql);
      } catch (e) {
        return e instanceof UnsupportedSqlError ? `unsupported: ${e.message}` : (e as Error).message;
      }
      return 'parsed';
    };
    expect(error(`COPY t FROM 's3://b/x' IAM_ROLE 'r' JSON AS "auto"`)).toBe('syntax error at or near ""auto""');
    expect(error(`COPY t FROM 's3://b/x' IAM_ROLE 'r' FORMAT AS JSON "auto ignorecase"`)).toBe('syntax error at or near ""auto ignorecase""');
    expect(error(`COPY t FROM 's3://b/x' IAM_ROLE "r" JSON 'auto'`)).toBe('syntax error at or near ""r""');
    expect(error(`COPY t FROM 's3://b/x' IAM_ROLE arn:aws:iam::1:role/r JSON 'auto'`)).toBe('syntax error at or near "arn"');
    expect(error(`COPY t FROM "s3://b/x" JSON 'auto'`)).toBe('syntax error at or near ""s3://b/x""');
    expect(error(`COPY t FROM x`)).toBe('syntax error at or near "x"');
    expect(error(`COPY t FROM 's3://b/x' JSON AS auto`)).toBe('syntax error at or near "auto"');
    expect(error(`COPY t FROM 's3://b/x' JSON 'auto' TIMEFORMAT AS "epochmillisecs"`)).toBe('syntax error at or near ""epochmillisecs""');
    expect(error(`COPY t FROM 's3://b/x' JSON 'auto' REGION`)).toBe('syntax error at end of input');
    // What the reference allows still parses: any case inside the quotes, AS or not, JSON with no argument.
    expect(parseCopy(`COPY t FROM 's3://b/x' JSON AS 'AUTO' TIMEFORMAT 'epochmillisecs'`).format).toEqual({ kind: 'auto', ignoreCase: false });
    expect(parseCopy(`COPY t FROM 's3://b/x' FORMAT JSON REGION AS 'us-west-2'`)).toMatchObject({ format: { kind: 'auto', ignoreCase: false }, region: 'us-west-2' });
  });

  it('finds the table a COPY loads, and none for other statements', () => {
    expect(copyTable('COPY staging.s_events FROM x')).toBe('staging.s_events');
    expect(copyTable('-- name: load\ncopy "staging"."s_songs" from x')).toBe('staging.s_songs');
    expect(copyTable('/* c */ COPY public.t (a) FROM x')).toBe('public.t');
    expect(copyTable('SELECT 1')).toBeUndefined();
  });
});
