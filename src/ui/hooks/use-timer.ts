// Elapsed time that ticks while `isActive`, in milliseconds at tenth-of-a-second
// steps. Changing `resetKey` starts it again from zero, or from `since` (a
// Date.now() time) when given, so a clock whose start outlives a redraw keeps it.
import { useEffect, useRef, useState } from 'react';

export const TIMER_TICK_MS = 100;

export function useTimer(isActive: boolean, resetKey: unknown, since?: number): number {
  const start = useRef<{ key: unknown; at: number } | null>(null);
  // Each reading names the key it was taken under: a reading from before a reset counts as zero.
  const [reading, setReading] = useState<{ key: unknown; ms: number }>({ key: resetKey, ms: 0 });

  useEffect(() => {
    if (start.current === null || start.current.key !== resetKey) start.current = { key: resetKey, at: since ?? Date.now() };
    if (!isActive) return;
    const { at } = start.current;
    const tick = () => setReading({ key: resetKey, ms: Math.max(0, Date.now() - at) });
    tick();
    const interval = setInterval(tick, TIMER_TICK_MS);
    return () => clearInterval(interval);
  }, [isActive, resetKey, since]);

  return reading.key === resetKey ? reading.ms : 0;
}
