import { ConsoleClient, MANAGER, startTestServer, TestServer } from './support/test-server';

/**
 * Issue 8: every page and answer carries the security headers (helmet with a strict
 * Content-Security-Policy), and behind TLS (COOKIE_SECURE) the session cookie is Secure.
 */
describe('security headers and cookie flags', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer({ COOKIE_SECURE: 'true' }); });
  afterAll(async () => { await t.close(); });

  it.each(['/login', '/healthz', '/api/tickets', '/help', '/static/console.css'])('sends the security headers on %s', async (path) => {
    const res = await fetch(`${t.baseUrl}${path}`, { redirect: 'manual' });
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('marks the session cookie HttpOnly, SameSite=Lax and Secure when served over TLS', async () => {
    const manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    const session = manager.lastSetCookies.find((c) => !c.startsWith('kkd_login_csrf'));
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);
    expect(session).toMatch(/; Secure/i);
  });
});
