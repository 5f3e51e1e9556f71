// What a config file may say: only the settings sparkify knows (a member of
// Object.prototype is not one), and relative paths mean the same file from
// any folder, resolved against the config's own folder.
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/pipeline/config.js';
import { ConfigError } from '../src/pipeline/errors.js';
import { draftToConfig } from '../src/ui/hooks/setup-reducer.js';
import { COURSE_DATA, COURSE_TABLE_ROWS, runCli, tempHome } from './helpers/cli.js';

const scratch = tempHome('sparkify-config-keys-');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function homeWith(name: string, config: string): string {
  const home = join(scratch, name);
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'config.json'), config);
  return home;
}

describe('keys named after Object.prototype members', () => {
  it.each([
    ['{"toString": "x"}', 'config.toString'],
    ['{"constructor": {}}', 'config.constructor'],
    ['{"__proto__": {"target": "redshift"}}', 'config.__proto__'],
    ['{"sources": {"hasOwnProperty": "x"}}', 'config.sources.hasOwnProperty'],
    ['{"redshift": {"valueOf": "x"}}', 'config.redshift.valueOf'],
    ['{"cluster": {"kind": "provisioned", "identifier": "c", "region": "us-west-2", "isPrototypeOf": 1}}', 'config.cluster.isPrototypeOf'],
  ])('%s is not a known setting', (text, key) => {
    const home = homeWith(`proto-${key}`, text);
    expect(() => readConfig(home)).toThrow(ConfigError);
    expect(() => readConfig(home)).toThrow(`${key} is not a known setting`);
  });

  it('the CLI refuses such a file with exit 3', async () => {
    const home = homeWith('proto-cli', '{"constructor": "x"}');
    const result = await runCli(['query', 'select 1'], { env: { SPARKIFY_HOME: home } });
    expect(result.stderr).toContain('config.constructor is not a known setting');
    expect(result.code).toBe(3);
  });
});

describe('relative paths', () => {
  it('in a config are resolved against its folder, whatever the working folder', async () => {
    const home = join(scratch, 'relative');
    mkdirSync(home, { recursive: true });
    const config = {
      localDatabase: 'data/w.duckdb',
      sources: { songData: relative(home, join(COURSE_DATA, 'song_data')), logData: relative(home, join(COURSE_DATA, 'log_data')), sourceRegion: 'us-west-2' },
    };
    writeFileSync(join(home, 'config.json'), JSON.stringify(config));
    expect(readConfig(home)).toMatchObject({
      localDatabase: join(home, 'data/w.duckdb'),
      sources: { songData: join(COURSE_DATA, 'song_data'), logData: join(COURSE_DATA, 'log_data'), sourceRegion: 'us-west-2' },
    });
    const result = await runCli(['run'], { env: { SPARKIFY_HOME: home }, cwd: '/' });
    expect(result.stderr).toContain('done in');
    expect(result.code).toBe(0);
    expect(existsSync(join(home, 'data/w.duckdb'))).toBe(true);
    const count = await runCli(['query', '--format', 'csv', 'select count(*) as n from staging.s_events'], { env: { SPARKIFY_HOME: home }, cwd: scratch });
    expect(count.stdout).toBe(`n\n${COURSE_TABLE_ROWS['staging.s_events']}\n`);
  });

  it('s3:// sources stay as they are', () => {
    const home = homeWith('s3', '{"sources": {"songData": "s3://bucket/song_data"}}');
    expect(readConfig(home).sources.songData).toBe('s3://bucket/song_data');
  });

  it('the wizard saves local paths absolute, as typed from its working folder', () => {
    const draft = { choice: 'local' as const, songData: '../shared/data/sparkify/song_data', logData: 'logs', logJsonpaths: './paths.json' };
    expect(draftToConfig(draft, null).sources).toEqual({
      songData: resolve('../shared/data/sparkify/song_data'),
      logData: resolve('logs'),
      logJsonpaths: resolve('paths.json'),
    });
  });
});
