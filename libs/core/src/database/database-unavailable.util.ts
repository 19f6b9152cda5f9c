/** Socket errors: the server cannot be reached or the connection broke. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * PostgreSQL SQLSTATEs of a server that is away or not taking connections: class 08 (connection
 * exception), 57P01-57P03 (shut down, crashed, starting up), 53300 (too many connections).
 */
const POSTGRES_STATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
/** SQLite: the write lock still held by another process after the retries, or the file unreadable. */
const SQLITE_CODE = /^SQLITE_(BUSY|CANTOPEN|IOERR)/;
/** node-postgres words for a connection that ended or never came (these errors carry no code). */
const PG_CONNECTION_LOST = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed)/;

type ErrorLike = { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };

/**
 * True when `err` says the database cannot be reached or used for now (the request may succeed if
 * tried again later), as opposed to a fault in the request or the code. Looks through TypeORM's
 * QueryFailedError (driverError), `cause` chains and AggregateError (a refused dual-stack connect).
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || POSTGRES_STATE.test(code) || SQLITE_CODE.test(code)) return true;
  if (typeof e.message === 'string' && PG_CONNECTION_LOST.test(e.message)) return true;
  const nested = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((inner) => inner !== err && isDatabaseUnavailable(inner, depth + 1));
}
