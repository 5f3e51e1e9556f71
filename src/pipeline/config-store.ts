// Writes the config through conf: atomic writes, file mode 0600, the schema
// checked on every write. Loaded only by what writes (setup, cluster
// commands), so one-shot commands never pay for it.
import { chmodSync, existsSync } from 'node:fs';
import Conf from 'conf';
import { ConfigError } from './errors.js';
import { CONFIG_SCHEMA, SECRET_KEY, configPath, ensureHome, parseConfigText, readConfig, sparkifyHome, type SparkifyConfig } from './config.js';

export class ConfigStore {
  readonly home: string;
  private store?: Conf<SparkifyConfig>;

  constructor(home = sparkifyHome()) {
    this.home = ensureHome(home);
    // An existing file is checked now, so a broken one stops a command before
    // it changes anything. A missing one is written only by update(): conf
    // writes its defaults the moment it opens, and a config.json that nobody
    // saved would skip the setup wizard.
    if (existsSync(this.path)) this.conf();
  }

  get path(): string {
    return configPath(this.home);
  }

  private conf(): Conf<SparkifyConfig> {
    if (this.store) return this.store;
    try {
      this.store = new Conf<SparkifyConfig>({
        cwd: this.home,
        configName: 'config',
        projectName: 'sparkify',
        // A broken file is reported, never silently replaced.
        clearInvalidConfig: false,
        configFileMode: 0o600,
        deserialize: parseConfigText as (text: string) => SparkifyConfig,
         
        schema: CONFIG_SCHEMA,
      });
    } catch (error) {
      throw new ConfigError(
        `the config file ${this.path} is not valid: ${(error as Error).message}`,
        'fix or delete the file, or run `sparkify setup` to write a new one',
        error,
      );
    }
    return this.store;
  }

  read(): SparkifyConfig {
    return readConfig(this.home);
  }

  /** Merges a partial config in and writes it (mode 0600). Refuses secret-looking keys. */
  update(patch: Partial<SparkifyConfig>): SparkifyConfig {
    assertNoSecrets(patch);
    const next = { ...this.read(), ...patch };
    try {
      this.conf().store = stripUndefined<SparkifyConfig>(next);
    } catch (error) {
      throw new ConfigError(`cannot save the config: ${(error as Error).message}`, undefined, error);
    }
    chmodSync(this.path, 0o600);
    return this.read();
  }

  exists(): boolean {
    return existsSync(this.path) && Object.keys(this.conf().store).length > 0;
  }
}

function assertNoSecrets(value: unknown, path = ''): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (SECRET_KEY.test(key)) throw new ConfigError(`refusing to store ${path}${key} in the config: secrets are never saved`);
    assertNoSecrets(inner, `${path}${key}.`);
  }
}

function stripUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
