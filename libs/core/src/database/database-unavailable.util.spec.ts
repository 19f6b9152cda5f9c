import net from 'net';
import { Database } from 'sqlite3';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable.util';

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const queryFailed = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isDatabaseUnavailable', () => {
  const away: [string, unknown][] = [
    ['PostgreSQL refused (ECONNREFUSED)', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', coded('ECONNRESET')],
    ['pg: connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    ['pg: pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['pg: terminated by the connection timeout', new Error('Connection terminated due to connection timeout')],
    ['PostgreSQL shutting down (57P01) inside QueryFailedError', queryFailed(coded('57P01', 'terminating connection due to administrator command'))],
    ['PostgreSQL starting up (57P03)', coded('57P03', 'the database system is starting up')],
    ['PostgreSQL connection failure (08006)', coded('08006')],
    ['PostgreSQL too many connections (53300)', coded('53300')],
    ['SQLite write lock still busy after the retries', queryFailed(coded('SQLITE_BUSY', 'SQLITE_BUSY: database is locked'))],
    ['SQLite file cannot be opened', coded('SQLITE_CANTOPEN')],
    ['SQLite I/O error', queryFailed(coded('SQLITE_IOERR', 'SQLITE_IOERR: disk I/O error'))],
    ['dual-stack connect refused twice (AggregateError)', new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')])],
    ['wrapped as a cause', new Error('intake failed', { cause: coded('ECONNREFUSED') })],
  ];
  const faults: [string, unknown][] = [
    ['a unique violation (23505)', queryFailed(coded('23505', 'duplicate key value violates unique constraint'))],
    ['an SQL syntax error (42601)', queryFailed(coded('42601'))],
    ['an SQLite constraint', queryFailed(coded('SQLITE_CONSTRAINT', 'SQLITE_CONSTRAINT: UNIQUE constraint failed'))],
    ['an SQLite missing table', queryFailed(coded('SQLITE_ERROR', 'SQLITE_ERROR: no such table: x'))],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a string', 'ECONNREFUSED'],
    ['nothing', undefined],
  ];

  it.each(away)('%s: unavailable', (_name, err) => expect(isDatabaseUnavailable(err)).toBe(true));
  it.each(faults)('%s: not unavailable', (_name, err) => expect(isDatabaseUnavailable(err)).toBe(false));

  it('stops at an error that is its own cause', () => {
    const loop = new Error('loop') as Error & { cause?: unknown };
    loop.cause = loop;
    expect(isDatabaseUnavailable(loop)).toBe(false);
  });

  it('knows the errors the drivers really raise: a refused TCP connect and an SQLite file that cannot be opened', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const refused = await new Promise<Error>((resolve) => net.connect(closedPort, '127.0.0.1').once('error', resolve));
    expect(isDatabaseUnavailable(refused)).toBe(true);
    const cantOpen = await new Promise<Error | null>((resolve) => {
      const db = new Database('/nonexistent-dir-kkd/x.sqlite', (err) => resolve(err));
      db.on('error', () => undefined);
    });
    expect(cantOpen).not.toBeNull();
    expect(isDatabaseUnavailable(cantOpen)).toBe(true);
  });
});
