// EXPLAIN on the fake cluster: DuckDB's plan of the statement, drawn as
// Redshift draws its plans (`XN Hash Join DS_BCAST_INNER`, `->` under the
// parent, details two columns in), with each join's distribution step chosen
// from the dist styles the tables were created with, as Redshift's planner
// chooses it: nothing moves when the inner side is on every node (ALL) or both
// sides are distributed on the join key; otherwise the smaller inner side is
// broadcast, or one side or both are redistributed on the key.
import type { TableStorage } from './data-api-layout.js';

interface DuckDbNode {
  name: string;
  children?: DuckDbNode[];
  extra_info?: Record<string, string | string[]>;
}

interface RedshiftNode {
  text: string;
  details: string[];
  children: RedshiftNode[];
  rows: number;
  cost: number;
}

/** Where a subtree's rows live: on every node, spread by a column's hash, or spread evenly. */
interface Distribution {
  kind: 'all' | 'key' | 'even';
  column?: string;
}

/** Inner sides this many times smaller than the outer are broadcast rather than redistributed. */
const BROADCAST_RATIO = 4;
const WIDTH = 16;

const info = (node: DuckDbNode, key: string): string | undefined => {
  const value = node.extra_info?.[key];
  return Array.isArray(value) ? value.join(', ') : value;
};
const rowsOf = (node: DuckDbNode, fallback: number) => Number(info(node, 'Estimated Cardinality') ?? fallback) || 0;

function node(text: string, rows: number, ownCost: number, children: RedshiftNode[], details: string[] = []): RedshiftNode {
  return { text, details, children, rows, cost: ownCost + children.reduce((sum, child) => sum + child.cost, 0) };
}

function joinStep(outer: Distribution, inner: Distribution, outerColumn: string, innerColumn: string, outerRows: number, innerRows: number): { step: string; result: Distribution } {
  const outerOnKey = outer.kind === 'key' && outer.column === outerColumn;
  const innerOnKey = inner.kind === 'key' && inner.column === innerColumn;
  const small = innerRows * BROADCAST_RATIO <= outerRows;
  if (inner.kind === 'all') return { step: 'DS_DIST_ALL_NONE', result: outer };
  if (outer.kind === 'all') return { step: 'DS_DIST_ALL_INNER', result: { kind: 'even' } };
  if (outerOnKey && innerOnKey) return { step: 'DS_DIST_NONE', result: outer };
  if (outerOnKey) return { step: small ? 'DS_BCAST_INNER' : 'DS_DIST_INNER', result: outer };
  if (innerOnKey) return { step: 'DS_DIST_OUTER', result: { kind: 'key', column: outerColumn } };
  return small ? { step: 'DS_BCAST_INNER', result: outer } : { step: 'DS_DIST_BOTH', result: { kind: 'key', column: outerColumn } };
}

