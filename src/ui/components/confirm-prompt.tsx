import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { bindingsFor, matches } from '../key-bindings.js';

/** The answers of a scope, as the key table names them. */
const answers = (scope: 'confirm' | 'choice') =>
  bindingsFor([scope])
    .map((b) => `${b.label} ${b.short ?? b.description}`)
    .join(' · ');
const CONFIRM_ANSWERS = answers('confirm');
const CHOICE_ANSWERS = answers('choice');

/**
 * A yes/no question; only `y` says yes. With `onCancel` it is a choice on the
 * way to something else (y and n both go on), and Esc backs out of all of it.
 */
export function ConfirmPrompt({
  question,
  details = [],
  isActive,
  onAnswer,
  onCancel,
}: {
  question: string;
  details?: string[];
  isActive: boolean;
  onAnswer: (yes: boolean) => void;
  onCancel?: () => void;
}) {
  useKeys(
    (input, key) => {
      if (onCancel) {
        if (matches('choice.yes', input, key)) onAnswer(true);
        else if (matches('choice.no', input, key)) onAnswer(false);
        else if (matches('choice.cancel', input, key)) onCancel();
      } else if (matches('confirm.yes', input, key)) onAnswer(true);
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
      <Text dimColor>{onCancel ? CHOICE_ANSWERS : CONFIRM_ANSWERS}</Text>
    </Box>
  );
}
