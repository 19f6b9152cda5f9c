import { randomBytes } from 'crypto';

/** Double-submit token for the login form (no session exists yet to hold one). */
export function newLoginCsrf(): string {
  return randomBytes(24).toString('base64url');
}
