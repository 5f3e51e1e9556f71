import { Text, useInput } from 'ink';

/** A one-line text input: typing, paste, Backspace; Enter submits. */
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
  useInput(
    (input, key) => {
      if (key.return) onSubmit(value);
      else if (key.backspace || key.delete) onChange(value.slice(0, -1));
      else if (key.ctrl && input === 'u') onChange('');
      else if (!key.ctrl && !key.meta && !key.escape && !key.tab && !key.upArrow && !key.downArrow && input) {
        onChange(value + input.replace(/[\r\n]+/g, ''));
      }
    },
    { isActive },
  );
  return (
    <Text>
      <Text color="cyan">› </Text>
      {value === '' && placeholder ? <Text dimColor>{placeholder}</Text> : <Text>{value}</Text>}
      {isActive ? <Text inverse> </Text> : null}
    </Text>
  );
}
