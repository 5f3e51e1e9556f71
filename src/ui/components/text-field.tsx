import { useRef } from 'react';
import { Text, useInput } from 'ink';
import { matches } from '../key-bindings.js';
import { splitKeys } from '../key-input.js';

/** A one-line text input: typing, paste, Backspace, Ctrl-U; Enter submits. */
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
  // Keys can arrive faster than renders: edit the latest value, not the last rendered one.
  const latest = useRef(value);
  latest.current = value;
  const change = (next: string) => {
    latest.current = next;
    onChange(next);
  };
  useInput(
    (input, key) => {
      // Keys typed ahead arrive in one read (Ctrl-U, a path, Enter): each acts
      // in turn, and a control character is never taken as text.
      for (const [one, pressed] of splitKeys(input, key)) {
        const current = latest.current;
        if (matches('text.submit', one, pressed)) {
          onSubmit(current);
          return;
        } else if (pressed.backspace || pressed.delete) change(Array.from(current).slice(0, -1).join(''));
        else if (matches('text.clear', one, pressed)) change('');
        else if (!pressed.ctrl && !pressed.meta && !pressed.escape && !pressed.tab && !pressed.upArrow && !pressed.downArrow && one) {
          // A pasted line break submits what comes before it.
          const [line = '', ...rest] = one.split(/\r\n|\r|\n/);
          change(current + line.replace(/[\u0000-\u001F\u007F-\u009F]/g, ''));
          if (rest.length > 0) {
            onSubmit(latest.current);
            return;
          }
        }
      }
    },
    { isActive },
  );
  // An empty field draws the cursor before the placeholder, where typing
  // starts: the placeholder reads as a hint, not as text already there.
  const cursor = isActive ? <Text inverse> </Text> : null;
  return (
    <Text>
      <Text color="cyan">› </Text>
      {value === '' && placeholder ? (
        <>
          {cursor}
          <Text dimColor>{placeholder}</Text>
        </>
      ) : (
        <>
          <Text>{value}</Text>
          {cursor}
        </>
      )}
    </Text>
  );
}
