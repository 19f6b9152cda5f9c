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

  it('keeps pages and API answers out of the browser cache, signed in or not, but lets static files be cached', async () => {
    // Back after signing out showed a member's address from the cache (acceptance finding).
    const manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    const signedIn = { cookie: manager.cookieHeader() };
    const answers = await Promise.all([
      fetch(`${t.baseUrl}/members`, { headers: signedIn, redirect: 'manual' }),
      fetch(`${t.baseUrl}/consults`, { headers: signedIn, redirect: 'manual' }),
      fetch(`${t.baseUrl}/login`, { redirect: 'manual' }),
      fetch(`${t.baseUrl}/api/tickets`, { headers: { authorization: `Bearer ${t.managerToken}` } }),
      fetch(`${t.baseUrl}/api/tickets`), // refused: still not stored
      fetch(`${t.baseUrl}/no-such-page`, { headers: signedIn }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 401, 404]);
    for (const res of answers) expect(res.headers.get('cache-control')).toBe('no-store');

    const css = await fetch(`${t.baseUrl}/static/console.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('cache-control')).toMatch(/max-age=3600/);
    expect(css.headers.get('cache-control')).not.toContain('no-store');
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
