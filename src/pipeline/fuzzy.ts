// Fuzzy matching of what is typed against a name, as completion menus do:
// a prefix beats a match at the start of a word part (after _ or .), which
// beats the letters in order anywhere; closer letters beat scattered ones.

const TIER = 10_000;
const WORD_BOUNDARY = /[_.\s]/;

/** Higher is better; undefined when the letters of `query` are not in `name` in order. Case is ignored. */
export function fuzzyScore(query: string, name: string): number | undefined {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  if (q === '' || n.startsWith(q)) return 3 * TIER;
  for (let i = 1; i < n.length; i++) {
    if (WORD_BOUNDARY.test(n[i - 1]) && n.startsWith(q, i)) return 2 * TIER - Math.min(i, TIER - 1);
  }
  let matched = 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < n.length && matched < q.length; i++) {
    if (n[i] !== q[matched]) continue;
    if (first === -1) first = i;
    last = i;
    matched++;
  }
  if (matched < q.length) return undefined;
  // The tighter the letters sit, the better; an early first letter breaks ties.
  const spread = last - first + 1 - q.length;
  return TIER - Math.min(spread * 16 + first, TIER - 1);
}