function convert(duck: DuckDbNode, layouts: Map<string, TableStorage>, filters: string[] = []): { node: RedshiftNode; dist: Distribution } {
  const children = duck.children ?? [];
  const only = children[0];
  switch (duck.name) {
    case 'PROJECTION':
      return convert(only, layouts, filters);
    case 'FILTER':
      return convert(only, layouts, [...filters, info(duck, 'Expression') ?? '']);
    case 'SEQ_SCAN':
    case 'TABLE_SCAN': {
      const name = (info(duck, 'Table') ?? '').split('.').slice(-2);
      const storage = layouts.get(name.join('.')) ?? layouts.get(name[name.length - 1]);
      const dist: Distribution =
        storage?.diststyle === 'ALL' ? { kind: 'all' } : storage?.distkey ? { kind: 'key', column: storage.distkey } : { kind: 'even' };
      const rows = rowsOf(duck, 0);
      const details = [...(info(duck, 'Filters') ? [info(duck, 'Filters')!] : []), ...filters].filter(Boolean).map((f) => `Filter: (${f.replace(/\n/g, ' AND ')})`);
      return { node: node(`XN Seq Scan on ${name[name.length - 1]}`, rows, rows * 0.01, [], details), dist };
    }
    case 'HASH_JOIN':
    case 'NESTED_LOOP_JOIN':
    case 'PIECEWISE_MERGE_JOIN': {
      const outer = convert(children[0], layouts);
      const inner = convert(children[1], layouts);
      const condition = (info(duck, 'Conditions') ?? '').split(/\n|, /)[0];
      const [left, right] = condition.split(' = ').map((side) => side.trim().split('.').pop() ?? '');
      const { step, result } = joinStep(outer.dist, inner.dist, left, right, outer.node.rows, inner.node.rows);
      const moved = step === 'DS_DIST_NONE' || step === 'DS_DIST_ALL_NONE' ? 0 : inner.node.rows + (step === 'DS_DIST_BOTH' || step === 'DS_DIST_OUTER' ? outer.node.rows : 0);
      const type = info(duck, 'Join Type') ?? 'INNER';
      const kind = type === 'INNER' ? '' : ` ${type[0]}${type.slice(1).toLowerCase()}`;
      const rows = rowsOf(duck, outer.node.rows);
      const hash = node('XN Hash', inner.node.rows, inner.node.rows * 0.01, [inner.node]);
      const cond = left && right ? [`Hash Cond: ("outer".${left} = "inner".${right})`] : [];
      return { node: node(`XN Hash${kind} Join ${step}`, rows, rows * 0.01 + moved, [outer.node, hash], cond), dist: result };
    }
    case 'HASH_GROUP_BY':
    case 'PERFECT_HASH_GROUP_BY':
    case 'UNGROUPED_AGGREGATE': {
      const child = convert(only, layouts);
      const rows = rowsOf(duck, 1);
      const text = duck.name === 'UNGROUPED_AGGREGATE' ? 'XN Aggregate' : 'XN HashAggregate';
      return { node: node(text, rows, child.node.rows * 0.01, [child.node]), dist: child.dist };
    }
    case 'ORDER_BY':
    case 'TOP_N': {
      const child = convert(only, layouts);
      const key = info(duck, 'Order By') ?? info(duck, 'Top') ?? '';
      const rows = child.node.rows;
      const sort = node('XN Sort', rows, rows * 0.02, [child.node], [`Sort Key: ${key}`]);
      const network = node('XN Network', rows, 0, [sort], ['Send to leader']);
      const merge = node('XN Merge', rows, 0, [network], [`Merge Key: ${key}`]);
      return { node: duck.name === 'TOP_N' ? node('XN Limit', rows, 0, [merge]) : merge, dist: { kind: 'even' } };
    }
    default: {
      const converted = children.map((child) => convert(child, layouts));
      const title = duck.name
        .toLowerCase()
        .split('_')
        .map((word) => word[0].toUpperCase() + word.slice(1))
        .join(' ');
      const rows = rowsOf(duck, converted[0]?.node.rows ?? 0);
      return { node: node(`XN ${title}`, rows, 0, converted.map((c) => c.node)), dist: converted[0]?.dist ?? { kind: 'even' } };
    }
  }
}

function draw(plan: RedshiftNode, column: number, arrow: boolean, lines: string[]): void {
  const cost = `(cost=0.00..${plan.cost.toFixed(2)} rows=${Math.round(plan.rows)} width=${WIDTH})`;
  const text = `${plan.text}  ${cost}`;
  lines.push(arrow ? `${' '.repeat(column - 4)}->  ${text}` : `${' '.repeat(column)}${text}`);
  for (const detail of plan.details) lines.push(`${' '.repeat(column + 2)}${detail}`);
  for (const child of plan.children) draw(child, column + 6, true, lines);
}

/** The lines of `QUERY PLAN` for DuckDB's JSON plan of the same statement. */
export function redshiftPlanLines(duckDbJson: string, layouts: Map<string, TableStorage>): string[] {
  const roots = JSON.parse(duckDbJson) as DuckDbNode[];
  const lines: string[] = [];
  for (const root of roots) draw(convert(root, layouts).node, 0, false, lines);
  return lines;
}
