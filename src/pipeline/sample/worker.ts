// A worker thread of `sparkify sample` (bundled as dist/sample-worker.js):
// makes and writes the log files it is given, reporting each.
import { parentPort, workerData } from 'node:worker_threads';
import { LogFileMaker, writeLogFile } from './log-files.js';
import type { FileWritten, WorkerTask } from './log-workers.js';

const task = workerData as WorkerTask;
const maker = new LogFileMaker(task.seed, task.sizes);
for (const index of task.indexes) {
  const part = task.parts[index];
  const { file, events } = maker.make(part, index);
  await writeLogFile(task.root, part, file);
  const written: FileWritten = { index, events, bytes: file.length };
  parentPort?.postMessage(written);
}
