import { ArgumentsHost, Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { HttpExceptionFilter } from './http-exception.filter';

/** What the filter wrote: status, headers, and the JSON body or the page it rendered. */
function run(exception: unknown, path: string) {
  const out: { status?: number; headers: Record<string, string>; json?: Record<string, unknown>; view?: string; locals?: Record<string, unknown> } = { headers: {} };
  const res = {
    setHeader: (k: string, v: string) => { out.headers[k.toLowerCase()] = v; },
    status: (s: number) => { out.status = s; return res; },
    json: (body: Record<string, unknown>) => { out.json = body; },
    render: (view: string, locals: Record<string, unknown>) => { out.view = view; out.locals = locals; },
  };
  const req = { method: 'GET', path, originalUrl: path, requestId: 'r1' };
  const host = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost;
  new HttpExceptionFilter().catch(exception, host);
  return out;
}

describe('HttpExceptionFilter', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['error', 'warn', 'log']));

  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  const busy = new QueryFailedError('BEGIN IMMEDIATE', [], Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' }));

  it.each([['PostgreSQL refused', refused], ['SQLite still busy after the retries', busy]])(
    '%s: the API answers 503 unavailable with Retry-After, without the driver message',
    (_name, err) => {
      const out = run(err, '/api/tickets');
      expect(out.status).toBe(503);
      expect(Number(out.headers['retry-after'])).toBeGreaterThan(0);
      expect(out.json).toMatchObject({ statusCode: 503, error: 'unavailable' });
      expect(JSON.stringify(out.json)).not.toMatch(/ECONNREFUSED|SQLITE/);
    },
  );

  it('shows the console the 一時的に利用できません page with Retry-After', () => {
    const out = run(refused, '/consults');
    expect(out.status).toBe(503);
    expect(out.headers['retry-after']).toBeDefined();
    expect(out.view).toBe('unavailable');
    expect(out.locals).toMatchObject({ title: '一時的に利用できません' });
  });

  it('still answers 500 internal, without Retry-After, for other failures', () => {
    const out = run(new QueryFailedError('SELECT', [], Object.assign(new Error('syntax error'), { code: '42601' })), '/api/tickets');
    expect(out.status).toBe(500);
    expect(out.headers['retry-after']).toBeUndefined();
    expect(out.json).toMatchObject({ error: 'internal', message: 'internal error' });
  });
});
