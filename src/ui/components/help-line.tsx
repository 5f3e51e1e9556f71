import { Text } from 'ink';
import { bindingsFor, type KeyCommand, type KeyScope } from '../key-bindings.js';

const GAP = '  ';
const MORE = '…';

/**
 * One line of the keys that work here, drawn from the key table. On a narrow
 * terminal it keeps the keys that fit whole, and ends with … for the rest
 * (the `?` overlay lists them all): never a key cut in the middle of its word.
 */
export function HelpLine({ scopes, width, hide = [] }: { scopes: readonly KeyScope[]; width: number; hide?: readonly KeyCommand[] }) {
  const entries = bindingsFor(scopes)
    .filter((binding) => binding.inHelpLine && !(hide as readonly string[]).includes(binding.command))
    .map((binding) => `${binding.label} ${binding.short ?? binding.description}`);
  return <Text dimColor>{fitEntries(entries, width)}</Text>;
}

export function fitEntries(entries: readonly string[], width: number): string {
  const all = entries.join(GAP);
  if (all.length <= width) return all;
  let text = '';
  for (const entry of entries) {
    const next = text === '' ? entry : text + GAP + entry;
    if (next.length + GAP.length + MORE.length > width) break;
    text = next;
  }
  return text === '' ? MORE : text + GAP + MORE;
}
