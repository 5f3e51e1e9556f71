// `sparkify` and `sparkify setup`: the interactive workbench. Ink and React are
// loaded here and only here, behind a dynamic import, so one-shot commands
// never pay for them. Without a terminal the app would hang waiting for keys,
// so it explains the plain commands instead.
import { ExitCode, UsageError } from '../pipeline/errors.js';
import { colorEnabled } from '../ui/color.js';

const PLAIN_COMMANDS = `sparkify opens an interactive workbench, which needs a terminal (stdin and stdout a TTY).
Without one, use the plain commands:

  sparkify sample --out DIR            generate course-shaped sample data
  sparkify create-tables               create the schemas and tables
  sparkify etl                         load staging and transform into the star schema
  sparkify run                         create tables, load, transform and check
  sparkify query "SQL"                 run one query (--format table|csv|json|tsv)
  sparkify cluster --help              Redshift cluster lifecycle

Each takes --target local|redshift and the connection flags; \`sparkify <command> --help\` lists them.
Settings are read from $SPARKIFY_HOME/config.json (default ~/.sparkify); \`sparkify setup\` in a terminal writes it.
`;

export async function openApp(options: { setup?: boolean } = {}): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    // Asked to configure, with no one to answer: nothing was configured, and a script must not take that for success.
    if (options.setup) {
      throw new UsageError(
        'sparkify setup needs a terminal (stdin and stdout a TTY) to ask its questions: nothing was configured',
        'run it in a terminal; from a script, write $SPARKIFY_HOME/config.json (see the README) or import a dwh.cfg with `sparkify cluster import-config FILE`',
      );
    }
    process.stdout.write(PLAIN_COMMANDS);
    return ExitCode.ok;
  }
  // React's development build keeps debugging data for every render, so a long
  // session would grow without bound; React reads this when it is first loaded.
  process.env.NODE_ENV ??= 'production';
  // Ink draws only the last frame, at exit, when CI or CONTINUOUS_INTEGRATION
  // is set, which leaves an interactive screen blank. Both ends are a terminal
  // here, so someone is at it: Ink has to draw every frame. Ink reads these
  // when it is first loaded, just below.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  // Ink's colours come from chalk, which reads FORCE_COLOR when it is first
  // loaded but not NO_COLOR: one decision (ui/color.ts), handed to it here.
  if (!colorEnabled()) process.env.FORCE_COLOR = '0';
  const { runApp } = await import('../ui/app.js');
  const code = await runApp(options);
  const { offerPauseOnQuit } = await import('./cost-guard.js');
  await offerPauseOnQuit();
  return code;
}
