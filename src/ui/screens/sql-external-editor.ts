// Hands the terminal to the user's editor for the draft (Ctrl-X Ctrl-E, \e):
// raw mode off and the cursor shown while it runs, both restored after, the
// screen cleared so the prompt is drawn whole again, and the text read back
// into the draft. A missing editor or a failed one is a notice; the draft stays.
import { basename } from 'node:path';
import { useCallback } from 'react';
import { useStdin, useStdout } from 'ink';
import { editExternally } from '../external-editor.js';
import { editorFromText } from '../components/text-editor.js';
import type { SqlAction } from './sql-reducer.js';

const SHOW_CURSOR = '\u001B[?25h';
const HIDE_CURSOR = '\u001B[?25l';
const CLEAR_SCREEN = '\u001B[2J\u001B[3J\u001B[H';

export function useExternalEditor(dispatch: (action: SqlAction) => void): (text: string) => void {
  const { stdin, isRawModeSupported } = useStdin();
  const { stdout } = useStdout();
  return useCallback(
    (text: string) => {
      const terminal = stdout.isTTY === true;
      // Ink counts its raw-mode users; the editor needs the terminal as the shell left it, whatever the count.
      if (isRawModeSupported) stdin.setRawMode(false);
      if (terminal) stdout.write(SHOW_CURSOR);
      let outcome: ReturnType<typeof editExternally>;
      try {
        outcome = editExternally(text);
      } finally {
        if (isRawModeSupported) stdin.setRawMode(true);
        if (terminal) stdout.write(HIDE_CURSOR + CLEAR_SCREEN);
      }
      if (!outcome.ok) {
        dispatch({ type: 'notice', notice: { text: outcome.message, tone: 'error', hint: outcome.hint, wrap: true } });
        return;
      }
      dispatch({ type: 'edit', editor: editorFromText(outcome.text) });
      const name = basename(outcome.editor.split(/\s+/)[0]);
      dispatch({ type: 'notice', notice: { text: `the draft as ${name} saved it · Enter runs it once it ends with ;`, tone: 'info' } });
    },
    [stdin, stdout, isRawModeSupported, dispatch],
  );
}
