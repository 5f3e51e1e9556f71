import { Box, Text } from 'ink';
import { KEY_BINDINGS, type KeyScope } from '../key-bindings.js';

const SCOPE_TITLES: Record<KeyScope, string> = {
  global: 'everywhere',
  home: 'home',
  pipeline: 'pipeline',
  cluster: 'cluster',
  sql: 'SQL prompt',
  setup: 'setup',
  confirm: 'confirmations',
  text: 'text fields',
};

/** Every key of the table, grouped by where it works. Shows the scopes asked for. */
export function KeyHelpOverlay({ scopes, height }: { scopes: readonly KeyScope[]; height: number }) {
  const lines: { key: string; text: string; title?: boolean }[] = [];
  for (const scope of scopes) {
    const bindings = KEY_BINDINGS.filter((b) => b.scope === scope);
    if (bindings.length === 0) continue;
    lines.push({ key: `t-${scope}`, text: SCOPE_TITLES[scope], title: true });
    for (const b of bindings) lines.push({ key: b.command, text: `  ${b.label.padEnd(7)} ${b.description}` });
  }
  const shown = lines.slice(0, Math.max(1, height - 1));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>keys (Esc closes)</Text>
      {shown.map((line) =>
        line.title ? (
          <Text key={line.key} color="cyan">
            {line.text}
          </Text>
        ) : (
          <Text key={line.key} wrap="truncate-end">
            {line.text}
          </Text>
        ),
      )}
    </Box>
  );
}
