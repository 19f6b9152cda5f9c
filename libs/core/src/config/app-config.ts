import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';
import { ConfigError } from '../core.exception';
import { redactUrl, UrlRule, urlSettingProblem } from './url-setting.util';

const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);
const RETENTION_RANGE = { message: '$property must be 0 (keep forever) or from 30 to 36500 days' };

/**
 * Every setting of the server and the CLI (documented in .env.example). Property names are the
 * environment variable names so that a validation error names the variable the operator must fix.
 */
export class AppConfig {
  @IsString() @MinLength(1)
  HTTP_HOST = '127.0.0.1';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  HTTP_PORT = 3000;

  @IsString() @MinLength(1)
  SMTP_HOST = '127.0.0.1';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  SMTP_PORT = 2525;

  @IsEmail({ require_tld: false })
  INTAKE_ADDRESS = 'kakekomi@helpdesk.test';

  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, { message: 'must be sqlite:<path> or postgres://user:pass@host:port/db' })
  DATABASE_URL = 'sqlite:./data/helpdesk.sqlite';

  @IsString() @MinLength(1)
  DATA_DIR = './data';

  @IsOptional() @Matches(/^(smtps?:\/\/.+)?$/, { message: 'must be empty or smtp://host:port (smtps:// for TLS)' })
  SMTP_RELAY_URL = '';

  /** A mailbox to take mail from as well (imap://user:pass@host:port/INBOX, imaps:// for TLS); empty: none. */
  @IsOptional() @Matches(/^(imaps?:\/\/[^\s@/]+(:[^\s@/]*)?@[^\s/]+(\/\S*)?)?$/, { message: 'must be empty or imap(s)://user:password@host:port/mailbox' })
  IMAP_URL = '';

  /** Where taken mail is moved after its consult is committed. */
  @IsString() @MinLength(1)
  IMAP_PROCESSED_FOLDER = 'Processed';

  @Transform(toInt) @IsInt() @Min(5000) @Max(3600_000)
  IMAP_POLL_INTERVAL_MS = 60_000;

  @Transform(toBool) @IsBoolean()
  RUN_HTTP = true;

  @Transform(toBool) @IsBoolean()
  RUN_SMTP = true;

  @Transform(toBool) @IsBoolean()
  RUN_SCHEDULER = true;

  /** Largest accepted message in bytes (SMTP SIZE); 25 MB by default. */
  @Transform(toInt) @IsInt() @Min(1024)
  MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

  /** Largest total size of the files an expert attaches to one reply, in bytes; 10 MB by default. */
  @Transform(toInt) @IsInt() @Min(1024) @Max(100 * 1024 * 1024)
  REPLY_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

  /** Display name on outbound mail; the From address is INTAKE_ADDRESS so replies come back in. */
  @IsString() @MinLength(1)
  MAIL_FROM_NAME = 'CSIRT倶楽部 事務局';

  /** Name this server gives itself in SMTP greetings and Message-IDs. */
  @IsString() @Matches(/^[A-Za-z0-9.-]+$/, { message: 'must be a host name' })
  MAIL_HOSTNAME = 'helpdesk.test';

  @Transform(toInt) @IsInt() @Min(1) @Max(24 * 30)
  SESSION_TTL_HOURS = 12;

  /** The console's address as staff reach it, for links in notices; empty: http://HTTP_HOST:HTTP_PORT. */
  @IsOptional() @Matches(/^(https?:\/\/[^\s/]+(\/[^\s]*)?)?$/, { message: 'must be empty or an http(s):// URL' })
  CONSOLE_URL = '';

  get consoleUrl(): string {
    return (this.CONSOLE_URL || `http://${this.HTTP_HOST}:${this.HTTP_PORT}`).replace(/\/+$/, '');
  }

  /** Staff roles that must sign in to the console with a second factor (TOTP); `none`: nobody. */
  @Matches(/^(none|(expert|manager|admin)(,(expert|manager|admin))*)$/, { message: 'must be none or a comma-separated list of expert, manager, admin' })
  TOTP_REQUIRED_ROLES = 'manager,admin';

  get totpRequiredRoles(): string[] {
    return this.TOTP_REQUIRED_ROLES === 'none' ? [] : this.TOTP_REQUIRED_ROLES.split(',');
  }

  /** Set when the console is served over HTTPS (behind a TLS proxy): marks the cookie Secure. */
  @Transform(toBool) @IsBoolean()
  COOKIE_SECURE = false;

  @Transform(toInt) @IsInt() @Min(100)
  OUTBOX_INTERVAL_MS = 2000;

  /** Less business time than this left before a due time counts as at risk (default: one business day). */
  @Transform(toInt) @IsInt() @Min(1) @Max(5 * 480)
  SLA_AT_RISK_BUSINESS_MINUTES = 480;

  /** How often the SLA sweep moves states and sends warnings, in milliseconds. */
  @Transform(toInt) @IsInt() @Min(1000) @Max(3600_000)
  SLA_SWEEP_INTERVAL_MS = 60_000;

  /**
   * Days after a consult is closed (完了) before its attachments and raw mail are deleted (art. 37);
   * 0: kept forever. At least 30 otherwise, so a slip of the keyboard cannot empty the archive.
   */
  @ValidateIf((c: AppConfig) => c.RETENTION_DAYS !== 0)
  @Transform(toInt) @IsInt() @Min(30, RETENTION_RANGE) @Max(36500, RETENTION_RANGE)
  RETENTION_DAYS = 0;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** `json`: one JSON object per line (level, time, context, message) for log collectors. */
  @IsIn(['text', 'json'])
  LOG_FORMAT: 'text' | 'json' = 'text';

  @IsOptional() @IsEmail({ require_tld: false })
  ADMIN_EMAIL?: string;

  @IsOptional() @IsString() @MinLength(12, { message: 'must be at least 12 characters' })
  ADMIN_PASSWORD?: string;

  get databaseKind(): 'sqlite' | 'postgres' {
    return this.DATABASE_URL.startsWith('sqlite:') ? 'sqlite' : 'postgres';
  }
}

