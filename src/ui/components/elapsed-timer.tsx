import { Text } from 'ink';
import { useTimer } from '../hooks/use-timer.js';
import { formatSeconds } from './format.js';

/** A live timer in tenths of a second; restarts when `resetKey` changes. */
export function ElapsedTimer({ isActive, resetKey }: { isActive: boolean; resetKey: unknown }) {
  const elapsed = useTimer(isActive, resetKey);
  return <Text>{formatSeconds(elapsed)}</Text>;
}
