// COPY ... MANIFEST: the source names a JSON manifest that lists the files by
// URL, each optionally `mandatory`. A mandatory file that is missing fails the
// load; a missing optional one is skipped, as on Redshift.
import { readFile, stat } from 'node:fs/promises';
import { LoadError, describeSystemError, isSystemError } from '../errors.js';
import type { CopySpec } from '../sql/copy.js';

interface ManifestEntry {
  url: string;
  mandatory: boolean;
}

function parseManifest(copy: CopySpec, content: string): ManifestEntry[] {
  const fail = (why: string) =>
    new LoadError(copy.table, `COPY into ${copy.table}: the manifest ${copy.source} ${why}`, [], {
      hint: 'a manifest is {"entries": [{"url": "s3://bucket/key", "mandatory": true}, ...]}; fix it, then run again',
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw fail(`is not valid JSON: ${(error as Error).message}`);
  }
  const entries = (parsed as { entries?: unknown })?.entries;
  if (!Array.isArray(entries)) throw fail('has no "entries" array');
  return entries.map((entry: unknown, i) => {
    const { url, mandatory } = (entry ?? {}) as { url?: unknown; mandatory?: unknown };
    if (typeof url !== 'string') throw fail(`entry ${i + 1} has no "url" string`);
    if (mandatory !== undefined && typeof mandatory !== 'boolean') throw fail(`entry ${i + 1} has a "mandatory" that is not true or false`);
    return { url, mandatory: mandatory === true };
  });
}

/** The files a manifest lists, mapped to local paths, in its order; `urls` learns the URL each path was listed by. */
export async function* manifestFiles(
  copy: CopySpec,
  manifestPath: string,
  resolveSource: (uri: string) => string,
  urls?: Map<string, string>,
): AsyncGenerator<string> {
  const content = await readFile(manifestPath, 'utf8').catch((error: Error) => {
    throw new LoadError(copy.table, `COPY into ${copy.table}: cannot read the manifest ${copy.source}: ${isSystemError(error) ? describeSystemError(error) : error.message}`, [], {
      hint: 'check the COPY source names the manifest file, then run again',
    });
  });
  for (const entry of parseManifest(copy, content)) {
    const path = resolveSource(entry.url);
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) {
      urls?.set(path, entry.url);
      yield path;
    } else if (entry.mandatory) {
      throw new LoadError(copy.table, `COPY into ${copy.table}: the manifest ${copy.source} lists ${entry.url} as mandatory, and it is not there`, [], {
        hint: 'put the file in place, or mark it "mandatory": false in the manifest, then run again',
      });
    }
  }
}
