// `sparkify cluster import-config` and `sparkify config import`: reads the
// original project's dwh.cfg into the config, never copying passwords or keys.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigStore } from '../pipeline/config-store.js';
import { ConfigError } from '../pipeline/errors.js';
import { importDwhConfig } from '../pipeline/provision/dwh-config.js';
import { out } from './aws-command.js';

export function configImportCommand(file: string): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check the path', error);
  }
  const store = new ConfigStore();
  const result = importDwhConfig(text, store.read());
  if (Object.keys(result.patch).length > 0) store.update(result.patch);
  out(`Imported from ${basename(file)} into ${store.path}:`);
  if (result.imported.length === 0) out('  nothing');
  for (const item of result.imported) out(`  ${item.key} → ${item.setting} = ${item.value}`);
  if (result.patch.target) out(`  target → ${result.patch.target}`);
  if (result.skipped.length > 0) {
    out('Skipped:');
    for (const item of result.skipped) out(`  ${item.key}: ${item.reason}`);
  }
  if (result.createCommand) {
    out('To create a cluster like the one it describes:');
    out(`  ${result.createCommand}`);
  }
  if (result.holdsSecrets) {
    out(`Note: ${basename(file)} holds a password or AWS key in plain text. Delete it or keep it out of version control, and rotate the key if it was ever shared.`);
  }
  return 0;
}
