// The list the SQL prompt picks queries from: the example star-schema queries
// shipped in sql/queries/*.sql, then the user's saved ones (`\save NAME`).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Box, Text } from 'ink';
import { loadQueries, type SavedQuery } from '../../pipeline/saved-queries.js';

export type ExampleQuery = SavedQuery;

/**
 * sql/queries next to the code: two folders up from dist/chunks, three from
 * src/ui/screens. Found by walking up so both layouts work.
 */
export function defaultQueriesDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth += 1) {
    const candidate = join(dir, 'sql', 'queries');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/** The shipped examples, then the queries saved in `savedDir`. */
export async function loadExampleQueries(dir: string | undefined = defaultQueriesDir(), savedDir?: string): Promise<ExampleQuery[]> {
  return [...(await loadQueries(dir, 'example')), ...(await loadQueries(savedDir, 'saved'))];
}

export function ExamplePicker({ examples, selected, height }: { examples: ExampleQuery[]; selected: number; height: number }) {
  if (examples.length === 0) return <Text dimColor>no example queries found</Text>;
  const visible = Math.max(1, height - 1);
  const top = Math.min(Math.max(0, selected - visible + 1), Math.max(0, examples.length - visible));
  return (
    <Box flexDirection="column">
      <Text bold>Example and saved queries · Enter puts one in the editor · Esc closes</Text>
      {examples.slice(top, top + visible).map((example, i) => {
        const index = top + i;
        return (
          <Text key={`${example.origin}/${example.file}`} wrap="truncate-end" inverse={index === selected}>
            {index === selected ? '› ' : '  '}
            {example.title}
            {example.origin === 'saved' ? <Text dimColor>{`  saved · ${example.file}`}</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}
