import { Box, Text, useInput } from 'ink';
import { matches } from '../key-bindings.js';

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
  useInput(
    (input, key) => {
      if (matches('confirm.yes', input, key)) onAnswer(true);
      else if (matches('confirm.no', input, key)) onAnswer(false);
    },
    { isActive },
  );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
      <Text bold>{question}</Text>
      {details.map((line) => (
        <Text key={line}>{line}</Text>
      ))}
      <Text dimColor>y yes · n/Esc no</Text>
    </Box>
  );
}
