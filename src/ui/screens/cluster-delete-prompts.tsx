// The two questions before a cluster is deleted from the screen: whether to
// keep a final snapshot, then its name typed out, because a wrong key must
// never delete a warehouse.
import { Box, Text } from 'ink';
import { ConfirmPrompt } from '../components/confirm-prompt.js';
import { TextField } from '../components/text-field.js';

export function DeletePrompts({
  step,
  identifier,
  roleName,
  finalSnapshot,
  typed,
  isActive,
  onSnapshot,
  onCancel,
  onTyped,
  onSubmit,
}: {
  step: 'confirm-snapshot' | 'delete-name';
  identifier: string;
  roleName?: string;
  finalSnapshot: boolean;
  typed: string;
  isActive: boolean;
  onSnapshot: (keep: boolean) => void;
  onCancel: () => void;
  onTyped: (value: string) => void;
  onSubmit: (value: string) => void;
}) {
  if (step === 'confirm-snapshot') {
    return (
      <ConfirmPrompt
        isActive={isActive}
        question={`Delete cluster ${identifier}: take a final snapshot first?`}
        details={['A snapshot keeps every table and row (billed as backup storage) until you delete it; without one the data is gone.']}
        onAnswer={onSnapshot}
        onCancel={onCancel}
      />
    );
  }
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1} alignSelf="flex-start">
      <Text bold>Type {identifier} to delete it. This cannot be undone.</Text>
      <Text>{finalSnapshot ? 'A final snapshot is taken first.' : 'No final snapshot: every table and row goes with it.'}</Text>
      <Text>{roleName ? `Also deletes the IAM role ${roleName}, and clears the cluster from the config.` : 'Also clears the cluster from the config.'}</Text>
      <TextField value={typed} isActive={isActive} onChange={onTyped} onSubmit={onSubmit} />
    </Box>
  );
}
