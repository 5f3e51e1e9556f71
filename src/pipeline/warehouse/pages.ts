import type { Row } from './types.js';

/** Pages already in memory, read one at a time as a result's pages() are. */
export function pagesOf(pages: readonly Row[][]): AsyncIterable<Row[]> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = pages[Symbol.iterator]();
      return { next: () => Promise.resolve(iterator.next()) };
    },
  };
}
