// A multi-line text editor's model: lines and a cursor, changed by small
// functions a reducer calls (sql-draft.tsx draws it).
export interface EditorState {
  lines: string[];
  row: number;
  col: number;
}

export const EMPTY_EDITOR: EditorState = { lines: [''], row: 0, col: 0 };

/** The text as one string, cursor at its end. */
export function editorFromText(text: string): EditorState {
  const lines = cleanText(text).split('\n');
  return { lines, row: lines.length - 1, col: lines[lines.length - 1].length };
}

export function editorText(state: EditorState): string {
  return state.lines.join('\n');
}

/** Offset of the cursor in `editorText(state)`. */
export function cursorOffset(state: EditorState): number {
  return state.lines.slice(0, state.row).reduce((sum, line) => sum + line.length + 1, 0) + state.col;
}

/** The state for `text` with the cursor at `offset`. */
export function editorAt(text: string, offset: number): EditorState {
  const lines = text.split('\n');
  let rest = Math.max(0, Math.min(offset, text.length));
  let row = 0;
  while (row < lines.length - 1 && rest > lines[row].length) {
    rest -= lines[row].length + 1;
    row += 1;
  }
  return { lines, row, col: rest };
}

export function isEmpty(state: EditorState): boolean {
  return state.lines.length === 1 && state.lines[0] === '';
}

/** Inserts typed or pasted text at the cursor; pasted line breaks become new lines. */
export function insertText(state: EditorState, text: string): EditorState {
  const clean = cleanText(text);
  const offset = cursorOffset(state);
  const whole = editorText(state);
  return editorAt(whole.slice(0, offset) + clean + whole.slice(offset), offset + clean.length);
}

export function newline(state: EditorState): EditorState {
  return insertText(state, '\n');
}

export function backspace(state: EditorState): EditorState {
  const offset = cursorOffset(state);
  if (offset === 0) return state;
  const whole = editorText(state);
  return editorAt(whole.slice(0, offset - 1) + whole.slice(offset), offset - 1);
}

export function deleteForward(state: EditorState): EditorState {
  const offset = cursorOffset(state);
  const whole = editorText(state);
  if (offset >= whole.length) return state;
  return editorAt(whole.slice(0, offset) + whole.slice(offset + 1), offset);
}

/** Deletes the word before the cursor (Ctrl-W). */
export function deleteWordBack(state: EditorState): EditorState {
  const offset = cursorOffset(state);
  const whole = editorText(state);
  let start = offset;
  while (start > 0 && /\s/.test(whole[start - 1])) start -= 1;
  while (start > 0 && !/\s/.test(whole[start - 1])) start -= 1;
  return editorAt(whole.slice(0, start) + whole.slice(offset), start);
}

/** Deletes from the cursor to the end of the line (Ctrl-K). */
export function killToLineEnd(state: EditorState): EditorState {
  const lines = [...state.lines];
  lines[state.row] = lines[state.row].slice(0, state.col);
  return { ...state, lines };
}

/** Replaces text between two offsets and puts the cursor after the replacement. */
export function replaceRange(state: EditorState, start: number, end: number, replacement: string): EditorState {
  const whole = editorText(state);
  return editorAt(whole.slice(0, start) + replacement + whole.slice(end), start + replacement.length);
}

export function moveLeft(state: EditorState): EditorState {
  return editorAt(editorText(state), cursorOffset(state) - 1);
}

export function moveRight(state: EditorState): EditorState {
  return editorAt(editorText(state), cursorOffset(state) + 1);
}

export function moveUp(state: EditorState): EditorState {
  if (state.row === 0) return state;
  return { ...state, row: state.row - 1, col: Math.min(state.col, state.lines[state.row - 1].length) };
}

export function moveDown(state: EditorState): EditorState {
  if (state.row === state.lines.length - 1) return state;
  return { ...state, row: state.row + 1, col: Math.min(state.col, state.lines[state.row + 1].length) };
}

export function lineStart(state: EditorState): EditorState {
  return { ...state, col: 0 };
}

export function lineEnd(state: EditorState): EditorState {
  return { ...state, col: state.lines[state.row].length };
}

export function onFirstLine(state: EditorState): boolean {
  return state.row === 0;
}

export function onLastLine(state: EditorState): boolean {
  return state.row === state.lines.length - 1;
}

/**
 * Text as the editor holds it: line breaks as \n, tabs as two spaces, and no
 * other control characters. A key that arrives in one read with text (tmux
 * sends Ctrl-U and a line together) must not end up as an invisible character
 * in the statement or its history entry.
 */
function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, '  ').replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');
}
