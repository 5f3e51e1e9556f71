// A transaction of any length over the Data API. BatchExecuteStatement takes
// at most 40 statements; past that the statements run one at a time in a
// session between BEGIN and COMMIT, which the cluster keeps open for as long
// as the session lives. A failure or a cancel rolls it back; a session that
// ends with the transaction open (the process killed) is rolled back by the
// cluster, so it is all or nothing either way.
import type { BatchOptions, ExecuteOptions, ExecuteResult } from './types.js';

/** What runs the statements: a Data API session's statements. */
export interface TransactionRunner {
  execute(sql: string, options?: ExecuteOptions): Promise<ExecuteResult>;
}

/**
 * Statements in a transaction the session's caller began: one at a time, no
 * BEGIN or COMMIT of their own (a batch's would end the caller's transaction
 * early), and no ROLLBACK on a failure, which the caller's ROLLBACK ends.
 */
export async function runInOpenTransaction(runner: TransactionRunner, sqls: string[], options: BatchOptions = {}): Promise<ExecuteResult[]> {
  const results: ExecuteResult[] = [];
  for (const [index, sql] of sqls.entries()) {
    options.onStatementStarted?.(index);
    const result = await runner.execute(sql, { signal: options.signal, onStatus: options.onStatus });
    results.push(result);
    options.onStatementFinished?.(index, result);
  }
  return results;
}

export async function runSessionTransaction(runner: TransactionRunner, sqls: string[], options: BatchOptions = {}): Promise<ExecuteResult[]> {
  const { signal, onStatus } = options;
  await runner.execute('BEGIN', { signal });
  const results: ExecuteResult[] = [];
  try {
    for (const [index, sql] of sqls.entries()) {
      options.onStatementStarted?.(index);
      const result = await runner.execute(sql, { signal, onStatus });
      results.push(result);
      options.onStatementFinished?.(index, result);
    }
    await runner.execute('COMMIT', { signal });
    return results;
  } catch (error) {
    // Not with the signal: a cancelled transaction must still be rolled back.
    await runner.execute('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
