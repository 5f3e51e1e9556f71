// Elapsed time that ticks while `isActive`, in milliseconds at tenth-of-a-second
// steps. Changing `resetKey` starts it again from zero.
import { useEffect, useState } from 'react';

export const TIMER_TICK_MS = 100;

export function useTimer(isActive: boolean, resetKey: unknown): number {
  const [startedAt, setStartedAt] = useState(() => Date.now());
  const [elapsed, setElapsed] = useState(0);

  useEffect(() => {
    setStartedAt(Date.now());
    setElapsed(0);
  }, [resetKey]);

  useEffect(() => {
    if (!isActive) return;
    const tick = () => setElapsed(Date.now() - startedAt);
    tick();
    const interval = setInterval(tick, TIMER_TICK_MS);
    return () => clearInterval(interval);
  }, [isActive, startedAt]);

  return elapsed;
}
