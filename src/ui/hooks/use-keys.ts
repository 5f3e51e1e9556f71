// useInput with the handler of the latest render. Ink subscribes the handler
// in a passive effect, which React may run well after the frame is drawn, so
// a key pressed right after a change (v, then PgDn) would reach the handler
// of the screen before it. The handler is kept current in a layout effect,
// which runs in the same commit as the drawing.
//
// A screen that is switched to listens only once its first frame's effects
// have run, and the SQL prompt first waits for the warehouse to open: keys
// typed in between would reach no handler. The app holds them (KeyHandoff)
// and hands them, in order, to the next screen once it listens.
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef } from 'react';
import { useInput, type Key } from 'ink';
import type { EventEmitter } from 'node:events';

/** Reads of stdin held while the next screen is not listening yet. */
export class KeyHandoff {
  private holding = true;
  private handing = false;
  private readonly held: string[] = [];
  /** The read being handed to the input handlers now (set before any of them sees it). */
  lastRead = '';

  constructor(private readonly input: EventEmitter) {}

  /** Notes each read before any handler sees it; returns the function that stops. */
  record(): () => void {
    const note = (read: string) => {
      this.lastRead = read;
    };
    // First of the listeners, whenever the others subscribed.
    this.input.prependListener('input', note);
    return () => {
      this.input.off('input', note);
    };
  }

  get isHolding(): boolean {
    return this.holding;
  }

  /** From now until a screen listens, reads are held, not handled. */
  hold(): void {
    this.holding = true;
  }

  /** Keeps a read (or the rest of one) for the next screen. */
  keep(read: string): void {
    if (read !== '') this.held.push(read);
  }

  /** Drops what is held and lets keys through (the next screen will not come). */
  release(): void {
    this.held.length = 0;
    this.holding = false;
  }

  /**
   * A handler started listening. The held reads are sent again after the
   * effects of this commit, so every handler the new screen draws listens.
   */
  claim(): void {
    if (!this.holding || this.handing) return;
    this.handing = true;
    queueMicrotask(() => {
      this.handing = false;
      this.holding = false;
      const reads = this.held.splice(0);
      for (let i = 0; i < reads.length; i++) {
        // A held key switched screens again: the rest waits for that one.
        if (this.holding) {
          this.held.push(...reads.slice(i));
          return;
        }
        this.input.emit('input', reads[i]);
      }
    });
  }
}

export const KeyHandoffContext = createContext<KeyHandoff | null>(null);

export function useKeyHandoff(): KeyHandoff | null {
  return useContext(KeyHandoffContext);
}

export function useKeys(handler: (input: string, key: Key) => void, options: { isActive?: boolean } = {}): void {
  const handoff = useKeyHandoff();
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  const onInput = useCallback(
    (input: string, key: Key) => {
      if (handoff?.isHolding) return;
      latest.current(input, key);
    },
    [handoff],
  );
  useInput(onInput, options);
  // Declared after useInput: runs once this handler is subscribed.
  const active = options.isActive !== false;
  useEffect(() => {
    if (active) handoff?.claim();
  }, [active, handoff]);
}

/**
 * The app's own handler: it sees every read, also while keys are held. It
 * keeps the held ones, and may still act on a key that must not wait (Ctrl-C).
 */
export function useAppKeys(handler: (input: string, key: Key, handoff: KeyHandoff | null) => void): void {
  const handoff = useKeyHandoff();
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  const onInput = useCallback((input: string, key: Key) => latest.current(input, key, handoff), [handoff]);
  useInput(onInput);
}
