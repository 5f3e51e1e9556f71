// The interactive app on the Redshift target, end to end: the built CLI in a
// real 80x24 terminal (tmux), from an empty SPARKIFY_HOME, against the fake
// AWS services started in this process on a loopback port (Data API with a
// per-statement latency, STS, the Redshift control plane), with the course
// bucket mapped to the course data.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_DATA, COURSE_TABLE_ROWS, runCli } from './helpers/cli.js';
import { CLI, REPO_ROOT, exitCodeOf, hasTmux, openTerminal, tempHome, type Terminal } from './helpers/tmux.js';
import { runPipeline } from './helpers/wizard.js';
import type { DataApiFake } from './fakes/aws/data-api.js';
import { fakeAwsEnv } from './fakes/aws/data-api-harness.js';
import { startFakeAws, type RunningFake } from './fakes/aws/server.js';
import { controlPlaneState, createAllServices } from './fakes/aws/services.js';

const ROLE = 'arn:aws:iam::123456789012:role/sparkify-s3-read';
/** Each statement waits in SUBMITTED and PICKED, then runs a few hundred ms, as on a busy cluster. */
const BUSY_CLUSTER = { latencyMs: 300, stateDelayMs: 250 };
const SPINNER = '[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]';
/** A running statement on the pipeline screen: spinner, name, elapsed time, Data API status. */
const RUNNING_LINE = new RegExp(`^${SPINNER} (.+?) (\\d+\\.\\ds) (SUBMITTED|PICKED|STARTED)$`, 'gm');

let fake: RunningFake;
let dataApi: DataApiFake;
const open: Terminal[] = [];
const cleanups: (() => void)[] = [];
/** Rows per table after the same pipeline on the local warehouse over the same files. */
let localRows: Record<string, number>;

function freshHome(): string {
  const { home, remove } = tempHome();
  cleanups.push(remove);
  return home;
}

/** The fake, test credentials, and nothing from this machine's own AWS setup. */
function awsEnv(home: string): Record<string, string> {
  return fakeAwsEnv(home, fake.url);
}

function terminal(home: string): Terminal {
  const t = openTerminal({ env: awsEnv(home) });
  open.push(t);
  return t;
}

/** `  analytics.d_users      97` lines of a summary (the app's or the plain reporter's). */
function tableRows(text: string): Record<string, number> {
  return Object.fromEntries(
    [...text.matchAll(/^ +((?:staging|analytics)\.\w+) +([\d,]+)$/gm)].map((m) => [m[1], Number(m[2].replace(/,/g, ''))]),
  );
}

/** Answers the wizard for an existing provisioned cluster on the course bucket, up to the checks. */
async function answerExistingCluster(t: Terminal, clusterId: string): Promise<void> {
  await t.waitFor('Where should the star schema live?');
  t.send('Down');
  await t.waitFor('❯ Existing Redshift cluster or Serverless workgroup');
  t.send('Enter');
  await t.waitFor('› us-west-2');
  t.send('Enter');
  await t.waitFor('Which AWS credentials?');
  t.send('Enter');
  // The list of what the credentials see ends with "type its name"; credentials that see nothing get no list.
  const next = await t.waitFor((screen) => screen.includes('Which cluster or workgroup?') || screen.includes('❯ Provisioned cluster'));
  if (next.includes('Which cluster or workgroup?')) {
    t.send('Up');
    await t.waitFor('❯ Another one: type its name');
    t.send('Enter');
  }
  await t.waitFor('❯ Provisioned cluster');
  t.send('Enter');
  await t.waitFor('Cluster identifier');
  t.type(clusterId);
  await t.waitFor(`› ${clusterId}`);
  t.send('Enter');
  await t.waitFor('› dev');
  t.send('Enter');
  await t.waitFor('❯ A database user (temporary credentials)');
  t.send('Enter');
  // The usual admin user comes filled in: Enter takes it.
  await t.waitFor('› awsuser');
  t.send('Enter');
  await t.waitFor('› s3://udacity-dend/song_data');
  t.send('Enter');
  await t.waitFor('› s3://udacity-dend/log_data');
  t.send('Enter');
  await t.waitFor('› s3://udacity-dend/log_json_path.json');
  t.send('Enter');
  await t.waitFor('IAM role Redshift assumes');
  t.type(ROLE);
  await t.waitFor(ROLE);
  t.send('Enter');
}

