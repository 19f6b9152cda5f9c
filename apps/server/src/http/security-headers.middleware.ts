import helmet from 'helmet';

/**
 * helmet with a strict Content-Security-Policy. Upgrading requests to HTTPS and HSTS only when the
 * console is served over TLS (COOKIE_SECURE): on plain HTTP at a network address they made the
 * browser fetch the style sheet and script over https, and sign-in failed.
 */
export function securityHeaders(overTls: boolean) {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'],
        frameSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], objectSrc: ["'none'"], baseUri: ["'none'"],
        upgradeInsecureRequests: overTls ? [] : null,
      },
    },
    strictTransportSecurity: overTls,
  });
}
