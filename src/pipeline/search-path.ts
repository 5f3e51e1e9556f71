// The schemas an unqualified name is looked up in, as Redshift's search_path:
// `analytics, staging, public` unless the config says otherwise, so
// `select count(*) from d_users` finds analytics.d_users.
export const DEFAULT_SEARCH_PATH: readonly string[] = ['analytics', 'staging', 'public'];

/** A search path as written in the config or by `SET search_path TO a, b` ("analytics, staging"). */
export function parseSearchPath(text: string): string[] {
  return text
    .split(',')
    .map((schema) => schema.trim().replace(/^"(.*)"$/, '$1'))
    .filter((schema) => schema !== '');
}

/**
 * The Redshift statement that sets the path to the schemas of `path` that
 * exist (`existing`, lower case): the local engine refuses a path naming a
 * schema not yet made (before `sparkify create-tables`). `public` always
 * exists. Undefined when none of them does.
 */
export function searchPathStatement(path: readonly string[], existing: ReadonlySet<string>): string | undefined {
  const present = path.filter((schema) => schema.toLowerCase() === 'public' || existing.has(schema.toLowerCase()));
  if (present.length === 0) return undefined;
  return `SET search_path TO ${present.map((schema) => (/^[a-z_][a-z0-9_$]*$/.test(schema) ? schema : `"${schema.replace(/"/g, '""')}"`)).join(', ')}`;
}
