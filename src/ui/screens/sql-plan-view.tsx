// The EXPLAIN view: a statement's plan drawn as a tree of operators. On
// Redshift each join's distribution step is marked (data moving between nodes
// or not) and explained in a line, and each scanned table shows its DISTKEY and
// SORTKEY beside it.
import { Box, Text } from 'ink';
import { DISTRIBUTION_STEPS, storageLabel, type Plan, type PlanNode } from '../../pipeline/explain.js';

export interface PlanLine {
  /** The tree's branches before the text. */
  prefix: string;
  text: string;
  kind: 'operator' | 'detail' | 'step';
  /** A distribution step that moves data (drawn as a warning). */
  moves?: boolean;
  /** DISTKEY/SORTKEY of the table an operator scans. */
  storage?: string;
}

/** The tree as lines: each node, then its details and (Redshift) its step's meaning, then its children. */
export function planLines(plan: Plan): PlanLine[] {
  const lines: PlanLine[] = [];
  const visit = (node: PlanNode, lead: string, branch: string, last: boolean) => {
    const storage = node.table ? plan.storage.get(node.table) : undefined;
    // Redshift names the table in the operator (`XN Seq Scan on t`); DuckDB apart from it.
    const text = node.table && !node.operator.includes(node.table) ? `${node.operator} ${node.table}` : node.operator;
    lines.push({ prefix: lead + branch, text, kind: 'operator', storage: storage ? storageLabel(storage) : undefined });
    const under = lead + (branch === '' ? '' : last ? '   ' : '│  ');
    const inner = under + (node.children.length > 0 ? '│ ' : '  ');
    const step = node.distribution ? DISTRIBUTION_STEPS[node.distribution] : undefined;
    if (step) lines.push({ prefix: inner, text: `${node.distribution}: ${step.means}`, kind: 'step', moves: step.moves });
    for (const detail of node.details) lines.push({ prefix: inner, text: detail, kind: 'detail' });
    node.children.forEach((child, i) => visit(child, under, i === node.children.length - 1 ? '└─ ' : '├─ ', i === node.children.length - 1));
  };
  plan.roots.forEach((root) => visit(root, '', '', true));
  return lines;
}

/** Lines of the tree on a screen of `height` lines: the title and the footer take two. */
export function planRoom(height: number): number {
  return Math.max(1, height - 2);
}

/** The highest first line worth scrolling to: the last screenful. */
export function planMaxTop(plan: Plan, height: number): number {
  return Math.max(0, planLines(plan).length - planRoom(height));
}

export function PlanView({ plan, sql, top, width, height }: { plan: Plan; sql: string; top: number; width: number; height: number }) {
  const lines = planLines(plan);
  const moving = lines.filter((line) => line.kind === 'step' && line.moves).length;
  const visible = planRoom(height);
  const start = Math.min(top, Math.max(0, lines.length - visible));
  const engine = plan.target === 'redshift' ? 'Redshift' : 'local engine';
  const summary = plan.target === 'redshift' ? ` · ${moving === 0 ? 'no join moves data' : `${moving} join${moving === 1 ? '' : 's'} move data between nodes`}` : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        Plan on the {engine}
        {summary} · {sql.replace(/\s+/g, ' ')}
      </Text>
      {lines.slice(start, start + visible).map((line, i) => (
        <Text key={start + i} wrap="truncate-end">
          <Text dimColor>{line.prefix}</Text>
          {line.kind === 'operator' ? <Text bold>{line.text}</Text> : line.kind === 'step' ? <Text color={line.moves ? 'yellow' : 'green'}>{`${line.moves ? '⚠' : '✓'} ${line.text}`}</Text> : <Text dimColor>{line.text}</Text>}
          {line.storage ? <Text color="cyan">{`  [${line.storage}]`}</Text> : null}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        lines {lines.length === 0 ? 0 : start + 1}–{Math.min(lines.length, start + visible)} of {lines.length} · ↑↓ PgUp/PgDn scroll · Esc back to the editor
      </Text>
    </Box>
  );
}
