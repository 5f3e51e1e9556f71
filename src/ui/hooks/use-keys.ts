// useInput with the handler of the latest render. Ink subscribes the handler
// in a passive effect, which React may run well after the frame is drawn, so
// a key pressed right after a change (v, then PgDn) would reach the handler
// of the screen before it. The handler is kept current in a layout effect,
// which runs in the same commit as the drawing.
import { useCallback, useLayoutEffect, useRef } from 'react';
import { useInput, type Key } from 'ink';

export function useKeys(handler: (input: string, key: Key) => void, options: { isActive?: boolean } = {}): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  const onInput = useCallback((input: string, key: Key) => latest.current(input, key), []);
  useInput(onInput, options);
}
