// Above a result of the SQL prompt: a tab per statement of the draft (its
// number, rows or command tag, time), and the text of the statement shown.
import { Text } from 'ink';
import { stripLeadingComments } from '../../pipeline/sql/tokenizer.js';
import { formatCount } from '../components/format.js';
import type { ResultTab } from './sql-result-state.js';
import { formatDuration, rowCountLabel } from './sql-status-line.js';

const GAP = ' │ ';

/** What a tab says: the statement's number (#2, apart from a count beside it), then its rows, its tag or that it failed, and its time. */
export function tabLabel(tab: ResultTab): string {
  if (tab.failed) return ` #${tab.index} ✗ failed `;
  const what = tab.view ? rowCountLabel(tab.view) : tab.tag;
  return ` #${tab.index} ${what} · ${formatDuration(tab.wallMs)} `;
}

/** The tabs around the one shown that fit in `width`. */
function visibleTabs(labels: string[], active: number, width: number): { first: number; last: number } {
  let first = active;
  let last = active;
  let used = labels[active]?.length ?? 0;
  for (let grew = true; grew; ) {
    grew = false;
    if (last + 1 < labels.length && used + GAP.length + labels[last + 1].length <= width) {
      last += 1;
      used += GAP.length + labels[last].length;
      grew = true;
    }
    if (first > 0 && used + GAP.length + labels[first - 1].length <= width) {
      first -= 1;
      used += GAP.length + labels[first].length;
      grew = true;
    }
  }
  return { first, last };
}

export function ResultTabs({ tabs, dropped, active, width }: { tabs: ResultTab[]; dropped: number; active: number; width: number }) {
  const labels = tabs.map(tabLabel);
  // The results dropped before the first tab kept (MAX_KEPT_RESULTS) are counted where they were.
  const before = dropped > 0 ? `${formatCount(dropped)} dropped ‹ ` : '';
  const { first, last } = visibleTabs(labels, active, width - 4 - before.length);
  return (
    <Text wrap="truncate-end">
      {first === 0 && before ? <Text dimColor>{before}</Text> : first > 0 ? <Text dimColor>‹ </Text> : null}
      {labels.slice(first, last + 1).map((label, i) => {
        const index = first + i;
        const tab = tabs[index];
        return (
          <Text key={index}>
            {i > 0 ? <Text dimColor>{GAP}</Text> : null}
            <Text inverse={index === active} bold={index === active} color={tab.failed ? 'red' : undefined}>
              {label}
            </Text>
          </Text>
        );
      })}
      {last < tabs.length - 1 ? <Text dimColor> ›</Text> : null}
    </Text>
  );
}

/** The statement as one line: comments before it dropped, runs of white space as one space. */
export function statementLine(sql: string): string {
  return stripLeadingComments(sql).replace(/\s+/g, ' ').trim();
}

export function StatementLine({ tab, count }: { tab: ResultTab; count: number }) {
  const place = count > 1 ? `${tab.index}/${count} ` : '';
  return (
    <Text wrap="truncate-end" dimColor>
      {place}› {statementLine(tab.sql)}
    </Text>
  );
}
