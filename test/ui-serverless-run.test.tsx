// The app's pipeline run on a Serverless workgroup ends with the RPU-seconds
// it was charged and their price, as `sparkify run` does: the real runner and
// Data API client against the fake Data API, rendered with ink-testing-library.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { SparkifyConfig } from '../src/pipeline/config.js';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import { AppRoot } from '../src/ui/app.js';
import { startDataApi, applyTestCredentials, type DataApiHarness } from './fakes/aws/data-api-harness.js';
import { untilReady } from './helpers/ink.js';
import { COURSE_DATA } from './helpers/cli.js';

applyTestCredentials();

let harness: DataApiHarness;
let home: string;

beforeAll(async () => {
  harness = await startDataApi({ buckets: { 'udacity-dend': COURSE_DATA }, serverlessRpu: 4 });
  home = mkdtempSync(join(tmpdir(), 'sparkify-serverless-ui-'));
  process.env.SPARKIFY_HOME = home;
});

afterAll(async () => {
  await harness.close();
  rmSync(home, { recursive: true, force: true });
});

describe('a pipeline run in the app on a Serverless workgroup', () => {
  it('ends with the RPU-seconds charged and their price', { timeout: 120_000 }, async () => {
    const config: SparkifyConfig = {
      target: 'redshift',
      sources: { songData: 's3://udacity-dend/song_data', logData: 's3://udacity-dend/log_data', logJsonpaths: 's3://udacity-dend/log_json_path.json' },
      redshift: { workgroupName: 'learner', database: 'dev', region: 'us-west-2', iamRole: 'arn:aws:iam::123456789012:role/x' },
    };
    const open = () => RedshiftDataWarehouse.open({ workgroupName: 'learner', database: 'dev', region: 'us-west-2', endpoint: harness.url });
    const app = render(<AppRoot config={config} openWarehouse={open} onExitCode={() => undefined} />);
    const frame = () => app.lastFrame() ?? '';
    const all = () => app.frames.join('\n');
    const waitFor = (text: string | RegExp, source = frame) => untilReady(() => (typeof text === 'string' ? source().includes(text) : text.test(source())), frame, 60_000);
    try {
      await waitFor('p runs the pipeline');
      app.stdin.write('p');
      await waitFor('ready · r runs the pipeline');
      app.stdin.write('r');
      await waitFor('last run finished in', all);
      await waitFor(/serverless: [\d,]+ RPU-seconds charged \(\d+\.\d\d RPU-hours, about \$\d+\.\d\d at \$0\.375\/RPU-hour/, all);
    } finally {
      app.unmount();
    }
  });
});
