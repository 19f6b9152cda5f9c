import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import { checkPassword } from './password-rules.util';

/** A random URL-safe secret (256 bits). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A generated password for a new account, shown once; 20 URL-safe characters that pass the password rules. */
export function newOneTimePassword(email: string): string {
  let password: string;
  do password = newSecret().slice(0, 20); while (checkPassword(password, email));
  return password;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
