import { Text } from 'ink';
import { useTimer } from '../hooks/use-timer.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function Spinner({ color = 'cyan' }: { color?: string }) {
  const elapsed = useTimer(true, null);
  return <Text color={color}>{FRAMES[Math.floor(elapsed / 100) % FRAMES.length]}</Text>;
}
