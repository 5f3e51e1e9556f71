// The events load alone, four ways: read_json's `format` (newline_delimited
// vs unstructured) crossed with how files are named (a glob vs an explicit
// list, as sparkify's COPY passes them). Each variant loads into a fresh file
// database; variants alternate run by run. CPU time (all threads) is printed
// beside wall time: on a shared machine it is the steadier measure of work.
// Usage: node bench/events-load.mjs LOG_DIR [RUNS]
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [logDir, runsText = '2'] = process.argv.slice(2);
const literal = (text) => `'${text.replaceAll("'", "''")}'`;
const files = readdirSync(logDir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => join(e.parentPath, e.name))
  .sort();
const COLUMNS = `{'artist': 'VARCHAR', 'auth': 'VARCHAR', 'firstName': 'VARCHAR', 'gender': 'VARCHAR',
  'itemInSession': 'INTEGER', 'lastName': 'VARCHAR', 'length': 'DOUBLE', 'level': 'VARCHAR', 'location': 'VARCHAR',
  'method': 'VARCHAR', 'page': 'VARCHAR', 'registration': 'DOUBLE', 'sessionId': 'INTEGER', 'song': 'VARCHAR',
  'status': 'INTEGER', 'ts': 'BIGINT', 'userAgent': 'VARCHAR', 'userId': 'VARCHAR'}`;
const sources = { glob: literal(`${logDir}/**/*.json`), list: `[${files.map(literal).join(', ')}]` };
const variants = [
  ['newline_delimited', 'glob'],
  ['unstructured', 'list'],
  ['newline_delimited', 'list'],
  ['unstructured', 'glob'],
];
const times = new Map(variants.map((v) => [v.join(' + '), []]));
const cpuSeconds = (usage) => (usage.user + usage.system) / 1e6;
for (let run = 0; run < Number(runsText); run++) {
  for (const [format, naming] of variants) {
    const dir = mkdtempSync(join(tmpdir(), 'sparkify-events-load-'));
    const instance = await DuckDBInstance.create(join(dir, 'load.duckdb'));
    const connection = await instance.connect();
    await connection.run(`CREATE TABLE s_events AS SELECT * FROM read_json(${sources.glob}, format = 'newline_delimited', columns = ${COLUMNS}) LIMIT 0`);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await connection.run(`INSERT INTO s_events SELECT * FROM read_json(${sources[naming]}, format = '${format}', columns = ${COLUMNS}, maximum_object_size = 16777216)`);
    await connection.run('CHECKPOINT');
    times.get(`${format} + ${naming}`).push({ wallMs: performance.now() - started, cpu: cpuSeconds(process.cpuUsage(cpuBefore)) });
    connection.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}
for (const [name, values] of times) {
  const shown = values.map((v) => `${(v.wallMs / 1000).toFixed(2)} s wall / ${v.cpu.toFixed(2)} s CPU`).join('   ');
  process.stdout.write(`${name.padEnd(30)} ${shown}\n`);
}
