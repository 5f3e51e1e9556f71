// Where the app opens once set up: what it is pointed at and where to go next.
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { configPath, defaultLocalDatabase } from '../../pipeline/config.js';
import { useAppActions, useAppState } from '../contexts/app-context.js';
import { usePipelineRun } from '../contexts/pipeline-run-context.js';
import { formatDuration, formatWhen, outcomeText, runDurationMs } from '../../pipeline/ledger/present.js';
import { matches } from '../key-bindings.js';

function Field({ name, value }: { name: string; value: string }) {
  return (
    <Text wrap="truncate-middle">
      <Text dimColor>{name.padEnd(10)}</Text>
      {value}
    </Text>
  );
}

export function HomeScreen({ isActive }: { isActive: boolean }) {
  const { config } = useAppState();
  const { navigate } = useAppActions();
  const { state: run } = usePipelineRun();

  useKeys(
    (input, key) => {
      if (matches('nav.setup', input, key)) navigate('setup');
    },
    { isActive },
  );

  if (!config) return <Text>not set up yet · w starts the setup</Text>;
  const r = config.redshift;
  const last = run.history?.last;
  return (
    <Box flexDirection="column">
      {config.target === 'local' ? (
        <Field name="warehouse" value={`DuckDB file ${config.localDatabase ?? defaultLocalDatabase()}`} />
      ) : (
        <Field
          name="warehouse"
          value={`Redshift ${r.workgroupName ? `workgroup ${r.workgroupName}` : `cluster ${r.clusterIdentifier ?? '?'}`} · database ${r.database ?? 'dev'}${r.region ? ` · ${r.region}` : ''}${r.profile ? ` · profile ${r.profile}` : ''}`}
        />
      )}
      <Field name="songs" value={config.sources.songData ?? '(not set)'} />
      <Field name="events" value={config.sources.logData ?? '(not set)'} />
      <Field name="config" value={configPath()} />
      <Field
        name="last run"
        value={
          run.phase === 'running' || run.phase === 'cancelling'
            ? 'running now'
            : !last
              ? 'none yet in this warehouse'
              : `${outcomeText(last)} · ${formatWhen(last.startedAt)} · ${last.mode} · took ${formatDuration(runDurationMs(last))}${last.who ? ` · by ${last.who}` : ''}`
        }
      />
      <Box marginTop={1}>
        <Text>p runs the pipeline · s opens the SQL prompt · c shows the cluster · w runs the setup again</Text>
      </Box>
    </Box>
  );
}
