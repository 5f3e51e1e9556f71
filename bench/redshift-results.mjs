// Reading a large result over the Data API: typed JSON fields
// (GetStatementResult) against CSV text (ResultFormat CSV, GetStatementResultV2).
// A 100,000-row result of six columns (integer, text with commas and quotes,
// double, timestamp, a column that is half NULL, boolean) is read whole through
// RedshiftDataWarehouse.query from the fake Data API on loopback (1,000 rows a
// page), in alternating rounds; the figure is each format's median, and the
// ratio CSV / JSON. The time includes the fake's side (DuckDB, encoding),
// which both formats pay alike but for the encoding.
//
//   node bench/redshift-results.mjs          (BENCH_ROWS=100000, BENCH_ROUNDS=3)
import { importBundle } from './bundle.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID = 'AKIDSPARKIFYBENCH';
process.env.AWS_SECRET_ACCESS_KEY = 'sparkify-bench-secret';
process.env.AWS_REGION = 'us-west-2';
delete process.env.AWS_PROFILE;

const { RedshiftDataWarehouse, startFakeAws, DataApiFake } = await importBundle(
  'redshift-results',
  `
    export { RedshiftDataWarehouse } from './src/pipeline/warehouse/redshift-data.ts';
    export { startFakeAws } from './test/fakes/aws/server.ts';
    export { DataApiFake } from './test/fakes/aws/data-api.ts';
  `,
);

const fake = new DataApiFake({ clusters: () => ({ status: 'available', iamRoles: [] }) });
await fake.ready();
const server = await startFakeAws({ services: [fake] });
const open = (resultFormat) =>
  RedshiftDataWarehouse.open({ clusterIdentifier: 'bench', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: server.url, resultFormat });

const SQL = 'SELECT * FROM bench_rows ORDER BY id';

async function readAll(warehouse) {
  const started = performance.now();
  const result = await warehouse.query(SQL);
  let rows = 0;
  let check = 0;
  for await (const page of result.pages()) {
    rows += page.length;
    for (const row of page) check += row[5] === true ? 1 : 0;
  }
  await result.close();
  return { ms: performance.now() - started, rows, check };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const json = await open('JSON');
const csv = await open('CSV');
try {
  await json.execute(`CREATE TABLE bench_rows AS
    SELECT i::bigint AS id,
           'song ' || i || CASE WHEN i % 7 = 0 THEN ', "live"' ELSE '' END AS title,
           i * 1.25::float8 AS length,
           TIMESTAMP '2018-11-01 00:00:00' + i * INTERVAL '1 second' AS start_time,
           CASE WHEN i % 2 = 0 THEN NULL ELSE 'user ' || i END AS user_agent,
           i % 3 = 0 AS paid
    FROM generate_series(1, ${ROWS}) AS g(i)`);
  const times = { JSON: [], CSV: [] };
  let seen;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [format, warehouse] of [['JSON', json], ['CSV', csv]]) {
      const { ms, rows, check } = await readAll(warehouse);
      if (rows !== ROWS) throw new Error(`${format} read ${rows} rows of ${ROWS}`);
      if (seen !== undefined && check !== seen) throw new Error(`${format} read different values (${check} against ${seen})`);
      seen = check;
      times[format].push(ms);
      process.stdout.write(`round ${round + 1} ${format}: ${ms.toFixed(0)} ms\n`);
    }
  }
  const jsonMs = median(times.JSON);
  const csvMs = median(times.CSV);
  process.stdout.write(`\n${ROWS} rows, median of ${ROUNDS}: JSON ${jsonMs.toFixed(0)} ms, CSV ${csvMs.toFixed(0)} ms; CSV/JSON = ${(csvMs / jsonMs).toFixed(2)}x\n`);
} finally {
  await json.close();
  await csv.close();
  await server.close();
  await fake.close();
}
