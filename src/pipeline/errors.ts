// One error type per kind of failure a person must act on. Each carries an exit
// code and a message that says what to do next; the CLI prints `message` (and
// `hint`) without a stack trace.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  credentials: 4,
  sql: 5,
  load: 6,
  lock: 7,
  check: 8,
  aws: 9,
  cancelled: 130,
} as const;

export class SparkifyError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  constructor(message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.hint = options.hint;
  }
}

export class UsageError extends SparkifyError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.usage, hint });
  }
}

export class ConfigError extends SparkifyError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.config, hint, cause });
  }
}

export class CredentialsError extends SparkifyError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.credentials, hint, cause });
  }
}

/** A statement the engine rejected or that failed while running. */
export class SqlError extends SparkifyError {
  readonly sql?: string;
  constructor(message: string, options: { sql?: string; hint?: string; cause?: unknown } = {}) {
    super(message, { exitCode: ExitCode.sql, hint: options.hint, cause: options.cause });
    this.sql = options.sql;
  }
}

/** Redshift SQL the local engine cannot run; names the construct. */
export class UnsupportedSqlError extends SqlError {
  readonly construct: string;
  constructor(construct: string, sql?: string) {
    super(`the local warehouse does not support ${construct}`, {
      sql,
      hint: 'run this statement on Redshift (--target redshift) or rewrite it in portable SQL',
    });
    this.construct = construct;
  }
}

/** One rejected input row of a COPY, as Redshift's stl_load_errors reports it. */
export interface LoadErrorDetail {
  file: string;
  line: number;
  column?: string;
  reason: string;
  rawValue?: string;
  rawLine?: string;
}

export class LoadError extends SparkifyError {
  readonly table: string;
  readonly details: LoadErrorDetail[];
  constructor(table: string, message: string, details: LoadErrorDetail[], options: { hint?: string; cause?: unknown } = {}) {
    super(message, {
      exitCode: ExitCode.load,
      hint: options.hint ?? 'fix or remove the rows shown, then run again (the analytics tables were not changed)',
      cause: options.cause,
    });
    this.table = table;
    this.details = details;
  }
}

export class LockError extends SparkifyError {
  constructor(path: string, cause?: unknown) {
    super(`the local warehouse ${path} is in use by another sparkify process`, {
      exitCode: ExitCode.lock,
      hint: 'wait for the other run to finish (or close the other sparkify), then try again',
      cause,
    });
  }
}

export class CheckError extends SparkifyError {
  readonly failed: { name: string; failingRows: number }[];
  constructor(failed: { name: string; failingRows: number }[]) {
    super(
      `data-quality checks failed: ${failed.map((f) => `${f.name} (${f.failingRows} rows)`).join(', ')}`,
      { exitCode: ExitCode.check, hint: 'inspect the rows with `sparkify query`; the check SQL is in sql/06_checks.sql' },
    );
    this.failed = failed;
  }
}

export class AwsError extends SparkifyError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.aws, hint, cause });
  }
}

export class CancelledError extends SparkifyError {
  constructor(message = 'cancelled') {
    super(message, { exitCode: ExitCode.cancelled, hint: 'nothing was changed by the cancelled step; run again when ready' });
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
