import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigStore } from '../src/pipeline/config-store.js';
import { ConfigError } from '../src/pipeline/errors.js';
import { resolveSources, resolveTarget } from '../src/pipeline/connect.js';
import { COURSE_DATA, REPO, runCli, tempHome } from './helpers/cli.js';
import { VERSION } from '../src/version.js';

describe('config', () => {
  it('is written with mode 0600 under SPARKIFY_HOME', () => {
    const home = tempHome();
    const store = new ConfigStore(home);
    store.update({ target: 'redshift', redshift: { clusterIdentifier: 'c1', dbUser: 'awsuser', region: 'us-west-2' } });
    expect(statSync(join(home, 'config.json')).mode & 0o777).toBe(0o600);
    expect(new ConfigStore(home).read().redshift.clusterIdentifier).toBe('c1');
  });

  it('refuses to store anything that looks like a secret', () => {
    const store = new ConfigStore(tempHome());
    expect(() => store.update({ redshift: { password: 'hunter2' } as never })).toThrow(ConfigError);
    expect(() => store.update({ sources: { awsSecretAccessKey: 'x' } as never })).toThrow(/never saved/);
    expect(() => store.update({ redshift: { secretArn: 'arn:aws:secretsmanager:us-west-2:1:secret:s' } })).not.toThrow();
  });

  it('reports a broken config file with what to do, and does not replace it', async () => {
    const home = tempHome();
    writeFileSync(join(home, 'config.json'), '{"target": "nowhere"}');
    const result = await runCli(['query', 'select 1'], { env: { SPARKIFY_HOME: home } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`the config file ${join(home, 'config.json')} is not valid`);
    expect(result.stderr).toContain('sparkify setup');
    expect(readFileSync(join(home, 'config.json'), 'utf8')).toBe('{"target": "nowhere"}');
  });

  it('reads a config file saved with a byte-order mark, and the setup store updates it', async () => {
    const home = tempHome();
    const database = join(home, 'elsewhere.duckdb');
    writeFileSync(join(home, 'config.json'), `\uFEFF${JSON.stringify({ target: 'local', localDatabase: database })}`);
    // The query reads the config's warehouse path, which no run has made yet.
    const result = await runCli(['query', 'select 1'], { env: { SPARKIFY_HOME: home } });
    expect(result.stderr).toContain(`there is no local warehouse at ${database}`);
    new ConfigStore(home).update({ sources: { songData: COURSE_DATA } });
    expect(new ConfigStore(home).read()).toMatchObject({ localDatabase: database, sources: { songData: COURSE_DATA } });
  });

  it('a named pipe where the config file belongs is refused at once, not read for ever', async () => {
    const home = tempHome();
    execFileSync('mkfifo', [join(home, 'config.json')]);
    const result = await runCli(['query', 'select 1'], { env: { SPARKIFY_HOME: home } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`the config file ${join(home, 'config.json')} is a named pipe, not a file`);
  });

  it('a folder where the config file belongs is named as a folder, with what to do', async () => {
    const home = tempHome();
    mkdirSync(join(home, 'config.json'));
    const result = await runCli(['query', 'select 1'], { env: { SPARKIFY_HOME: home } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`cannot read the config file ${join(home, 'config.json')}: it is a folder, not a file (EISDIR)`);
    expect(result.stderr).toContain(`move the folder ${join(home, 'config.json')} away`);
    expect(result.stderr).not.toContain('permissions');
  });

  it('a config file that is null or a list says it must be an object', async () => {
    for (const text of ['null', '[]']) {
      const home = tempHome();
      writeFileSync(join(home, 'config.json'), text);
      const result = await runCli(['query', 'select 1'], { env: { SPARKIFY_HOME: home } });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('is not valid: config must be an object');
    }
  });

  it('flags win over the config; naming a cluster means Redshift', () => {
    const config = new ConfigStore(tempHome()).read();
    expect(resolveTarget({}, config, '/h')).toEqual({ target: 'local', databasePath: '/h/warehouse.duckdb', buckets: {}, tempDirectory: '/h/tmp' });
    expect(resolveTarget({ clusterId: 'c', dbUser: 'u' }, config)).toMatchObject({ target: 'redshift', clusterIdentifier: 'c', dbUser: 'u', database: 'dev' });
  });

  it('finds log_json_path.json beside a local log_data folder', () => {
    const config = new ConfigStore(tempHome()).read();
    expect(resolveSources({ logData: join(COURSE_DATA, 'log_data') }, config).logJsonpaths).toBe(join(COURSE_DATA, 'log_json_path.json'));
    expect(resolveSources({ logData: 's3://udacity-dend/log_data' }, config).logJsonpaths).toBeUndefined();
  });

  it('keeps the version equal to package.json', () => {
    expect(VERSION).toBe((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
  });
});
