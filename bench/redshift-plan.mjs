// How well the pipeline overlaps statements on Redshift. Runs the whole plan
// (course data) through RedshiftDataWarehouse against the fake Data API, each
// statement held for a fixed latency, and compares the wall time with
//   (a) the critical path in the statements' own times: the longest chain of
//       dependent steps, each costing what the fake reported its statements
//       took (Duration: the latency, the real work on DuckDB, any wait for a
//       lock), a parallel step its longest statement, any other their sum.
//       This is the floor: no client can end a chain before the warehouse
//       says its statements ended, so the ratio is what sparkify adds;
//   (b) the latency-only critical path: the same chain × latency (the fake's
//       real work counted as nothing), and the serial sum (every statement ×
//       latency), with a run at concurrency 1 measured as a baseline.
// The fake runs in a process of its own (npm run fake-aws), as the service is
// remote: its JavaScript does not share the client's event loop. Each
// measurement starts a fresh fake, opens its database with one statement
// (as a cluster is up before it is used), then runs the plan. A first run is
// not counted (the client's code is cold); concurrency 10 is measured
// BENCH_ROUNDS times (default 3) and the median reported.
// Also prints Data API calls per SQL statement (each statement of a batch
// counts as one), all operations together.
//
//   npm run bench:redshift            (BENCH_LATENCY_MS=300 by default)
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { importBundle } from './bundle.mjs';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 300);
const TARGET_CRITICAL = 1.1;
const TARGET_CALLS = 3;
const TARGET_SERIAL = 0.6;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID = 'AKIDSPARKIFYBENCH';
process.env.AWS_SECRET_ACCESS_KEY = 'sparkify-bench-secret';
process.env.AWS_REGION = 'us-west-2';
delete process.env.AWS_PROFILE;

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const { buildPlan, runPipeline, RedshiftDataWarehouse } = await importBundle(
  'redshift-plan',
  `
    export { buildPlan } from './src/pipeline/plan.ts';
    export { runPipeline } from './src/pipeline/runner.ts';
    export { RedshiftDataWarehouse } from './src/pipeline/warehouse/redshift-data.ts';
  `,
);

const SOURCES = {
  songData: 's3://udacity-dend/song_data',
  logData: 's3://udacity-dend/log_data',
  logJsonpaths: 's3://udacity-dend/log_json_path.json',
  iamRole: 'arn:aws:iam::123456789012:role/sparkify-bench',
};

/** Statements on the longest dependency chain of the plan. */
function criticalPathStatements(steps) {
  return longestChain(steps, (step) => (step.parallel ? 1 : step.statements.length));
}

/**
 * The critical path in the time the statements took on the fake (Duration:
 * their latency, their real execution on DuckDB and any wait for its writers'
 * lock): a parallel step costs its longest statement, any other the sum.
 */
function engineCriticalPathMs(steps, engineMs) {
  return longestChain(steps, (step) => {
    const times = engineMs.get(step.id) ?? [0];
    return step.parallel ? Math.max(...times) : times.reduce((a, b) => a + b, 0);
  });
}

function longestChain(steps, cost) {
  const memo = new Map();
  const longest = (step) => {
    if (!memo.has(step.id)) {
      const before = step.dependsOn.map((id) => longest(steps.find((s) => s.id === id)));
      memo.set(step.id, cost(step) + Math.max(0, ...before));
    }
    return memo.get(step.id);
  };
  return Math.max(...steps.map(longest));
}

/**
 * Where the client's share of the wall time goes, along the chain of steps
 * that is longest in the statements' own times: for each step, its wall time
 * beyond its statements' Durations on the fake (sending them, learning they
 * finished, a statement waiting for a slot under the concurrency cap, the
 * ledger), and the time from its last dependency's end to its start (the
 * runner's scheduling).
 */
function clientWaits(steps, engineMs, stepTimes) {
  const cost = (step) => {
    const times = engineMs.get(step.id) ?? [0];
    return step.parallel ? Math.max(...times) : times.reduce((a, b) => a + b, 0);
  };
  const memo = new Map();
  const chain = (step) => {
    if (!memo.has(step.id)) {
      const before = step.dependsOn.map((id) => chain(steps.find((s) => s.id === id)));
      const longest = before.reduce((best, c) => (c.ms > best.ms ? c : best), { ms: 0, steps: [] });
      memo.set(step.id, { ms: longest.ms + cost(step), steps: [...longest.steps, step] });
    }
    return memo.get(step.id);
  };
  const critical = steps.map(chain).reduce((best, c) => (c.ms > best.ms ? c : best));
  const inSteps = [];
  let betweenStepsMs = 0;
  for (const step of critical.steps) {
    const { start, end } = stepTimes.get(step.id);
    inSteps.push({ id: step.id, statements: step.statements.length, ms: end - start - cost(step) });
    const ends = step.dependsOn.map((id) => stepTimes.get(id)?.end ?? 0);
    if (ends.length > 0) betweenStepsMs += Math.max(0, start - Math.max(...ends));
  }
  return { inSteps, betweenStepsMs };
}

