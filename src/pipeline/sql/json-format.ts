// The keyword arguments of COPY ... FORMAT AS JSON, which are not file names:
// 'auto' (keys by column name), 'auto ignorecase' (whatever their case) and
// 'noshred' (a SUPER column). Anything else names a jsonpaths file. Wherever a
// jsonpaths setting is taken (a flag, the config, the wizard), a keyword is kept
// as it is, never made a path against a folder.

export type JsonKeyword = 'auto' | 'auto ignorecase' | 'noshred';

const KEYWORDS: readonly JsonKeyword[] = ['auto', 'auto ignorecase', 'noshred'];

/** The keyword `value` is, as COPY reads it (case and blanks aside), or undefined for a jsonpaths file. */
export function jsonKeyword(value: string | undefined): JsonKeyword | undefined {
  if (value === undefined) return undefined;
  const word = value.trim().replace(/\s+/g, ' ').toLowerCase();
  return KEYWORDS.find((keyword) => keyword === word);
}
