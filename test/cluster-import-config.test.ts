// Importing the original project's dwh.cfg through the built CLI: names,
// regions, ARNs and S3 locations come across; passwords and AWS keys are
// skipped with the reason, and never appear in the config or the output.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/pipeline/errors.js';
import { importDwhConfig, parseClusterHost, parseIni } from '../src/pipeline/provision/dwh-config.js';
import type { SparkifyConfig } from '../src/pipeline/config.js';
import { runCli, tempHome } from './helpers/cli.js';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const PASSWORD = 'Passw0rd-Sparkify-42';

// As the course notebooks wrote it: upper-case keys, some values quoted.
const DWH_CFG = `[AWS]
KEY=${KEY}
SECRET=${SECRET}

[DWH]
DWH_CLUSTER_TYPE=multi-node
DWH_NUM_NODES=4
DWH_NODE_TYPE=dc2.large
DWH_IAM_ROLE_NAME=dwhRole
DWH_CLUSTER_IDENTIFIER=dwhCluster
DWH_DB=dwh
DWH_DB_USER=dwhuser
DWH_DB_PASSWORD=${PASSWORD}
DWH_PORT=5439

[CLUSTER]
HOST=dwhcluster.c1a2b3c4d5e6.us-west-2.redshift.amazonaws.com
DB_NAME=dwh
DB_USER=dwhuser
DB_PASSWORD=${PASSWORD}
DB_PORT=5439

[IAM_ROLE]
ARN='arn:aws:iam::123456789012:role/dwhRole'

[S3]
LOG_DATA='s3://udacity-dend/log_data'
LOG_JSONPATH='s3://udacity-dend/log_json_path.json'
SONG_DATA='s3://udacity-dend/song_data'
`;

const EMPTY: SparkifyConfig = { target: 'local', sources: {}, redshift: {} };

