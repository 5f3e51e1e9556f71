// Waiting on frames of ink-testing-library renders: a bounded poll, never a fixed sleep.

/** Polls `check` until it holds; on timeout throws with the last frame. */
export async function until(check: () => boolean, what: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; last frame:\n${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Lets React finish the commit whose frame a test just saw: Ink attaches a
 * newly drawn component's key handler in a passive effect, which React's
 * scheduler runs in a later turn of the event loop than the frame. A key
 * written before then reaches no handler. This waits for those turns, not
 * for a time.
 */
export async function effectsFlushed(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Polls until `check` holds, then lets the frame's key handlers attach (see effectsFlushed). */
export async function untilReady(check: () => boolean, what: () => string, timeoutMs?: number): Promise<void> {
  await until(check, what, timeoutMs);
  await effectsFlushed();
}

/** What an ink-testing-library render gives: the last frame and its stdin. */
export interface RenderedApp {
  lastFrame(): string | undefined;
  stdin: { write(data: string): void };
}

/** Polls the frame until `predicate` holds (bounded), letting React and DuckDB work in between. */
export async function waitForFrame(app: RenderedApp, predicate: (frame: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = app.lastFrame() ?? '';
    if (predicate(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`frame never matched; last frame:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const contains = (text: string) => (frame: string) => frame.includes(text);

/** Writes keys one read at a time, letting the app take each before the next. */
export async function press(app: RenderedApp, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    app.stdin.write(key);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
