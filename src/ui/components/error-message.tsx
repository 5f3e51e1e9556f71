import { Box, Text } from 'ink';

/** What went wrong and what to do about it. */
export function ErrorMessage({ message, hint }: { message: string; hint?: string }) {
  return (
    <Box flexDirection="column">
      <Text color="red">✗ {message}</Text>
      {hint ? <Text dimColor>  {hint}</Text> : null}
    </Box>
  );
}
