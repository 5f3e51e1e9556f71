// Preloaded into a benchmarked process (`node --import ./bench/heap-peak.mjs`):
// samples its memory every 200 ms and writes, at exit, the peaks of RSS and of
// the JavaScript heap, and when the heap peaked, to $SPARKIFY_BENCH_HEAP_OUT as JSON.
// RSS less the heap is mostly DuckDB's (its buffer pool and readers).
import { writeFileSync } from 'node:fs';

const out = process.env.SPARKIFY_BENCH_HEAP_OUT;
const started = performance.now();
const peak = { rssMb: 0, heapMb: 0, heapAtS: 0 };
const sample = () => {
  const { rss, heapUsed } = process.memoryUsage();
  peak.rssMb = Math.max(peak.rssMb, rss / 1024 ** 2);
  if (heapUsed / 1024 ** 2 > peak.heapMb) {
    peak.heapMb = heapUsed / 1024 ** 2;
    peak.heapAtS = (performance.now() - started) / 1000;
  }
};
if (out) {
  setInterval(sample, 200).unref();
  process.on('exit', () => {
    sample();
    writeFileSync(out, JSON.stringify(peak));
  });
}
