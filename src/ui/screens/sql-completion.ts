// Completion on the SQL prompt: the warehouse catalog, read when the prompt
// opens and again after a statement that may change it, and what Tab and
// typing with the menu open make of the name at the cursor.
import { useCallback, useRef, type MutableRefObject } from 'react';
import { complete, insertionOf, loadCatalog, type Catalog } from '../../pipeline/completion.js';
import type { Warehouse } from '../../pipeline/warehouse/types.js';
import { cursorOffset, editorText, replaceRange } from '../components/text-editor.js';
import type { SqlAction, SqlState } from './sql-reducer.js';
import type { ResultWindows } from './sql-result-session.js';

interface CompletionOptions {
  warehouse: Warehouse;
  searchPath?: readonly string[];
  /** The open results, which may hold the local engine. */
  results: Pick<ResultWindows, 'holdsEngine' | 'releaseAll'>;
  stateRef: MutableRefObject<SqlState>;
  dispatch: (action: SqlAction) => void;
}

interface CatalogEntry {
  promise: Promise<Catalog | null>;
  settled: boolean;
  value?: Catalog;
}

export function useCompletion({ warehouse, searchPath, results, stateRef, dispatch }: CompletionOptions) {
  const { holdsEngine, releaseAll } = results;
  /** The catalog being read or read; replaced the moment a statement may have changed it. */
  const catalogRef = useRef<CatalogEntry | null>(null);

  // The local engine runs one statement at a time, and an open result holds
  // it: the catalog is read only when no result does.
  const refreshCatalog = useCallback(() => {
    if (holdsEngine()) return;
    const entry: CatalogEntry = {
      promise: loadCatalog(warehouse).then(
        (catalog): Catalog => ({ ...catalog, searchPath }),
        () => null,
      ),
      settled: false,
    };
    void entry.promise.then((catalog) => {
      entry.settled = true;
      entry.value = catalog ?? undefined;
    });
    catalogRef.current = entry;
  }, [warehouse, searchPath, holdsEngine]);

  /**
   * Tab: one name that fits goes in; several open the menu. With `refine`
   * (typing while the menu is open) the menu follows the word, from the
   * catalog already read, and closes when nothing fits.
   */
  const completeAtCursor = useCallback(
    async (options: { refine?: boolean } = {}) => {
      const editor = stateRef.current.editor;
      let catalog = catalogRef.current?.value;
      if (!catalog && !options.refine) {
        // A half-read result holds the local engine; its cached rows stay on screen.
        if (!catalogRef.current?.settled && holdsEngine()) await releaseAll();
        if (!catalogRef.current) refreshCatalog();
        catalog = (await catalogRef.current?.promise) ?? undefined;
        if (!catalog) {
          dispatch({ type: 'notice', notice: { text: 'completion needs the table list: run or close the open result first', tone: 'info' } });
          return;
        }
      }
      if (stateRef.current.editor !== editor) return;
      const cursor = cursorOffset(editor);
      const found = catalog ? complete(editorText(editor), cursor, catalog) : undefined;
      // Typing past the name (a space, a comma) closes the menu rather than listing everything.
      if (!found || (options.refine && found.start === cursor)) {
        dispatch({ type: 'complete', editor, menu: null });
        return;
      }
      if (found.items.length === 1 && !options.refine) {
        dispatch({ type: 'complete', editor: replaceRange(editor, found.start, found.end, insertionOf(found.items[0])), menu: null });
        return;
      }
      dispatch({ type: 'complete', editor, menu: { start: found.start, end: found.end, items: found.items, selected: 0 } });
    },
    [refreshCatalog, dispatch, stateRef, holdsEngine, releaseAll],
  );

  return { refreshCatalog, completeAtCursor };
}
