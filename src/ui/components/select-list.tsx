import { Box, Text } from 'ink';

export interface SelectItem {
  value: string;
  label: string;
  hint?: string;
}

/** A list with a cursor; the parent owns the selection (it lives in a reducer). */
export function SelectList({ items, selected }: { items: SelectItem[]; selected: number }) {
  return (
    <Box flexDirection="column">
      {items.map((item, i) => (
        <Text key={item.value} wrap="truncate-end">
          <Text color={i === selected ? 'cyan' : undefined}>{i === selected ? '❯ ' : '  '}{item.label}</Text>
          {item.hint ? <Text dimColor> {item.hint}</Text> : null}
        </Text>
      ))}
    </Box>
  );
}
