import { Text } from 'ink';
import { colorEnabled } from '../color.js';

/**
 * The text cursor on `char`: reverse video, or, where colour is off (and so
 * reverse video too), a bar before the character, so the cursor still shows.
 */
export function Cursor({ char = ' ', color = colorEnabled() }: { char?: string; color?: boolean }) {
  if (color) return <Text inverse>{char}</Text>;
  return <Text>{char === ' ' ? '▏' : `▏${char}`}</Text>;
}
