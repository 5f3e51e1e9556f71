// Data API sessions in the fake, as the API reference describes them: a
// statement with SessionKeepAliveSeconds opens one and answers its SessionId;
// later statements pass SessionId instead of the cluster and database, one at
// a time; the session keeps its connection (SET, temporary tables,
// search_path) until it has been idle for its keep-alive, then closes.
import { randomUUID } from 'node:crypto';
import type { WarehouseSession } from '../../../src/pipeline/warehouse/types.js';

export type SessionStatus = 'AVAILABLE' | 'BUSY' | 'CLOSED';

export interface FakeSession {
  id: string;
  scope: Record<string, string | undefined>;
  keepAliveSeconds: number;
  status: SessionStatus;
  createdAt: number;
  updatedAt: number;
  /** The statement running in it, while BUSY. */
  current?: string;
  expiresAt?: number;
  connection: Promise<WarehouseSession>;
  timer?: NodeJS.Timeout;
}

/** Errors the service answers with, by name. */
export class SessionError extends Error {
  constructor(
    readonly type: 'ValidationException' | 'ActiveSessionsExceededException',
    message: string,
  ) {
    super(message);
  }
}

const MAX_KEEP_ALIVE_SECONDS = 86_400;

/** SessionKeepAliveSeconds, checked as the service checks it (0 to 86400). */
export function keepAliveSeconds(input: Record<string, unknown>): number | undefined {
  const value = input.SessionKeepAliveSeconds;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_KEEP_ALIVE_SECONDS) {
    throw new SessionError('ValidationException', `SessionKeepAliveSeconds must be an integer between 0 and ${MAX_KEEP_ALIVE_SECONDS}`);
  }
  return value;
}

export class FakeSessions {
  private readonly sessions = new Map<string, FakeSession>();

  constructor(
    private readonly connect: () => Promise<WarehouseSession>,
    private readonly maxSessions: () => number,
  ) {}

  /** Opens a session for the statement `statementId`, which runs in it first. */
  open(scope: Record<string, string | undefined>, keepAlive: number, statementId: string): FakeSession {
    const open = [...this.sessions.values()].filter((s) => s.status !== 'CLOSED').length;
    if (open >= this.maxSessions()) {
      throw new SessionError('ActiveSessionsExceededException', `Active sessions exceeded the allowed quota (${this.maxSessions()})`);
    }
    const now = Date.now();
    const connection = this.connect();
    connection.catch(() => undefined);
    const session: FakeSession = { id: randomUUID(), scope, keepAliveSeconds: keepAlive, status: 'BUSY', createdAt: now, updatedAt: now, current: statementId, connection };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Where a session runs (its cluster or workgroup and database), while it is open. */
  scopeOf(id: string): Record<string, string | undefined> | undefined {
    const session = this.sessions.get(id);
    return session && session.status !== 'CLOSED' ? session.scope : undefined;
  }

  /** The session a statement names, made BUSY with it; the statement may name nothing else of where it runs. */
  take(input: Record<string, unknown>, statementId: string): FakeSession {
    const id = String(input.SessionId);
    for (const key of ['ClusterIdentifier', 'WorkgroupName', 'Database', 'SecretArn', 'DbUser']) {
      if (input[key] !== undefined) throw new SessionError('ValidationException', `${key} cannot be specified together with SessionId`);
    }
    const session = this.sessions.get(id);
    if (!session || session.status === 'CLOSED') {
      throw new SessionError('ValidationException', `Session ${id} does not exist or has expired`);
    }
    if (session.status === 'BUSY') {
      throw new SessionError('ValidationException', `Session ${id} is busy running statement ${session.current}; a session runs one statement at a time`);
    }
    const keepAlive = keepAliveSeconds(input);
    if (keepAlive !== undefined) session.keepAliveSeconds = keepAlive;
    clearTimeout(session.timer);
    session.status = 'BUSY';
    session.current = statementId;
    session.updatedAt = Date.now();
    return session;
  }

  /** The statement in it has ended: the session waits for the next one for its keep-alive, then closes. */
  release(session: FakeSession): void {
    session.current = undefined;
    session.updatedAt = Date.now();
    if (session.keepAliveSeconds === 0) {
      void this.end(session);
      return;
    }
    session.status = 'AVAILABLE';
    session.expiresAt = Date.now() + session.keepAliveSeconds * 1000;
    session.timer = setTimeout(() => void this.end(session), session.keepAliveSeconds * 1000);
    session.timer.unref();
  }

  /** ListSessions: open sessions (or those of the Status asked), newest first. */
  list(input: Record<string, unknown>): Record<string, unknown> {
    const wanted = typeof input.Status === 'string' ? [input.Status] : ['AVAILABLE', 'BUSY'];
    const matches = (s: FakeSession) =>
      (input.SessionId === undefined || s.id === input.SessionId) &&
      wanted.includes(s.status) &&
      (['ClusterIdentifier', 'WorkgroupName', 'Database'] as const).every((key) => input[key] === undefined || s.scope[key] === input[key]);
    return {
      Sessions: [...this.sessions.values()]
        .filter(matches)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((s) => ({
          SessionId: s.id,
          Status: s.status,
          CreatedAt: s.createdAt / 1000,
          UpdatedAt: s.updatedAt / 1000,
          ...(s.scope.Database ? { Database: s.scope.Database } : {}),
          ...(s.scope.DbUser ? { DbUser: s.scope.DbUser } : {}),
          ...(s.scope.ClusterIdentifier ? { ClusterIdentifier: s.scope.ClusterIdentifier } : {}),
          ...(s.scope.WorkgroupName ? { WorkgroupName: s.scope.WorkgroupName } : {}),
          SessionAliveSeconds: s.keepAliveSeconds,
          ...(s.expiresAt && s.status === 'AVAILABLE' ? { SessionTtl: s.expiresAt / 1000 } : {}),
          ...(s.current ? { CurrentStatementId: s.current } : {}),
        })),
    };
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => this.end(s)));
  }

  private async end(session: FakeSession): Promise<void> {
    if (session.status === 'CLOSED') return;
    clearTimeout(session.timer);
    session.status = 'CLOSED';
    session.updatedAt = Date.now();
    await (await session.connection.catch(() => undefined))?.close();
  }
}
