// The Data API has no waiters: a statement's progress is read by polling
// DescribeStatement. The delay grows with the time waited, so short statements
// are seen finishing within tens of milliseconds and long ones cost about one
// call per second.

const FIRST_POLL_MS = 10;
const MIN_POLL_MS = 20;
const MAX_POLL_MS = 1000;
/** Delay as a share of the time waited so far: bounds how late a finish is seen (≤ 20%). */
const GROWTH = 0.2;

/** Milliseconds to wait before the next DescribeStatement, given the time waited since the last progress. */
export function nextPollDelay(elapsedMs: number): number {
  if (elapsedMs <= 0) return FIRST_POLL_MS;
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, elapsedMs * GROWTH));
}

/** Waits `ms`, or less if the signal aborts first (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
