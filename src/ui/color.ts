// Whether the app draws colour (and reverse video, which goes with it): the
// conventions other terminal programs follow. FORCE_COLOR wins (0 or false
// turns colour off, anything else on); otherwise NO_COLOR (no-color.org)
// turns it off, and so does a terminal that cannot show it (TERM=dumb).
export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}

/** Colours the terminal shows: none, the 16 named ones, the 256 of xterm, or 24-bit. */
export type ColorDepth = 0 | 16 | 256 | 16_777_216;

/**
 * How many colours to draw with. Off as colorEnabled says; FORCE_COLOR 1, 2
 * and 3 ask for 16, 256 and 24-bit as chalk reads them; otherwise COLORTERM
 * (truecolor, 24bit) and a TERM that ends in 256color say what the terminal
 * shows, and 16 is safe everywhere else.
 */
export function colorDepth(env: NodeJS.ProcessEnv = process.env): ColorDepth {
  if (!colorEnabled(env)) return 0;
  const forced = { '1': 16, '2': 256, '3': 16_777_216 }[env.FORCE_COLOR ?? ''] as ColorDepth | undefined;
  if (forced) return forced;
  if (/^(truecolor|24bit)$/i.test(env.COLORTERM ?? '')) return 16_777_216;
  if (/256(colou?r)?$/i.test(env.TERM ?? '')) return 256;
  return 16;
}

/** The depth for drawing to `stream`: as colorDepth says on a terminal; elsewhere none unless FORCE_COLOR asks (chalk's rule). */
export function streamColorDepth(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): ColorDepth {
  return stream.isTTY === true || env.FORCE_COLOR !== undefined ? colorDepth(env) : 0;
}
