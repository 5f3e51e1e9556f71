// `sparkify run --plan`: what a run would do, in lines, without doing it.
import type { PlannedStep } from '../events.js';
import { fileDate, type FileSelection, type SourceFile } from './files.js';
import { formatDuration } from './present.js';

const SHOWN_FILES = 5;

const bytes = (n: number) =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;

/** 12,345: as toLocaleString('en-US') writes it, without loading the locale data (about 40 ms, a plan's first number). */
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

const count = (n: number, noun: string) => `${grouped(n)} ${noun}${n === 1 ? '' : 's'}`;

/** `, first day to last day` of the event files among `files`. */
function dayRange(files: SourceFile[]): string {
  const days = files.map((f) => fileDate(f.uri)).filter((d): d is string => d !== undefined).sort();
  return days.length > 0 ? `, ${days[0] === days.at(-1) ? days[0] : `${days[0]} to ${days.at(-1)}`}` : '';
}

/** The plan's lines: files per table, the steps and their statements, and an estimate where the ledger has one. */
export function describePlan(steps: PlannedStep[], selections: FileSelection[], history: Record<string, number[]> = {}): string[] {
  const lines: string[] = [];
  for (const s of selections) {
    const size = s.load.reduce((sum, f) => sum + f.size, 0);
    lines.push(`${s.table}: ${count(s.load.length, 'file')} to load (${bytes(size)}${dayRange(s.load)})`);
    const added = s.reloaded ?? s.load;
    for (const f of added.slice(0, SHOWN_FILES)) lines.push(`  + ${f.uri}`);
    if (added.length > SHOWN_FILES) lines.push(`  … ${grouped(added.length - SHOWN_FILES)} more`);
    if (s.reloaded) {
      for (const f of s.changed) lines.push(`  ! ${f.uri} changed since it was loaded: reloaded`);
      lines.push(
        `  ↻ ${s.table} is loaded again from all ${count(s.load.length, 'file')} (${grouped(added.length)} new, ${grouped(s.changed.length)} changed, ` +
          `${grouped(s.kept.length)} as loaded before) and the star schema is transformed again from all of staging: staging keeps no file name, so a changed file's old rows cannot be picked out`,
      );
      if (s.gone.length > 0) lines.push(`  - ${count(s.gone.length, 'file')} loaded before and no longer there: their rows leave staging`);
    } else {
      if (s.kept.length > 0) lines.push(`  = ${grouped(s.kept.length)} already loaded, unchanged: skipped`);
      for (const f of s.changed) lines.push(`  ! ${f.uri} changed since it was loaded: skipped (its rows stay as loaded; --reload-changed reloads it)`);
      if (s.gone.length > 0) {
        const files = s.gone.length === 1 ? '1 file in the ledger is' : `${grouped(s.gone.length)} files in the ledger are`;
        lines.push(`  - ${files} no longer in the source: nothing is deleted, their rows stay in staging and the star schema (a full run loads only what is there)`);
        for (const uri of s.gone.slice(0, SHOWN_FILES)) lines.push(`      ${uri}`);
        if (s.gone.length > SHOWN_FILES) lines.push(`      … ${grouped(s.gone.length - SHOWN_FILES)} more`);
      }
    }
    if (s.outsideDates > 0) lines.push(`  - ${grouped(s.outsideDates)} outside --since/--until: skipped`);
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
      const added = s.reloaded ?? s.load;
      const size = added.reduce((sum, f) => sum + f.size, 0);
      const changed = s.changed.length === 0 ? '' : s.reloaded ? ` (${s.changed.length} changed: all ${s.load.length} reloaded)` : ` (${s.changed.length} changed, skipped)`;
      const gone = s.gone.length === 0 ? '' : ` (${s.gone.length} no longer in the source)`;
      return `${added.length} new ${NOUN[s.table] ?? s.table} file${added.length === 1 ? '' : 's'}${added.length > 0 ? ` (${bytes(size)}${dayRange(added)})` : ''}${changed}${gone}`;
    })
    .join(' · ');
}
