/** What a URL-valued setting must look like to be usable by its consumer. */
export interface UrlRule {
  /** Accepted WHATWG protocols, with the colon: `smtp:`. */
  schemes: readonly string[];
  /** IMAP signs in with the URL's user and password. */
  credentials?: boolean;
}

/** Scheme, `//`, then the authority up to the path, query or fragment (user-info split at its last `@`). */
function authorityOf(value: string): { userinfo: string | null; hostPort: string } | null {
  const start = value.indexOf('://');
  if (start === -1) return null;
  const rest = value.slice(start + 3);
  const at = rest.lastIndexOf('@');
  const hostAndAfter = at === -1 ? rest : rest.slice(at + 1);
  return { userinfo: at === -1 ? null : rest.slice(0, at), hostPort: hostAndAfter.split(/[/?#]/, 1)[0] };
}

/**
 * The value with any password replaced by `***`, for messages. Works on the raw text (split at the
 * last `@`), so a URL the parser refuses, or one with an unencoded `/`, `?` or `@` in its
 * password, is masked too; it may mask more than the password, never less.
 */
export function redactUrl(value: string): string {
  const start = value.indexOf('://');
  const at = value.lastIndexOf('@');
  if (start === -1 || at < start) return value;
  const userinfo = value.slice(start + 3, at);
  const colon = userinfo.indexOf(':');
  return colon === -1 ? value : `${value.slice(0, start + 3)}${userinfo.slice(0, colon)}:***${value.slice(at)}`;
}

/**
 * Why `value` would fail where it is used (WHATWG URL, as pg, nodemailer and the IMAP intake parse
 * it), or null when it is fine. Pure; the reasons never contain the value.
 */
export function urlSettingProblem(value: string, rule: UrlRule): string | null {
  const authority = authorityOf(value);
  if (!authority) return `must start with ${rule.schemes.map((s) => `${s}//`).join(' or ')}`;
  // The port first: WHATWG only says "Invalid URL" for `:abc` or `:99999`.
  const port = /^(?:\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority.hostPort)?.[1];
  if (port !== undefined && port !== '' && (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)) {
    return 'has a bad port: it must be a number from 1 to 65535';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a valid URL';
  }
  if (!rule.schemes.includes(url.protocol)) return `must start with ${rule.schemes.map((s) => `${s}//`).join(' or ')}`;
  if (!url.hostname) return 'has no host';
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    return 'has a broken %-escape in its user name or password';
  }
  if (rule.credentials && (!url.username || !url.password)) return 'needs user:password@ before the host';
  return null;
}