/** The fake AWS services in a process of their own; resolves with their URL once they listen. */
async function startFakeProcess() {
  const child = spawn(
    process.execPath,
    ['scripts/fake-aws.mjs', '--port', '0', '--latency-ms', String(LATENCY_MS), '--bucket', 'udacity-dend=../shared/data/sparkify', '--cluster', `bench=${SOURCES.iamRole}`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the fake exited (${code}) before it listened`)));
    lines.on('line', (line) => {
      const match = /^listening (\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
  });
  const control = async (route) => (await fetch(`${url}/_fake/data-api/${route}`, { method: 'POST' })).json();
  const stop = () =>
    new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  return { url, control, stop };
}

async function measure(steps, concurrency) {
  const fake = await startFakeProcess();
  const warehouse = await RedshiftDataWarehouse.open({
    clusterIdentifier: 'bench', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: fake.url,
  });
  try {
    const opened = await warehouse.query('select 1');
    for await (const page of opened.pages()) void page;
    await fake.control('reset');
    const before = (await fake.control('statements')).length;
    const started = performance.now();
    let planMs = 0;
    let finished;
    const engineMs = new Map();

    const stepTimes = new Map();
    for await (const event of runPipeline(warehouse, steps, { concurrency })) {
      if (event.type === 'step-started') stepTimes.set(event.stepId, { start: event.at });
      if (event.type === 'step-finished') {
        planMs = performance.now() - started;
        stepTimes.get(event.stepId).end = event.at;
      }
      if (event.type === 'statement-finished') {
        engineMs.set(event.stepId, [...(engineMs.get(event.stepId) ?? []), event.engineMs ?? 0]);
      }
      if (event.type === 'run-finished') finished = event;
    }
    if (!finished?.ok) throw new Error(`the run failed: ${finished?.error?.message ?? 'no run-finished event'}`);
    const statements = (await fake.control('statements')).slice(before).reduce((n, st) => n + (st.subStatements?.length ?? 1), 0);
    const calls = (await fake.control('calls')).length;
    return {
      concurrency,
      planMs,
      totalMs: finished.wallMs,
      statements,
      callsPerStatement: calls / statements,
      engineCriticalMs: engineCriticalPathMs(steps, engineMs),
      ...clientWaits(steps, engineMs, stepTimes),
    };
  } finally {
    await warehouse.close();
    await fake.stop();
  }
}

const steps = await buildPlan({ sources: SOURCES, scope: 'run' });
const statementCount = steps.reduce((n, s) => n + s.statements.length, 0);
const criticalMs = criticalPathStatements(steps) * LATENCY_MS;
const serialMs = statementCount * LATENCY_MS;

await measure(steps, 10);
const rounds = [];
for (let round = 0; round < ROUNDS; round++) rounds.push(await measure(steps, 10));
const median = [...rounds].sort((a, b) => a.planMs / a.engineCriticalMs - b.planMs / b.engineCriticalMs)[Math.floor(rounds.length / 2)];
const runs = [median, await measure(steps, 4), await measure(steps, 1)];
const baseline = runs.find((r) => r.concurrency === 1);

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const x = (ratio) => `${ratio.toFixed(2)}×`;
console.log(`redshift plan: ${statementCount} statements in ${steps.length} steps, ${LATENCY_MS} ms per statement on the fake`);
console.log(`critical path ${criticalPathStatements(steps)} statements = ${s(criticalMs)}; serial sum ${statementCount} statements = ${s(serialMs)}`);
console.log(`measured serial baseline (concurrency 1): plan ${s(baseline.planMs)}`);
console.log('');
console.log(`concurrency 10, ${rounds.length} rounds (the median below): ` + rounds.map((r) => `${s(r.planMs)} = ${x(r.planMs / r.engineCriticalMs)} of ${s(r.engineCriticalMs)}`).join('; '));
console.log('');
console.log('concurrency  plan wall  /latency path  /statements\' path  /serial sum  /serial run  with table counts  calls/SQL statement');
for (const run of runs) {
  console.log(
    [
      String(run.concurrency).padStart(11),
      s(run.planMs).padStart(9),
      x(run.planMs / criticalMs).padStart(13),
      x(run.planMs / run.engineCriticalMs).padStart(18),
      x(run.planMs / serialMs).padStart(11),
      x(run.planMs / baseline.planMs).padStart(11),
      s(run.totalMs).padStart(17),
      run.callsPerStatement.toFixed(2).padStart(20),
    ].join('  '),
  );
}
console.log('');
for (const run of runs) {
  const inSteps = run.inSteps.reduce((n, step) => n + step.ms, 0);
  const each = run.inSteps.map((step) => `${step.id} ${step.ms.toFixed(0)} ms/${step.statements}`).join(', ');
  console.log(
    `concurrency ${run.concurrency}: client-side on the critical chain ${s(inSteps + run.betweenStepsMs)}: ` +
      `${s(inSteps)} in its steps beyond their statements' Durations (${each}); ${s(run.betweenStepsMs)} between a step's dependencies ending and its start`,
  );
}
const best = runs[0];
console.log('');
console.log(
  `targets at concurrency ${best.concurrency}: plan wall ≤ ${TARGET_CRITICAL}× the critical path in the statements' own times (${s(best.engineCriticalMs)}): ` +
    `${x(best.planMs / best.engineCriticalMs)} ${best.planMs / best.engineCriticalMs <= TARGET_CRITICAL ? 'met' : 'NOT met'}; ` +
    `against the latency-only path (${s(criticalMs)}): ${x(best.planMs / criticalMs)} ${best.planMs / criticalMs <= TARGET_CRITICAL ? 'within' : 'NOT within'} ${TARGET_CRITICAL}×; ` +
    `≤ ${TARGET_SERIAL}× serial sum: ${x(best.planMs / serialMs)} ${best.planMs / serialMs <= TARGET_SERIAL ? 'met' : 'NOT met'}; ` +
    `≤ ${TARGET_CALLS} calls per SQL statement: ${best.callsPerStatement.toFixed(2)} ${best.callsPerStatement <= TARGET_CALLS ? 'met' : 'NOT met'}`,
);
