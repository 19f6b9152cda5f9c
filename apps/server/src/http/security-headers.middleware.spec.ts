import { IncomingMessage, ServerResponse } from 'http';
import { securityHeaders } from './security-headers.middleware';

/** The headers the middleware sets on one answer. */
function headersOf(overTls: boolean): Record<string, string> {
  const set: Record<string, string> = {};
  const res = { setHeader: (name: string, value: string) => { set[name.toLowerCase()] = String(value); }, removeHeader: () => undefined } as unknown as ServerResponse;
  securityHeaders(overTls)({ method: 'GET', url: '/' } as IncomingMessage, res, () => undefined);
  return set;
}

describe('securityHeaders', () => {
  it('over plain HTTP neither upgrades requests to https nor sends HSTS, so sign-in works at a network address', () => {
    const headers = headersOf(false);
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(headers['strict-transport-security']).toBeUndefined();
  });

  it('over TLS upgrades requests and sends HSTS', () => {
    const headers = headersOf(true);
    expect(headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});
