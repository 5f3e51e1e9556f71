import { Box, Text } from 'ink';
import { KEY_BINDINGS, type KeyBinding, type KeyScope } from '../key-bindings.js';

const SCOPE_TITLES: Record<KeyScope, string> = {
  global: 'everywhere',
  home: 'home',
  pipeline: 'pipeline',
  cluster: 'cluster',
  sql: 'SQL prompt',
  'sql-editor': 'SQL editor',
  'sql-menu': 'completion menu',
  setup: 'setup',
  'setup-list': 'setup lists',
  confirm: 'confirmations',
  choice: 'choices on the way (a final snapshot)',
  text: 'text fields',
};

interface OverlayLine {
  key: string;
  text: string;
  title?: boolean;
}

function overlayLines(scopes: readonly KeyScope[]): OverlayLine[] {
  const lines: OverlayLine[] = [];
  for (const scope of scopes) {
    const bindings = KEY_BINDINGS.filter((b) => b.scope === scope && (b as KeyBinding).inOverlay !== false);
    if (bindings.length === 0) continue;
    lines.push({ key: `t-${scope}`, text: SCOPE_TITLES[scope], title: true });
    for (const b of bindings) lines.push({ key: b.command, text: `  ${b.label.padEnd(7)} ${b.description}` });
  }
  return lines;
}

/** Rows of key lines that fit: the border and title take three, the position line one. */
function roomFor(height: number): number {
  return Math.max(1, height - 4);
}

/** How far the overlay can scroll for these scopes at this height. */
export function overlayMaxScroll(scopes: readonly KeyScope[], height: number): number {
  return Math.max(0, overlayLines(scopes).length - roomFor(height));
}

/** Every key of the table, grouped by where it works, scrolled by `scroll` lines when it is taller than `height`. */
export function KeyHelpOverlay({ scopes, height, scroll = 0 }: { scopes: readonly KeyScope[]; height: number; scroll?: number }) {
  const lines = overlayLines(scopes);
  const fits = lines.length + 3 <= height;
  const room = fits ? lines.length : roomFor(height);
  const first = fits ? 0 : Math.min(Math.max(0, scroll), lines.length - room);
  const shown = lines.slice(first, first + room);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} alignSelf="flex-start">
      <Text bold>keys (Esc closes{fits ? '' : ' · ↑↓ scroll'})</Text>
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
      {fits ? null : (
        <Text dimColor>
          {first + 1}–{first + shown.length} of {lines.length}
          {first + shown.length < lines.length ? ' · ↓ more' : ''}
        </Text>
      )}
    </Box>
  );
}
