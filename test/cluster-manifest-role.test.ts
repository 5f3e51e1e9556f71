// The role `sparkify cluster create` makes may read the manifest prefix as
// well as the sources, and nothing more: the policy is read back from the
// fake IAM with the real IAM client, and the prefix is saved in the config.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/pipeline/errors.js';
import { readSourcePolicy } from '../src/pipeline/provision/role.js';
import { startControlPlane, type ControlPlaneHarness } from './fakes/aws/control-plane-harness.js';
import { runCli, tempHome } from './helpers/cli.js';

let fake: ControlPlaneHarness;
const saved = { ...process.env };

beforeAll(async () => {
  fake = await startControlPlane({ stateDelayMs: 60_000 });
});

afterAll(async () => {
  process.env = saved;
  await fake?.close();
});

describe('the cluster role and the manifest prefix', () => {
  it('grants GetObject under the manifest prefix, with no listing, beside the source read', async () => {
    const home = tempHome('sparkify-manifest-role-');
    const env = fake.env(home);
    const created = await runCli(['cluster', 'create', '--cluster-id', 'mani', '--manifest-prefix', 's3://sparkify-manifests/runs', '--yes'], { env });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('s3://sparkify-manifests/runs/ (COPY manifests)');

    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    const policy = await readSourcePolicy({ region: 'us-west-2' }, 'sparkify-mani-s3-read');
    expect(policy?.Statement).toEqual([
      {
        Sid: 'ReadSourceObjects',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: ['arn:aws:s3:::udacity-dend/song_data*', 'arn:aws:s3:::udacity-dend/log_data*', 'arn:aws:s3:::udacity-dend/log_json_path.json*'],
      },
      {
        Sid: 'ListSourcePrefixes1',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::udacity-dend',
        Condition: { StringLike: { 's3:prefix': ['song_data*', 'log_data*', 'log_json_path.json*'] } },
      },
      { Sid: 'ReadCopyManifests', Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::sparkify-manifests/runs/*'] },
    ]);
    const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as { redshift: { manifestPrefix?: string } };
    expect(config.redshift.manifestPrefix).toBe('s3://sparkify-manifests/runs');
  });

  it('refuses a manifest prefix that is not an s3:// location before any AWS call', async () => {
    const before = fake.state.requests.length;
    const refused = await runCli(['cluster', 'create', '--cluster-id', 'mani2', '--manifest-prefix', './manifests', '--yes'], { env: fake.env(tempHome('sparkify-manifest-role-')) });
    expect(refused.code).toBe(ExitCode.usage);
    expect(refused.stderr).toContain('the manifest prefix must be an s3:// location: ./manifests');
    expect(fake.state.requests.length).toBe(before);
  });
});
