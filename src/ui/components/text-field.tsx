import { useRef } from 'react';
import { Text, useInput } from 'ink';
import { matches } from '../key-bindings.js';

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
      const current = latest.current;
      if (matches('text.submit', input, key)) onSubmit(current);
      else if (key.backspace || key.delete) change(current.slice(0, -1));
      else if (matches('text.clear', input, key)) change('');
      else if (!key.ctrl && !key.meta && !key.escape && !key.tab && !key.upArrow && !key.downArrow && input) {
        // Typed-ahead text and Enter can arrive as one chunk: the line break submits.
        const [line = '', ...rest] = input.split(/\r\n|\r|\n/);
        change(current + line);
        if (rest.length > 0) onSubmit(current + line);
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
