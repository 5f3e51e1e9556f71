import { Box, Text } from 'ink';

export interface SelectItem {
  value: string;
  label: string;
  hint?: string;
}

/**
 * A list with a cursor; the parent owns the selection (it lives in a reducer).
 * A hint too long for the row wraps beside its label, at a space, never cut.
 */
export function SelectList({ items, selected }: { items: SelectItem[]; selected: number }) {
  return (
    <Box flexDirection="column">
      {items.map((item, i) => (
        <Box key={item.value}>
          <Box flexShrink={0}>
            <Text color={i === selected ? 'cyan' : undefined}>
              {i === selected ? '❯ ' : '  '}
              {item.label}
            </Text>
          </Box>
          {item.hint ? (
            <Box flexShrink={1} marginLeft={1}>
              <Text dimColor wrap="wrap">
                {item.hint}
              </Text>
            </Box>
          ) : null}
        </Box>
      ))}
    </Box>
  );
}
