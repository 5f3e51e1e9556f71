// Answers the setup wizard in a real terminal (the embedded warehouse over
// local folders that hold song_data/, log_data/ and log_json_path.json), and
// starts a pipeline run from home.
import { join } from 'node:path';
import type { Terminal } from './tmux.js';

export async function setUpLocalFolders(t: Terminal, folder: string): Promise<void> {
  await t.waitFor('Where should the star schema live?');
  t.send('Enter');
  await t.waitFor('Which data?');
  t.send(['Down', 'Down']);
  await t.waitFor('❯ Use data in local folders');
  t.send('Enter');
  await t.waitFor('Folder of song JSON files');
  t.type(join(folder, 'song_data'));
  t.send('Enter');
  await t.waitFor('Folder of event log files');
  t.type(join(folder, 'log_data'));
  t.send('Enter');
  await t.waitFor('jsonpaths file');
  t.type(join(folder, 'log_json_path.json'));
  t.send('Enter');
  await t.waitFor('p runs the pipeline');
}

/** From home: the pipeline screen, its plan ready, and `r` to run it. */
export async function runPipeline(t: Terminal): Promise<void> {
  t.send('p');
  await t.waitFor('ready · r runs the pipeline');
  t.send('r');
}
