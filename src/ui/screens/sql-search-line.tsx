// Reverse history search (Ctrl-R) in the editor's place: the query as typed
// and the entry it found, on one line.
import { Text } from 'ink';

export function SearchLine({ search, history, width }: { search: { query: string; match: number; failing: boolean }; history: readonly string[]; width: number }) {
  const found = search.match === -1 ? '' : history[search.match].replace(/\s*\n\s*/g, ' ');
  const label = `(${search.failing ? 'no match · ' : ''}history search) '${search.query}': `;
  const room = Math.max(0, width - label.length);
  return (
    <Text wrap="truncate-end">
      <Text color="cyan">{label}</Text>
      {found.length > room ? `${found.slice(0, Math.max(0, room - 1))}…` : found}
    </Text>
  );
}

