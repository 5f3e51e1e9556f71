import { Text } from 'ink';
import { bindingsFor, type KeyCommand, type KeyScope } from '../key-bindings.js';

/** One line of the keys that work here, drawn from the key table. */
export function HelpLine({ scopes, width, hide = [] }: { scopes: readonly KeyScope[]; width: number; hide?: readonly KeyCommand[] }) {
  const text = bindingsFor(scopes)
    .filter((binding) => binding.inHelpLine && !(hide as readonly string[]).includes(binding.command))
    .map((binding) => `${binding.label} ${binding.short ?? binding.description}`)
    .join('  ');
  return <Text dimColor>{text.length > width ? text.slice(0, Math.max(0, width - 1)) + '…' : text}</Text>;
}
