// --log-jsonpaths (and sources.logJsonpaths in the config, and the wizard) take
// COPY's own words as Redshift does: 'auto' and 'auto ignorecase' are not file
// names. They were made a path against the folder sparkify started in, and the
// load then failed to read "/.../auto ignorecase".
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/pipeline/config.js';
import { resolveSources } from '../src/pipeline/connect.js';
import { resolveS3Sources, sourceLocations } from '../src/pipeline/provision/role.js';
import { draftToConfig } from '../src/ui/hooks/setup-reducer.js';
import { jsonKeyword } from '../src/pipeline/sql/json-format.js';
import { COURSE_DATA, runCli, tempHome } from './helpers/cli.js';

const scratch = tempHome('sparkify-jsonpaths-words-');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const source = ['--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data')];

describe("'auto' and 'auto ignorecase' as the jsonpaths setting", () => {
  it('are read as COPY reads them, case and blanks aside; anything else is a file', () => {
    expect(jsonKeyword('auto')).toBe('auto');
    expect(jsonKeyword(' AUTO  IgnoreCase ')).toBe('auto ignorecase');
    expect(jsonKeyword('noshred')).toBe('noshred');
    expect(jsonKeyword('auto.json')).toBeUndefined();
    expect(jsonKeyword('./auto')).toBeUndefined();
  });

  it('stay keywords from a flag, the config and the wizard, never a path', () => {
    expect(resolveSources({ logJsonpaths: 'auto ignorecase', logData: '/data/log' }, readConfig(scratch)).logJsonpaths).toBe('auto ignorecase');
    const home = join(scratch, 'config-auto');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'config.json'), JSON.stringify({ sources: { songData: 's', logData: 'l', logJsonpaths: 'Auto' } }));
    expect(readConfig(home).sources.logJsonpaths).toBe('auto');
    expect(readConfig(home).sources.logData).toBe(join(home, 'l'));
    const draft = draftToConfig({ choice: 'local', songData: '/s', logData: '/l', logJsonpaths: 'auto ignorecase' }, null);
    expect(draft.sources.logJsonpaths).toBe('auto ignorecase');
  });

  it('are taken for a cluster, and are not a place its role must read', () => {
    const sources = resolveS3Sources({ songData: 's3://my-bucket/song', logData: 's3://my-bucket/log', logJsonpaths: 'auto ignorecase' }, {}, 'us-west-2');
    expect(sources.logJsonpaths).toBe('auto ignorecase');
    expect(sourceLocations(sources).map((l) => l.prefix)).toEqual(['song', 'log']);
  });

  it("sparkify run --log-jsonpaths 'auto ignorecase' loads the course events by name", async () => {
    const env = { SPARKIFY_HOME: join(scratch, 'run-ignorecase') };
    const run = await runCli(['run', ...source, '--log-jsonpaths', 'auto ignorecase'], { env });
    expect(run.code, run.stderr).toBe(0);
    const staged = await runCli(['query', '--format', 'csv', 'SELECT count(*) AS events, count(userid) AS with_user FROM staging.s_events'], { env });
    expect(staged.stdout).toBe('events,with_user\n8056,8056\n');
  }, 120_000);

  it("--log-jsonpaths auto matches keys case-sensitively, as Redshift does: userId is not column userid", async () => {
    const env = { SPARKIFY_HOME: join(scratch, 'run-auto') };
    expect((await runCli(['create-tables'], { env })).code).toBe(0);
    const run = await runCli(['etl', ...source, '--log-jsonpaths', 'auto'], { env });
    // The load runs; the checks then see plays with no user, as they would on Redshift.
    expect(run.code, run.stderr).toBe(8);
    expect(run.stderr).toContain('every play has a user in d_users');
    const staged = await runCli(['query', '--format', 'csv', 'SELECT count(*) AS events, count(userid) AS with_user, count(page) AS with_page FROM staging.s_events'], { env });
    expect(staged.stdout, run.stderr).toBe('events,with_user,with_page\n8056,0,8056\n');
  }, 120_000);
});
