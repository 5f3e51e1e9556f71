import { SparkifyError, ExitCode } from '../pipeline/errors.js';

export async function sampleCommand(_options: { out: string; scale: number; seed: number }): Promise<number> {
  throw new SparkifyError('sample is not built yet', { exitCode: ExitCode.usage });
}
