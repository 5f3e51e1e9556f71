// DuckDB's errors about functions and syntax it lacks, turned into the
// Redshift construct the statement used, for the one message the local
// engine gives: "the local warehouse does not support <construct>".
// DuckDB's wording and its "Did you mean ..." suggestions never reach people.

const TYPE_NAMES: Record<string, string> = {
  STRING_LITERAL: 'text', VARCHAR: 'text', INTEGER_LITERAL: 'integer', INTEGER: 'integer', BIGINT: 'bigint',
  SMALLINT: 'smallint', DOUBLE: 'double precision', FLOAT: 'real', BOOLEAN: 'boolean', DATE: 'date',
  TIMESTAMP: 'timestamp', 'TIMESTAMP WITH TIME ZONE': 'timestamptz', TIME: 'time', INTERVAL: 'interval', BLOB: 'varbyte',
};

const typeList = (types: string) =>
  types.split(',').map((t) => t.trim()).filter(Boolean).map((t) => TYPE_NAMES[t] ?? (/^DECIMAL/.test(t) ? 'numeric' : t.toLowerCase())).join(', ');

const PATTERNS: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/(?:Scalar|Aggregate|Table|Window)? ?Function with name "?(\w+)"? does not exist/i, (m) => `the function ${m[1].toUpperCase()}()`],
  [/No function matches the given name and argument types '(\w+)\((.*)\)'/, (m) => `${m[1].toUpperCase()}() with arguments of type (${typeList(m[2])})`],
  [/Could not choose a best candidate function for the function call "(\w+)\((.*)\)"/, (m) => `${m[1].toUpperCase()}() with arguments of type (${typeList(m[2])})`],
  [/Macro (\w+)\(\) does not support the supplied arguments/, (m) => `${m[1].toUpperCase()}() with these arguments`],
  [/Unknown ordered aggregate "(\w+)"/, (m) => `${m[1].toUpperCase()}(...) WITHIN GROUP`],
  [/Cannot use multiple ORDER BY clauses with WITHIN GROUP/, () => 'WITHIN GROUP ordered by more than one expression'],
  [/cannot use DISTINCT with WITHIN GROUP/i, () => 'DISTINCT with WITHIN GROUP'],
  [/Window function macros must be functions/, () => 'this function as a window function'],
  [/Type with name "?(\w+)"? does not exist/i, (m) => `the data type ${m[1].toUpperCase()}`],
];

/** The Redshift construct DuckDB's error is about, when it is about a function or form it lacks. */
export function unsupportedConstruct(engineMessage: string): string | undefined {
  for (const [pattern, construct] of PATTERNS) {
    const match = engineMessage.match(pattern);
    if (match) return construct(match);
  }
  return undefined;
}