/** The wizard for an existing cluster, through checks that pass, to the home screen. */
async function setupExistingCluster(t: Terminal, clusterId: string): Promise<void> {
  await answerExistingCluster(t, clusterId);
  await t.waitFor('p runs the pipeline', { timeoutMs: 30_000 });
}

/** Polls the screen until `done` shows, gathering every Data API status seen on a running statement. */
async function watchRun(t: Terminal, done: string, timeoutMs = 120_000): Promise<{ statuses: Set<string>; statements: Set<string> }> {
  const statuses = new Set<string>();
  const statements = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const screen = t.capture();
    for (const m of screen.matchAll(RUNNING_LINE)) {
      statements.add(m[1]);
      statuses.add(m[3]);
    }
    if (screen.includes(done)) return { statuses, statements };
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${done}; the screen was:\n${screen}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

beforeAll(async () => {
  if (!existsSync(CLI)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
  const services = createAllServices({
    dataApi: { buckets: { 'udacity-dend': COURSE_DATA }, ...BUSY_CLUSTER },
    controlPlane: { stateDelayMs: 1500 },
  });
  dataApi = services[0] as DataApiFake;
  controlPlaneState(services).addCluster('sparkify-dwh', { region: 'us-west-2', iamRoles: [ROLE] });
  fake = await startFakeAws({ services });

  const home = freshHome();
  const local = await runCli(
    ['run', '--target', 'local', '--database-file', join(home, 'warehouse.duckdb'), '--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data')],
    { env: { SPARKIFY_HOME: home } },
  );
  expect(local.code, local.stderr).toBe(0);
  localRows = tableRows(local.stderr);
  expect(Object.keys(localRows)).toHaveLength(7);
}, 120_000);

afterEach(() => {
  for (const t of open.splice(0)) t.kill();
  dataApi.configure({ rules: [], ...BUSY_CLUSTER });
});

afterAll(async () => {
  await fake?.close();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe.skipIf(!hasTmux())('sparkify on Redshift in a terminal', { timeout: 240_000 }, () => {
  it('wizard for an existing cluster, then a pipeline run showing Data API statuses and the same tables as the local run', async () => {
    const home = freshHome();
    const t = terminal(home);
    await setupExistingCluster(t, 'sparkify-dwh');
    const setup = t.capture({ history: true });
    expect(setup).toMatch(/✓ AWS identity: arn:aws:iam::\d{12}:\S+/);
    expect(setup).toContain('✓ warehouse: select 1 answered');
    expect(t.capture()).toContain('redshift cluster sparkify-dwh (us-west-2)');
    expect(JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'))).toMatchObject({
      target: 'redshift',
      sources: { songData: 's3://udacity-dend/song_data', logData: 's3://udacity-dend/log_data' },
      redshift: { clusterIdentifier: 'sparkify-dwh', database: 'dev', dbUser: 'awsuser', iamRole: ROLE },
    });

    await runPipeline(t);
    const { statuses, statements } = await watchRun(t, 'last run finished in');
    // Statuses as the Data API calls return them: SUBMITTED when sent, STARTED from a call that waited past it.
    expect([...statuses]).toEqual(expect.arrayContaining(['STARTED', 'SUBMITTED']));
    expect(statements).toContain('load staging.s_events');
    expect([...statements].some((name) => name.startsWith('transform analytics.'))).toBe(true);

    const history = t.capture({ history: true });
    expect(history).toMatch(/✓ load staging\.s_events .* · 8,056 rows/);
    expect(history).toMatch(/run finished in \d+\.\ds/);
    expect(history).toMatch(/checks: (\d+) of \1 passed/);
    const summary = history.slice(history.lastIndexOf('\nrun finished in'));
    const rows = tableRows(summary);
    expect(rows).toEqual(localRows);
    expect(rows).toEqual(COURSE_TABLE_ROWS);

    t.send('q');
    expect(exitCodeOf(await t.waitFor('[sparkify exited with'))).toBe(0);
  });

  it('without AWS credentials the wizard says so and how to set them, saves nothing, and Ctrl-C leaves', async () => {
    const home = freshHome();
    // Empty values: the credential chain finds nothing, whatever the tmux server's own environment holds.
    const t = openTerminal({ env: { ...awsEnv(home), AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_PROFILE: '' } });
    open.push(t);
    await answerExistingCluster(t, 'sparkify-dwh');
    const screen = await t.waitFor('nothing was saved', { timeoutMs: 30_000 });
    expect(screen).toContain('✗ AWS identity: no AWS credentials found');
    expect(screen).toMatch(/set credentials \(aws configure, aws sso login/);
    expect(screen).not.toContain('✓ warehouse');
    t.send('C-c');
    expect(exitCodeOf(await t.waitFor('[sparkify exited with'))).toBe(0);
    expect(existsSync(join(home, 'config.json'))).toBe(false);
  });

  it('a statement the cluster fails shows its error once, and the run resumes from that step', async () => {
    // What is under test is the failure and the resume, not the statuses a slow statement passes through.
    dataApi.configure({ latencyMs: 0, stateDelayMs: 0 });
    const home = freshHome();
    const t = terminal(home);
    await setupExistingCluster(t, 'sparkify-dwh');
    t.send('p');
    await t.waitFor('ready · r runs the pipeline');
    dataApi.configure({ rules: [{ pattern: 'INSERT INTO analytics\\.d_time', fail: 'Disk full on node 1' }] });
    t.send('r');
    await watchRun(t, 'last run failed at transform');
    const failed = t.capture({ history: true });
    expect(failed).toContain('✗ transform analytics.d_time');
    expect(failed).toContain('Disk full on node 1');
    // The summary does not print the error again under "run failed".
    const summary = failed.slice(failed.lastIndexOf('\nrun failed in'), failed.lastIndexOf('sparkify · pipeline'));
    expect(summary).toMatch(/^\nrun failed in \d+\.\ds/);
    expect(summary).not.toContain('Disk full');
    expect(t.capture()).toContain('❯ ✗ Transform into the star schema');

    dataApi.configure({ rules: [] });
    t.send('f');
    await watchRun(t, 'last run finished in');
    const resumed = t.capture({ history: true });
    expect(resumed).toContain('▶ pipeline from transform');
    expect(resumed).toMatch(/– Load staging\.s_events skipped: before transform/);
    expect(resumed).toMatch(/✓ transform analytics\.d_time .* · 6,813 rows/);
  });

  it('the cluster screen follows a cluster made by `sparkify cluster create`: status, nodes, cost, and a pause after a confirmation', async () => {
    const home = freshHome();
    const created = await runCli(['cluster', 'create', '--cluster-id', 'sparkify-e2e', '--yes'], { env: awsEnv(home) });
    expect(created.code, created.stderr).toBe(0);

    const t = terminal(home);
    await t.waitFor('redshift cluster sparkify-e2e (us-west-2)');
    t.send('c');
    // The cost comes a moment after the status: wait for both.
    const available = await t.waitFor((screen) => /status\s+available/.test(screen) && /cost\s+\$/.test(screen), { timeoutMs: 30_000 });
    expect(available).toMatch(/nodes\s+1 × ra3\.large/);
    expect(available).toMatch(/endpoint\s+sparkify-e2e\./);
    expect(available).toMatch(/cost\s+\$\d+\.\d\d so far · \$0\.54\/hour · billing now/);
    // The header carries the cluster's state and cost onto every screen.
    expect(available).toMatch(/cluster sparkify-e2e available · \$\d+\.\d\d so far/);

    t.send('z');
    // The question and the help line for it can land in separate frames.
    const question = await t.waitFor((screen) => screen.includes('Pause cluster sparkify-e2e?') && screen.includes('y yes  n/Esc no'));
    expect(question).toContain('y yes · n/Esc no');
    t.send('y');
    await t.waitFor(/status\s+pausing/, { timeoutMs: 30_000 });
    await t.waitFor(/status\s+paused/, { timeoutMs: 30_000 });
    t.send('h');
    await t.waitFor(/cluster sparkify-e2e paused/);
    t.send('q');
    expect(exitCodeOf(await t.waitFor('[sparkify exited with'))).toBe(0);
  });
});