describe('dwh.cfg import', () => {
  it('parses configparser INI: sections, = and :, quotes, comments', () => {
    expect(parseIni('# comment\n[dwh]\nkey = "v"\nother: 2\n; note\n')).toEqual({ DWH: { KEY: 'v', OTHER: '2' } });
    expect(() => parseIni('KEY=1')).toThrow('line 1 (KEY) comes before any [SECTION]');
  });

  it('names a line it cannot read by number and key, never by its text (it may be a password)', () => {
    expect(() => parseIni('[DWH]\nDWH_DB_PASSWORD Passw0rd\n')).toThrow('line 2 is not "KEY = value"');
    expect(() => parseIni('[DWH]\nDWH_DB_PASSWORD Passw0rd\n')).not.toThrow(/Passw0rd|DWH_DB_PASSWORD/);
    expect(() => parseIni('supersecretpassword\n[CLUSTER]\n')).not.toThrow(/supersecretpassword/);
    expect(() => parseIni('[CLUSTER]\n  supersecretpassword\n')).not.toThrow(/supersecretpassword/);
    expect(() => parseIni('DWH_DB_PASSWORD: Passw0rd\n')).not.toThrow(/Passw0rd/);
  });

  it('reads an indented line as the continuation of the value above, as configparser does', () => {
    expect(parseIni('[DWH]\nNOTE = first\n  second\nNEXT = 1\n')).toEqual({ DWH: { NOTE: 'first\nsecond', NEXT: '1' } });
  });

  it('reads the cluster and region from an endpoint host', () => {
    expect(parseClusterHost('dwhcluster.c1a2b3c4d5e6.us-west-2.redshift.amazonaws.com')).toEqual({ identifier: 'dwhcluster', region: 'us-west-2' });
    expect(parseClusterHost('localhost')).toBeUndefined();
  });

  it('maps the settings, skips secrets, and suggests the create command', () => {
    const result = importDwhConfig(DWH_CFG, EMPTY);
    expect(result.patch).toEqual({
      target: 'redshift',
      redshift: { clusterIdentifier: 'dwhcluster', database: 'dwh', dbUser: 'dwhuser', region: 'us-west-2', iamRole: 'arn:aws:iam::123456789012:role/dwhRole' },
      sources: {
        logData: 's3://udacity-dend/log_data',
        logJsonpaths: 's3://udacity-dend/log_json_path.json',
        songData: 's3://udacity-dend/song_data',
        sourceRegion: 'us-west-2',
      },
    });
    expect(result.holdsSecrets).toBe(true);
    expect(result.createCommand).toBe(
      'sparkify cluster create --cluster-id dwhcluster --node-type dc2.large --nodes 4 --database dwh --db-user dwhuser --role-name dwhRole --region us-west-2',
    );
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it('skips a setting whose value goes on over indented lines, and still counts a continued password as a secret', () => {
    const result = importDwhConfig('[DWH]\nDWH_DB = dev\n  continued\nDWH_DB_PASSWORD = Passw0rd\n  more\n', EMPTY);
    expect(result.patch.redshift?.database).toBeUndefined();
    expect(result.skipped).toContainEqual({ key: 'DWH.DWH_DB', reason: 'its value goes on over indented lines; sparkify takes one-line values' });
    expect(result.holdsSecrets).toBe(true);
    expect(JSON.stringify(result)).not.toContain('Passw0rd');
  });

  it('takes a cluster identifier in the lower case Redshift keeps, and skips one Redshift would refuse', () => {
    const taken = importDwhConfig('[DWH]\nDWH_CLUSTER_IDENTIFIER = DwhCluster\n', EMPTY);
    expect(taken.patch.redshift?.clusterIdentifier).toBe('dwhcluster');
    expect(taken.imported).toContainEqual({ key: 'DWH.DWH_CLUSTER_IDENTIFIER', setting: 'redshift.clusterIdentifier', value: 'dwhcluster' });
    const refused = importDwhConfig('[DWH]\nDWH_CLUSTER_IDENTIFIER = My Cluster!\nDWH_DB = dev\n', EMPTY);
    expect(refused.patch.redshift?.clusterIdentifier).toBeUndefined();
    expect(refused.skipped).toContainEqual({ key: 'DWH.DWH_CLUSTER_IDENTIFIER', reason: expect.stringContaining('not a valid cluster identifier (My Cluster!)') as string });
  });

  it('refuses a file that is not a dwh.cfg', () => {
    expect(() => importDwhConfig('[server]\nport=1\n', EMPTY)).toThrow('this does not look like a dwh.cfg');
  });

  it('through the CLI: prints what it imported and skipped, writes a 0600 config without secrets', async () => {
    const home = tempHome('sparkify-import-');
    const file = join(home, 'dwh.cfg');
    writeFileSync(file, DWH_CFG);
    const result = await runCli(['config', 'import', file], { env: { SPARKIFY_HOME: home } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain('DWH.DWH_CLUSTER_IDENTIFIER → redshift.clusterIdentifier = dwhcluster');
    expect(out).toContain('IAM_ROLE.ARN → redshift.iamRole = arn:aws:iam::123456789012:role/dwhRole');
    expect(out).toContain('S3.SONG_DATA → sources.songData = s3://udacity-dend/song_data');
    expect(out).toContain('DWH.DWH_DB_PASSWORD: passwords are never stored; sparkify uses temporary credentials via the Data API');
    expect(out).toContain('CLUSTER.DB_PASSWORD: passwords are never stored');
    expect(out).toContain('AWS.KEY: AWS keys are never stored');
    expect(out).toContain('AWS.SECRET: AWS keys are never stored');
    expect(out).toContain('CLUSTER.DB_PORT: the Data API needs no port');
    expect(out).toContain('sparkify cluster create --cluster-id dwhcluster --node-type dc2.large --nodes 4');
    expect(out).toContain('holds a password or AWS key in plain text');

    const configText = readFileSync(join(home, 'config.json'), 'utf8');
    expect(statSync(join(home, 'config.json')).mode & 0o777).toBe(0o600);
    for (const secret of [PASSWORD, SECRET, KEY]) {
      expect(out + result.stderr).not.toContain(secret);
      expect(configText).not.toContain(secret);
    }
    expect(JSON.parse(configText)).toMatchObject({ target: 'redshift', redshift: { clusterIdentifier: 'dwhcluster', database: 'dwh' } });

    const aliasHome = tempHome('sparkify-import-');
    const alias = await runCli(['cluster', 'import-config', file], { env: { SPARKIFY_HOME: aliasHome } });
    expect(alias.code).toBe(0);
    expect(alias.stdout).toBe(out.replace(home, aliasHome));
    expect(out).toContain('S3 (udacity-dend is in us-west-2) → sources.sourceRegion = us-west-2');
  });

  it('through the CLI: a missing file is a config error', async () => {
    const home = tempHome('sparkify-import-');
    const result = await runCli(['config', 'import', join(home, 'nope.cfg')], { env: { SPARKIFY_HOME: home } });
    expect(result.code).toBe(ExitCode.config);
    expect(result.stderr).toContain('cannot read');
    expect(result.stderr).toContain('ENOENT');
  });
});
