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
  network: 10,
  disk: 11,
  damaged: 12,
  hangup: 129,
  cancelled: 130,
} as const;

/**
 * Every code sparkify exits with, in words: `sparkify --help` prints this
 * table and the README holds the same one (a test compares them).
 */
export const EXIT_CODE_MEANINGS: readonly (readonly [code: number, meaning: string])[] = [
  [ExitCode.ok, 'done (also when the reader of the output stops early, as `sparkify query ... | head` does)'],
  [ExitCode.failure, 'unexpected failure'],
  [ExitCode.usage, 'usage: bad arguments or options, or no terminal to confirm an action on (pass --yes)'],
  [ExitCode.config, 'configuration: missing sources, bad config file, a warehouse path that cannot be used'],
  [ExitCode.credentials, 'AWS credentials missing or expired'],
  [ExitCode.sql, 'SQL: the engine rejected a statement, or the local engine does not support it'],
  [ExitCode.load, 'load: bad input rows, missing or empty source'],
  [ExitCode.lock, 'the local warehouse file is in use by another process'],
  [ExitCode.check, 'a data-quality check failed'],
  [ExitCode.aws, 'AWS: access denied, quota, a cluster state that does not allow the action'],
  [ExitCode.network, 'network: AWS could not be reached, or it kept failing after every retry'],
  [ExitCode.disk, 'disk: no space left, or the file system is read-only'],
  [ExitCode.damaged, 'the local warehouse file is damaged or not a DuckDB file'],
  [ExitCode.hangup, 'the terminal went away (SIGHUP)'],
  [ExitCode.cancelled, 'cancelled: Ctrl-C, SIGTERM, or an action not confirmed at its prompt (nothing was changed)'],
];

/** The exit-code table as `--help` prints it. */
export function exitCodesHelp(): string {
  const width = Math.max(...EXIT_CODE_MEANINGS.map(([code]) => String(code).length));
  return ['Exit codes:', ...EXIT_CODE_MEANINGS.map(([code, meaning]) => `  ${String(code).padStart(width)}  ${meaning}`)].join('\n');
}

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
  constructor(path: string, cause?: unknown, pid?: number) {
    super(`the local warehouse ${path} is in use by another sparkify process${pid === undefined ? '' : ` (pid ${pid})`}`, {
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

/** AWS could not be reached, or a call kept failing until the retries ran out. */
export class NetworkError extends SparkifyError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.network, hint, cause });
  }
}

/** The disk under a file sparkify writes is full or read-only. */
export class DiskError extends SparkifyError {
  constructor(message: string, hint: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.disk, hint, cause });
  }
}

/**
 * A result could not be written where the user sent it (a file, standard
 * output): a full or read-only disk is exit 11 like the warehouse's own, any
 * other reason is a plain failure; both name the output, not the warehouse.
 */
export class OutputWriteError extends SparkifyError {
  readonly code: string;
  constructor(target: string, code: string, cause?: unknown) {
    const reason = describeSystemError({ code, message: code } as NodeJS.ErrnoException);
    const disk = code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS';
    super(`cannot write the result to ${target}: ${reason}`, {
      exitCode: disk ? ExitCode.disk : ExitCode.failure,
      hint: disk ? 'free space where the result goes, or send it elsewhere (--out FILE, or another redirect)' : 'send the result elsewhere (--out FILE, or another redirect)',
      cause,
    });
    this.code = code;
  }

  /** The same failure, named as the user knows the output. */
  renamed(target: string): OutputWriteError {
    return new OutputWriteError(target, this.code, this.cause);
  }
}

/** The local warehouse file cannot be read as a DuckDB database. */
export class DamagedWarehouseError extends SparkifyError {
  constructor(path: string, reason: string, cause?: unknown) {
    super(`the local warehouse ${path} is damaged: ${reason}`, {
      exitCode: ExitCode.damaged,
      hint: `move it away (mv ${path} ${path}.damaged) and run \`sparkify run\` to build it afresh from the sources`,
      cause,
    });
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

/** Node's system error codes a person meets on files and folders, in words. */
const SYSTEM_ERROR_WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EBUSY: 'the file or folder is busy',
};

/** What a system call was doing, for "cannot <verb> <path>". */
const SYSCALL_VERBS: Record<string, string> = {
  mkdir: 'create the folder',
  scandir: 'list the folder',
  opendir: 'list the folder',
  open: 'open',
  read: 'read',
  write: 'write',
  stat: 'look at',
  lstat: 'look at',
  access: 'use',
  rename: 'move',
  unlink: 'remove',
  rmdir: 'remove the folder',
  rm: 'remove',
  copyfile: 'copy',
};

/** A Node system error (ENOENT, EACCES, ...) rather than a bug. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const e = error as NodeJS.ErrnoException | undefined;
  return e instanceof Error && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && typeof e.syscall === 'string';
}

/** "permission denied (EACCES)": the code in words, and the code to search for. */
export function describeSystemError(error: NodeJS.ErrnoException): string {
  const words = SYSTEM_ERROR_WORDS[error.code ?? ''];
  return words ? `${words} (${error.code})` : error.message;
}

/**
 * One line for a system error, naming the path and the code in words:
 * "cannot create the folder /sys/x: operation not permitted (EPERM)". Node's own
 * message is only used when it names no path.
 */
export function systemErrorMessage(error: NodeJS.ErrnoException, path = error.path): string {
  const verb = SYSCALL_VERBS[error.syscall ?? ''] ?? error.syscall ?? 'use';
  return path ? `cannot ${verb} ${path}: ${describeSystemError(error)}` : `${error.syscall ?? 'a file operation'} failed: ${describeSystemError(error)}`;
}

/** What to run when the model's schemas or tables are not there yet. */
export const CREATE_TABLES_HINT = 'run `sparkify run` (or `sparkify create-tables`) first';

/**
 * The hint for an engine error about a missing schema or table of the model
 * (staging.* or analytics.*), as on a fresh warehouse; undefined for any other
 * error, and when the engine already points at the qualified name (the table
 * exists, the query just left out its schema).
 */
/** The engine's own text for an error: a SqlError keeps what DuckDB said as its cause. */
export function engineMessage(error: { message: string; cause?: unknown }): string {
  return error.cause instanceof Error ? error.cause.message : error.message;
}

export function missingModelHint(message: string, modelTables: readonly string[]): string | undefined {
  const missing = message.match(/(Table|Schema|View) with name "?([\w.]+)"? does not exist/i) ?? message.match(/(relation|schema|table) "([\w.]+)" does not exist/i);
  if (!missing) return undefined;
  if (/because schema "?(staging|analytics)"? does not exist/i.test(message)) return CREATE_TABLES_HINT;
  const name = missing[2].toLowerCase();
  if (/^schema$/i.test(missing[1])) return name === 'staging' || name === 'analytics' ? CREATE_TABLES_HINT : undefined;
  const table = modelTables.find((t) => t === name || t.split('.')[1] === name);
  if (!table || message.toLowerCase().includes(`did you mean "${table}"`)) return undefined;
  return CREATE_TABLES_HINT;
}
