import { useRef, useState } from 'react';
import { Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { matches } from '../key-bindings.js';
import { splitKeys } from '../key-input.js';
import { Cursor } from './cursor.js';

/**
 * A one-line text input: typing and paste at the cursor, ←/→ and Home/End to
 * move it, Backspace and Delete, Ctrl-U; Enter submits.
 */
export function TextField({
  value,
  placeholder,
  isActive,
  onChange,
  onSubmit,
}: {
  value: string;
  placeholder?: string;
  isActive: boolean;
  onChange: (value: string) => void;
  onSubmit: (value: string) => void;
}) {
  // Keys can arrive faster than renders: edit the latest value and cursor, not the last rendered ones.
  const latest = useRef(value);
  const [cursor, setCursor] = useState(Array.from(value).length);
  const at = useRef(cursor);
  if (latest.current !== value) {
    // Changed from outside (cleared, or the next question's default): the cursor goes to the end.
    latest.current = value;
    at.current = Array.from(value).length;
    if (cursor !== at.current) setCursor(at.current);
  }
  const edit = (next: string[], position: number) => {
    latest.current = next.join('');
    at.current = position;
    setCursor(position);
    onChange(latest.current);
  };
  const move = (position: number) => {
    at.current = Math.max(0, Math.min(position, Array.from(latest.current).length));
    setCursor(at.current);
  };
  useKeys(
    (input, key) => {
      // Keys typed ahead arrive in one read (Ctrl-U, a path, Enter): each acts
      // in turn, and a control character is never taken as text.
      for (const [one, pressed] of splitKeys(input, key)) {
        const chars = Array.from(latest.current);
        const i = Math.min(at.current, chars.length);
        if (matches('text.submit', one, pressed)) {
          onSubmit(latest.current);
          return;
        } else if (matches('text.left', one, pressed)) move(i - 1);
        else if (matches('text.right', one, pressed)) move(i + 1);
        else if (matches('text.start', one, pressed)) move(0);
        else if (matches('text.end', one, pressed)) move(chars.length);
        // Ink reports the Backspace key as `delete`; forward delete is not told apart.
        else if (pressed.backspace || pressed.delete) {
          if (i > 0) edit([...chars.slice(0, i - 1), ...chars.slice(i)], i - 1);
        } else if (matches('text.clear', one, pressed)) edit([], 0);
        else if (!pressed.ctrl && !pressed.meta && !pressed.escape && !pressed.tab && !pressed.upArrow && !pressed.downArrow && one) {
          // A pasted line break submits what comes before it.
          const [line = '', ...rest] = one.split(/\r\n|\r|\n/);
          const typed = Array.from(line.replace(/[\u0000-\u001F\u007F-\u009F]/g, ''));
          edit([...chars.slice(0, i), ...typed, ...chars.slice(i)], i + typed.length);
          if (rest.length > 0) {
            onSubmit(latest.current);
            return;
          }
        }
      }
    },
    { isActive },
  );
  const chars = Array.from(value);
  const position = Math.min(cursor, chars.length);
  // An empty field draws the cursor before the placeholder, where typing
  // starts: the placeholder reads as a hint, not as text already there.
  return (
    <Text>
      <Text color="cyan">› </Text>
      {value === '' && placeholder ? (
        <>
          {isActive ? <Cursor /> : null}
          <Text dimColor>{placeholder}</Text>
        </>
      ) : isActive ? (
        <>
          <Text>{chars.slice(0, position).join('')}</Text>
          <Cursor char={chars[position] ?? ' '} />
          <Text>{chars.slice(position + 1).join('')}</Text>
        </>
      ) : (
        <Text>{value}</Text>
      )}
    </Text>
  );
}
