import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { bindingsFor, matches } from '../key-bindings.js';

/** The answers, as the key table names them. */
const ANSWERS = bindingsFor(['confirm'])
  .map((b) => `${b.label} ${b.short ?? b.description}`)
  .join(' · ');

/** A yes/no question; only `y` says yes. */
export function ConfirmPrompt({
  question,
  details = [],
  isActive,
  onAnswer,
}: {
  question: string;
  details?: string[];
  isActive: boolean;
  onAnswer: (yes: boolean) => void;
}) {
  useKeys(
    (input, key) => {
      if (matches('confirm.yes', input, key)) onAnswer(true);
      else if (matches('confirm.no', input, key)) onAnswer(false);
    },
    { isActive },
  );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} alignSelf="flex-start">
      <Text bold>{question}</Text>
      {details.map((line) => (
        <Text key={line}>{line}</Text>
      ))}
      <Text dimColor>{ANSWERS}</Text>
    </Box>
  );
}
