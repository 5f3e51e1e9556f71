import { Box, Text } from 'ink';
import { useAppState } from '../contexts/app-context.js';

export function ClusterScreen(_props: { isActive: boolean; height: number }) {
  const { config } = useAppState();
  if (config?.target !== 'redshift' && !config?.cluster) {
    return (
      <Box flexDirection="column">
        <Text>no cluster configured · the local warehouse needs none</Text>
      </Box>
    );
  }
  return <Text>cluster</Text>;
}
