// One read of stdin as the keys it holds. Ink splits a read only at escape
// sequences, so keys typed faster than it reads (or sent at once by tmux or a
// paste) arrive together; every input handler that cares splits them here.
import type { Key } from 'ink';

/** Control characters other than line breaks and Tab: always keys, never text. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const CONTROL_CHARACTERS = /([\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F])/;

/**
 * The keys in one read of stdin. Ink splits a read only at escape sequences,
 * so text typed quickly arrives with the Enter or Tab after it, and tmux sends
 * Ctrl-U in the same read as the line that follows it. Text stays text (a
 * paste keeps its line breaks); a control character is the key it stands for;
 * an Enter or Tab that ends a read of text is taken as that key.
 */
export function splitKeys(input: string, key: Key): [string, Key][] {
  if (input.length <= 1) return [[input, key]];
  const last = input.at(-1);
  const endsWithKey = (last === '\r' || last === '\t') && !/[\r\t]/.test(input.slice(0, -1));
  const body = endsWithKey ? input.slice(0, -1) : input;
  if (!endsWithKey && !CONTROL_CHARACTER.test(body)) return [[input, key]];
  const keys: [string, Key][] = [];
  for (const part of body.split(CONTROL_CHARACTERS)) {
    if (part === '') continue;
    if (part === '\r' || part === '\t') keys.push(['', { ...key, return: part === '\r', tab: part === '\t' }]);
    else if (CONTROL_CHARACTER.test(part)) {
      const pressed = controlKey(part, key);
      if (pressed) keys.push(pressed);
    } else keys.push([part, key]);
  }
  if (endsWithKey) keys.push(['', { ...key, return: last === '\r', tab: last === '\t' }]);
  return keys;
}

/** What Ink reports for a control character read on its own; nothing for those without a key (they are dropped). */
export function controlKey(character: string, key: Key): [string, Key] | undefined {
  const code = character.charCodeAt(0);
  if (code === 0x7f) return ['', { ...key, delete: true }];
  if (code === 0x08) return ['', { ...key, backspace: true }];
  if (code >= 0x01 && code <= 0x1a) return [String.fromCharCode(code + 0x60), { ...key, ctrl: true }];
  return undefined;
}
