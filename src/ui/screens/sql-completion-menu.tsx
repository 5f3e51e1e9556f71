// The completion menu of the SQL draft: a column of names with their kind
// (and a column's type or a function's signature), the chosen one marked,
// scrolled to keep it in view, placed under the word being completed (over
// the lines above it when there is no room below) and pulled left so it fits
// the width.
import { Box, Text } from 'ink';
import type { CompletionKind } from '../../pipeline/completion.js';
import type { CompletionMenu } from './sql-reducer.js';

const LABEL_MAX = 32;
const DETAIL_MAX = 28;
const KIND_WIDTH = 'function'.length;

/** Rows of items the menu shows at a terminal height: fewer on a short terminal, never under three. */
export function menuRows(menu: CompletionMenu, height: number): number {
  return Math.min(menu.items.length, Math.max(3, Math.min(8, Math.floor(height / 3))));
}

/** Where the menu is drawn, and how many of its items show. */
export interface MenuPlace {
  /** Over the draft's lines above the cursor (taking no line of the screen), else under the draft. */
  above: boolean;
  rows: number;
}

/**
 * Under the draft while the menu (its items and the line under them) fits
 * there with the rest of the screen; else over the lines above the cursor, as
 * prompt_toolkit does, when more of it fits there.
 */
export function placeMenu(menu: CompletionMenu, height: number, roomBelow: number, roomAbove: number): MenuPlace {
  const rows = menuRows(menu, height);
  if (rows + 1 <= roomBelow || roomAbove <= roomBelow || roomAbove < 2) return { above: false, rows };
  return { above: true, rows: Math.min(rows, roomAbove - 1) };
}

const KIND_COLORS: Record<CompletionKind, string> = {
  schema: 'magenta',
  table: 'green',
  view: 'green',
  column: 'yellow',
  function: 'cyan',
  keyword: 'blue',
};

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width);
}

export function CompletionMenuView({ menu, width, rows, column, color }: { menu: CompletionMenu; width: number; rows: number; column: number; color: boolean }) {
  const top = Math.min(Math.max(0, menu.selected - rows + 1), menu.items.length - rows);
  const shown = menu.items.slice(top, top + rows);
  const labelWidth = Math.min(LABEL_MAX, Math.max(...menu.items.map((item) => item.label.length)));
  const detailWidth = Math.min(DETAIL_MAX, Math.max(0, ...menu.items.map((item) => item.detail?.length ?? 0)));
  const position = `${menu.selected + 1}/${menu.items.length}`;
  const hint = `${position} · Tab ↑↓ move · Enter insert · Esc close`;
  const menuWidth = Math.min(width, Math.max(hint.length, 2 + labelWidth + 2 + KIND_WIDTH + (detailWidth > 0 ? 1 + detailWidth : 0) + 1));
  const left = Math.max(0, Math.min(column, width - menuWidth));
  return (
    <Box flexDirection="column" marginLeft={left} width={menuWidth}>
      {shown.map((item, i) => {
        const chosen = top + i === menu.selected;
        const line = fit(`${chosen ? '›' : ' '} ${fit(item.label, labelWidth)}  ${item.kind.padEnd(KIND_WIDTH)}${detailWidth > 0 ? ` ${item.detail ?? ''}` : ''}`, menuWidth);
        if (!color) return <Text key={top + i}>{line}</Text>;
        const kindAt = 2 + labelWidth + 2;
        return (
          <Text key={top + i} inverse={chosen}>
            {line.slice(0, kindAt)}
            <Text color={KIND_COLORS[item.kind]}>{line.slice(kindAt, kindAt + KIND_WIDTH)}</Text>
            <Text dimColor={!chosen}>{line.slice(kindAt + KIND_WIDTH)}</Text>
          </Text>
        );
      })}
      <Text dimColor={color} wrap="truncate-end">
        {fit(hint, menuWidth)}
      </Text>
    </Box>
  );
}
