import { Text } from 'ink';
import { bindingsFor, type KeyScope } from '../key-bindings.js';

/** One line of the keys that work here, drawn from the key table. */
export function HelpLine({ scopes, width }: { scopes: readonly KeyScope[]; width: number }) {
  const text = bindingsFor(scopes)
    .filter((binding) => binding.inHelpLine)
    .map((binding) => `${binding.label} ${binding.description.split(' (')[0]}`)
    .join(' · ');
  return (
    <Text dimColor wrap="truncate-end">
      {text.length > width ? text.slice(0, Math.max(0, width - 1)) + '…' : text}
    </Text>
  );
}
