/** Which rule a staff password broke; named in the command line's one-line refusal. */
export type PasswordRule = 'min_length' | 'max_length' | 'email_local_part' | 'email_address' | 'repetitive' | 'common';

export interface PasswordProblem {
  rule: PasswordRule;
  /** For the console (Japanese). */
  message: string;
  /** For the command line and the server log (English, one line). */
  reason: string;
}

export const PASSWORD_MIN_LENGTH = 12;
/** The login form accepts up to 200 characters. */
export const PASSWORD_MAX_LENGTH = 200;
/** bcrypt only reads the first 72 bytes: the rules look at that part too. */
const BCRYPT_BYTES = 72;

const PROBLEMS: Record<PasswordRule, Omit<PasswordProblem, 'rule'>> = {
  min_length: {
    message: `パスワードは${PASSWORD_MIN_LENGTH}文字以上にしてください。`,
    reason: `at least ${PASSWORD_MIN_LENGTH} characters are required`,
  },
  max_length: {
    message: `パスワードは${PASSWORD_MAX_LENGTH}文字以内にしてください。`,
    reason: `at most ${PASSWORD_MAX_LENGTH} characters are allowed`,
  },
  email_local_part: {
    message: `パスワードがメールアドレス（@より前の部分）に頼っています。その部分を除いても${PASSWORD_MIN_LENGTH}文字以上になるようにしてください。`,
    reason: `without the email's local part fewer than ${PASSWORD_MIN_LENGTH} characters remain`,
  },
  email_address: {
    message: 'メールアドレス（または@より前の部分）に数字や記号を足しただけのパスワードは使えません。',
    reason: 'the email address or its local part with only digits or symbols added',
  },
  repetitive: {
    message: '同じ文字や短い並びの繰り返し、連続した文字、数字だけのパスワードは使えません。',
    reason: 'a repeated character or pattern, a straight sequence or digits only',
  },
  common: {
    message: 'よく使われるパスワードに近いため使えません。推測されにくい語句を組み合わせてください。',
    reason: 'too close to a commonly used password (e.g. password1234, qwertyuiop12)',
  },
};

/** Whole passwords seen in every leaked list (compared in lower case). */
const COMMON_PASSWORDS = new Set([
  '123456789012', '1234567890123', '12345678901234', '098765432109', '111111111111', '1qaz2wsx3edc', '1q2w3e4r5t6y',
  'zaq12wsxcde3', 'qazwsxedcrfv', 'qwertyuiop12', 'password1234', 'password123456', 'p@ssw0rd1234', 'passw0rd1234',
  'iloveyou1234', 'abc123abc123', 'abcd1234abcd', 'a1b2c3d4e5f6', 'letmein12345', 'welcome12345', 'changeme1234',
]);

/**
 * Words that stay guessable with digits and symbols around them: 'password1234', 'Admin!2026xx'
 * and 'qwertyuiop12' reduce to one of them (or one of them repeated).
 */
const COMMON_WORDS = [
  'password', 'passwd', 'pass', 'qwerty', 'qwertyuiop', 'qwertyuiopasdf', 'asdfghjkl', 'asdf', 'zxcvbnm', 'abc', 'abcdefghijkl',
  'admin', 'administrator', 'root', 'welcome', 'letmein', 'iloveyou', 'changeme', 'secret', 'login', 'test', 'master',
  'monkey', 'dragon', 'sunshine', 'princess', 'football', 'baseball', 'helpdesk', 'kakekomi', 'csirt', 'security',
];

const LEET: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '$': 's', '5': 's', '3': 'e', '1': 'i', '!': 'i' };

const codePoints = (s: string) => [...s];

/** The password as bcrypt sees it: at most its first 72 UTF-8 bytes, cut on a whole character. */
function bcryptPart(password: string): string {
  let bytes = 0;
  let out = '';
  for (const ch of password) {
    bytes += Buffer.byteLength(ch, 'utf8');
    if (bytes > BCRYPT_BYTES) break;
    out += ch;
  }
  return out;
}

/** One short unit repeated ('aaaa…', 'abab…'), a straight run ('abcdef…', '987654…'), or only digits. */
function isRepetitive(password: string): boolean {
  const s = password.toLowerCase();
  if (/^(.{1,4})\1+$/su.test(s) || /^\d+$/.test(s)) return true;
  const cps = codePoints(s).map((c) => c.codePointAt(0)!);
  const step = (a: number, b: number) => (a === 0x39 && b === 0x30 ? 1 : a === 0x30 && b === 0x39 ? -1 : b - a); // 9→0 wraps
  const first = step(cps[0], cps[1]);
  return Math.abs(first) === 1 && cps.every((c, i) => i === 0 || step(cps[i - 1], c) === first);
}

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return true;
  // Leet symbols anywhere, leet digits only inside a word ('p@ssw0rd-2026' → 'password').
  const leet = lower.replace(/[@$!]/g, (c) => LEET[c]).replace(/(?<=[a-z])[01345](?=[a-z])/g, (c) => LEET[c]);
  const letters = leet.replace(/[^a-z]/g, '');
  const bare = lower.replace(/[^a-z]/g, '');
  return [letters, bare].some((w) => w !== '' && COMMON_WORDS.some((word) => new RegExp(`^(?:${word})+$`).test(w)));
}

/** The parts of the email's local part worth looking for: the whole and its pieces of 3+ characters. */
function localParts(email: string): string[] {
  const local = email.trim().toLowerCase().split('@')[0] ?? '';
  return [...new Set([local, ...local.split(/[._+-]+/)])].filter((p) => codePoints(p).length >= 3).sort((a, b) => b.length - a.length);
}

/**
 * The address itself, or its whole local part (3+ characters), with nothing but digits and symbols
 * around it: 'takahashi.k@helpdesk.test', 'Takahashi.K@helpdesk.test2026!', 'takahashi.k-123456789012'.
 */
function isEmailWithTrimmings(password: string, email: string): boolean {
  const address = email.trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  const lower = password.toLowerCase();
  return [address, local].filter((p) => codePoints(p).length >= 3)
    .some((p) => lower.includes(p) && !/\p{L}/u.test(lower.split(p).join('')));
}

/**
 * The first rule a new staff password breaks, or null when it may be used. Pure: no I/O.
 * The email's local part may appear (the seed accounts use 'expert-password-123' for expert@…),
 * but what is left without it must still be long enough.
 */
export function checkPassword(password: string, email: string): PasswordProblem | null {
  const problem = (rule: PasswordRule): PasswordProblem => ({ rule, ...PROBLEMS[rule] });
  const length = codePoints(password).length;
  if (length < PASSWORD_MIN_LENGTH) return problem('min_length');
  if (length > PASSWORD_MAX_LENGTH) return problem('max_length');
  let rest = password.toLowerCase();
  for (const part of localParts(email)) rest = rest.split(part).join('');
  if (codePoints(rest).length < PASSWORD_MIN_LENGTH) return problem('email_local_part');
  if (isEmailWithTrimmings(password, email) || isEmailWithTrimmings(bcryptPart(password), email)) return problem('email_address');
  const effective = bcryptPart(password);
  if (isRepetitive(password) || isRepetitive(effective)) return problem('repetitive');
  if (isCommon(password) || isCommon(effective)) return problem('common');
  return null;
}
