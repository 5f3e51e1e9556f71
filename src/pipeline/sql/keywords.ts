// The SQL words the prompt knows as keywords: Redshift's statement and clause
// words and type names that the local engine takes too. Highlighting colours
// them and completion offers them; functions come from the twin's list
// (functions.ts), not from here.
export const SQL_KEYWORDS: readonly string[] = [
  'ALL', 'ALTER', 'ANALYZE', 'AND', 'ANY', 'AS', 'ASC', 'BEGIN', 'BETWEEN', 'BIGINT', 'BOOLEAN', 'BOTH', 'BY', 'CASE',
  'CHAR', 'COMMIT', 'CREATE', 'CROSS', 'CURRENT_TIMESTAMP', 'DATE', 'DECIMAL', 'DEFAULT', 'DELETE', 'DESC', 'DISTINCT',
  'DOUBLE', 'DROP', 'ELSE', 'END', 'ESCAPE', 'EXCEPT', 'EXISTS', 'EXPLAIN', 'FALSE', 'FIRST', 'FLOAT', 'FOLLOWING',
  'FOR', 'FROM', 'FULL', 'GROUP', 'HAVING', 'IF', 'ILIKE', 'IN', 'INNER', 'INSERT', 'INTEGER', 'INTERSECT', 'INTERVAL',
  'INTO', 'IS', 'JOIN', 'LAST', 'LATERAL', 'LEFT', 'LIKE', 'LIMIT', 'NATURAL', 'NOT', 'NULL', 'NULLS', 'NUMERIC',
  'OFFSET', 'ON', 'OR', 'ORDER', 'OUTER', 'OVER', 'PARTITION', 'PRECEDING', 'PRECISION', 'REAL', 'RIGHT', 'ROLLBACK',
  'ROWS', 'SCHEMA', 'SELECT', 'SET', 'SHOW', 'SIMILAR', 'SMALLINT', 'SOME', 'TABLE', 'TEMP', 'TEMPORARY', 'THEN',
  'TIME', 'TIMESTAMP', 'TIMESTAMPTZ', 'TO', 'TOP', 'TRUE', 'TRUNCATE', 'UNBOUNDED', 'UNION', 'UPDATE', 'USING',
  'VALUES', 'VARCHAR', 'VIEW', 'WHEN', 'WHERE', 'WINDOW', 'WITH', 'ZONE',
];

const KEYWORD_SET: ReadonlySet<string> = new Set(SQL_KEYWORDS);

/** True for a word (any case) that is one of the keywords. */
export function isKeyword(word: string): boolean {
  return KEYWORD_SET.has(word.toUpperCase());
}
