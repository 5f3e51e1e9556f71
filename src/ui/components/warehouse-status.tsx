// A cluster's or workgroup's status as the cluster screen shows it: green when
// available, red when gone, yellow on the way; a spinner until AWS answers.
import { Text } from 'ink';
import { Spinner } from './spinner.js';

export function WarehouseStatus({ status }: { status: string | undefined }) {
  if (status === undefined) {
    return (
      <Text>
        <Spinner /> asking AWS…
      </Text>
    );
  }
  return (
    <Text color={status === 'available' ? 'green' : status === 'gone' ? 'red' : 'yellow'}>
      {status === 'gone' ? 'not found (deleted, or another region or account)' : status}
    </Text>
  );
}
