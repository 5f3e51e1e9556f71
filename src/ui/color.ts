// Whether the app draws colour (and reverse video, which goes with it): the
// conventions other terminal programs follow. FORCE_COLOR wins (0 or false
// turns colour off, anything else on); otherwise NO_COLOR (no-color.org)
// turns it off, and so does a terminal that cannot show it (TERM=dumb).
export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}