const KEYS = Object.keys(new AppConfig()).concat(['ADMIN_EMAIL', 'ADMIN_PASSWORD']);

/** Settings whose value is never shown in a message. */
const SECRET_KEYS = ['ADMIN_PASSWORD'];

/** URL settings, checked by parsing them as their consumer will (the patterns above only check the shape). */
const URL_RULES: Record<string, UrlRule & { expected: string }> = {
  DATABASE_URL: { schemes: ['postgres:', 'postgresql:'], expected: 'postgres://user:pass@host:port/db' },
  SMTP_RELAY_URL: { schemes: ['smtp:', 'smtps:'], expected: 'smtp://host:port (smtps:// for TLS)' },
  IMAP_URL: { schemes: ['imap:', 'imaps:'], credentials: true, expected: 'imap(s)://user:password@host:port/mailbox' },
  CONSOLE_URL: { schemes: ['http:', 'https:'], expected: 'an http(s):// URL' },
};

/** `NAME="value"` for a message: URL passwords as `***`, secrets not at all. */
function shown(key: string, value: string | undefined): string {
  if (SECRET_KEYS.includes(key)) return key;
  return `${key}=${JSON.stringify(key in URL_RULES ? redactUrl(value ?? '') : value ?? '')}`;
}

/** Reads the settings from an environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
    else if (value === '' && (key === 'SMTP_RELAY_URL' || key === 'CONSOLE_URL' || key === 'IMAP_URL')) raw[key] = '';
  }
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const first = errors[0];
    // A type check's message first: `HTTP_PORT=abc` is "not an integer", not "greater than 65535".
    const constraints = Object.entries(first.constraints ?? {}).sort(([a], [b]) => Number(!a.startsWith('is')) - Number(!b.startsWith('is')));
    const reason = constraints[0]?.[1] ?? 'is invalid';
    throw new ConfigError(first.property, `${shown(first.property, env[first.property])} ${reason}`);
  }
  for (const [key, rule] of Object.entries(URL_RULES)) {
    const value = config[key as keyof AppConfig] as string;
    if (value === '' || (key === 'DATABASE_URL' && config.databaseKind === 'sqlite')) continue;
    const problem = urlSettingProblem(value, rule);
    if (problem) throw new ConfigError(key, `${shown(key, value)} ${problem} (expected ${rule.expected})`);
  }
  return config;
}
