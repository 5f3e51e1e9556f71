// `sparkify run --plan`: what a run would do, in lines, without doing it.
import type { PlannedStep } from '../events.js';
import { fileDate, type FileSelection } from './files.js';
import { formatDuration } from './present.js';

const SHOWN_FILES = 5;

const bytes = (n: number) =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;

/** The plan's lines: files per table, the steps and their statements, and an estimate where the ledger has one. */
export function describePlan(steps: PlannedStep[], selections: FileSelection[], history: Record<string, number[]> = {}): string[] {
  const lines: string[] = [];
  for (const s of selections) {
    const size = s.load.reduce((sum, f) => sum + f.size, 0);
    const days = s.load.map((f) => fileDate(f.uri)).filter((d): d is string => d !== undefined).sort();
    const range = days.length > 0 ? `, ${days[0] === days.at(-1) ? days[0] : `${days[0]} to ${days.at(-1)}`}` : '';
    lines.push(`${s.table}: ${s.load.length.toLocaleString('en-US')} file${s.load.length === 1 ? '' : 's'} to load (${bytes(size)}${range})`);
    for (const f of s.load.slice(0, SHOWN_FILES)) lines.push(`  + ${f.uri}`);
    if (s.load.length > SHOWN_FILES) lines.push(`  … ${(s.load.length - SHOWN_FILES).toLocaleString('en-US')} more`);
    if (s.seen > 0) lines.push(`  = ${s.seen.toLocaleString('en-US')} already loaded, unchanged: skipped`);
    for (const f of s.changed) lines.push(`  ! ${f.uri} changed since it was loaded: skipped (its rows stay as loaded; a full run reloads it)`);
    if (s.outsideDates > 0) lines.push(`  - ${s.outsideDates.toLocaleString('en-US')} outside --since/--until: skipped`);
  }
  lines.push('steps:');
  let estimate = 0;
  let estimated = 0;
  for (const step of steps) {
    const past = history[step.id] ?? [];
    if (!step.skip && past.length > 0) {
      const sorted = [...past].sort((a, b) => a - b);
      estimate += sorted[Math.floor(sorted.length / 2)];
      estimated++;
    }
    lines.push(`  ${step.skip ? '-' : '▶'} ${step.title}${step.skip ? ` (skipped: ${step.skip})` : ''}${step.atomic ? ' · one transaction' : ''}`);
    if (!step.skip) for (const statement of step.statements) lines.push(`      ${statement.name}`);
  }
  if (estimated > 0) lines.push(`estimate: about ${formatDuration(estimate)} (each step's median over the runs in the ledger)`);
  return lines;
}

const NOUN: Record<string, string> = { 'staging.s_songs': 'song', 'staging.s_events': 'event' };

/** One line on what an incremental run would load, for the app's plan header. */
export function selectionSummary(selections: FileSelection[]): string {
  return selections
    .map((s) => {
      const size = s.load.reduce((sum, f) => sum + f.size, 0);
      const days = s.load.map((f) => fileDate(f.uri)).filter((d): d is string => d !== undefined).sort();
      const range = days.length > 0 ? `, ${days[0] === days.at(-1) ? days[0] : `${days[0]} to ${days.at(-1)}`}` : '';
      const changed = s.changed.length > 0 ? ` (${s.changed.length} changed, skipped)` : '';
      return `${s.load.length} new ${NOUN[s.table] ?? s.table} file${s.load.length === 1 ? '' : 's'}${s.load.length > 0 ? ` (${bytes(size)}${range})` : ''}${changed}`;
    })
    .join(' · ');
}
