// The SQL prompt's EXPLAIN view in a real terminal (tmux, the built CLI), on
// both targets: the local file, and Redshift through the fake Data API started
// here (the real SDK in the CLI talking to it over loopback). On the local
// target, `sparkify query` from a second terminal succeeds while the app is
// open and idle on the prompt.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { hasTmux, openTerminal, tempHome, type Terminal } from './helpers/tmux.js';
import { fakeAwsEnv, startDataApi, type DataApiHarness } from './fakes/aws/data-api-harness.js';
import { STAR_JOIN as JOIN, STAR_SCHEMA_WITH_STORAGE as SCHEMA } from './helpers/star-storage.js';

const open: Terminal[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.kill();
});
afterAll(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function homeWith(config: object): string {
  const { home, remove } = tempHome();
  cleanups.push(remove);
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'config.json'), JSON.stringify(config), { mode: 0o600 });
  return home;
}

async function seed(env: Record<string, string>): Promise<void> {
  for (const sql of SCHEMA) {
    const result = await runCli(['query', sql], { env });
    expect(result.code, result.stderr).toBe(0);
  }
}

/** The app on its SQL prompt. */
async function sqlPrompt(env: Record<string, string>): Promise<Terminal> {
  const t = openTerminal({ env, width: 160, height: 45 });
  open.push(t);
  await t.waitFor('p runs the pipeline');
  t.send('s');
  await t.waitFor('sql>');
  return t;
}

describe.skipIf(!hasTmux())('EXPLAIN in a real terminal', () => {
  it('on the local target: Ctrl-P draws the tree, and `sparkify query` from a second terminal succeeds while the app is open and idle', async () => {
    const home = homeWith({ target: 'local', sources: {}, redshift: {} });
    const env = { SPARKIFY_HOME: home };
    await seed(env);
    const t = await sqlPrompt(env);
    t.type(JOIN);
    t.send('C-p');
    const screen = await t.waitFor('Plan on the local engine');
    expect(screen).toMatch(/└─ HASH_JOIN/);
    expect(screen).toMatch(/[├└]─ SEQ_SCAN analytics\.f_songplays/);
    t.send('Escape');
    await t.waitFor((s) => !s.includes('Plan on the local engine'));

    const second = await runCli(['query', 'SELECT count(*) AS plays FROM analytics.f_songplays'], { env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/│\s+2000 │/);
    // The app is still there and still takes statements.
    t.send('C-u');
    // tmux reads a lone trailing ; as its own command separator: it is typed escaped.
    t.type('SELECT 40 + 2 AS answer');
    t.type('\\;');
    t.send('Enter');
    await t.waitFor(/answer[\s\S]*42/);
  });

  describe('on the Redshift target (the fake Data API)', () => {
    let harness: DataApiHarness;
    beforeAll(async () => {
      harness = await startDataApi({ clusters: { c: {} } });
    });
    afterAll(async () => harness?.close());

    it('\\explain marks the distribution steps and shows DISTKEY/SORTKEY beside each table', async () => {
      const home = homeWith({ target: 'redshift', sources: {}, redshift: { clusterIdentifier: 'c', database: 'dev', dbUser: 'awsuser', region: 'us-west-2' } });
      const env = fakeAwsEnv(home, harness.url);
      await seed(env);
      const t = await sqlPrompt(env);
      t.type(`\\explain ${JOIN}`);
      t.send('Enter');
      const screen = await t.waitFor('Plan on the Redshift', { timeoutMs: 30_000 });
      expect(screen).toContain('1 join move data between nodes');
      expect(screen).toMatch(/✓ DS_DIST_ALL_NONE: no data moves/);
      expect(screen).toMatch(/⚠ DS_BCAST_INNER: the whole inner table is copied to every node/);
      expect(screen).toMatch(/XN Seq Scan on f_songplays\s+\[DISTKEY start_time · SORTKEY start_time\]/);
      expect(screen).toMatch(/XN Seq Scan on d_users\s+\[DISTSTYLE ALL · SORTKEY user_id\]/);
    });
  });
});
