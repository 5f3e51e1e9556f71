// Waiting on frames of ink-testing-library renders: a bounded poll, never a fixed sleep.

/** Polls `check` until it holds; on timeout throws with the last frame. */
export async function until(check: () => boolean, what: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; last frame:\n${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
