import { SparkifyError, ExitCode } from '../pipeline/errors.js';

export async function openApp(_options: { setup?: boolean } = {}): Promise<number> {
  throw new SparkifyError('the interactive app is not built yet', { exitCode: ExitCode.usage });
}
