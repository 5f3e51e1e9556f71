// The example star-schema queries shipped in sql/queries/*.sql, each starting
// with `-- title: ...`, and the list the SQL prompt picks them from.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Box, Text } from 'ink';

export interface ExampleQuery {
  file: string;
  title: string;
  /** The statement without its title line. */
  sql: string;
}

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

export async function loadExampleQueries(dir: string | undefined = defaultQueriesDir()): Promise<ExampleQuery[]> {
  if (!dir) return [];
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = (await readFile(join(dir, file), 'utf8')).replace(/\r\n?/g, '\n');
      const title = /^--\s*title:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? file.replace(/\.sql$/, '');
      const sql = text.replace(/^--\s*title:.*\n?/m, '').trim();
      return { file, title, sql };
    }),
  );
}

export function ExamplePicker({ examples, selected, height }: { examples: ExampleQuery[]; selected: number; height: number }) {
  if (examples.length === 0) return <Text dimColor>no example queries found</Text>;
  const visible = Math.max(1, height - 1);
  const top = Math.min(Math.max(0, selected - visible + 1), Math.max(0, examples.length - visible));
  return (
    <Box flexDirection="column">
      <Text bold>Example queries · Enter puts one in the editor · Esc closes</Text>
      {examples.slice(top, top + visible).map((example, i) => {
        const index = top + i;
        return (
          <Text key={example.file} wrap="truncate-end" inverse={index === selected}>
            {index === selected ? '› ' : '  '}
            {example.title}
          </Text>
        );
      })}
    </Box>
  );
}
