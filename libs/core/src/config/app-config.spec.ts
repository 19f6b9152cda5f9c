import { ConfigError } from '../core.exception';
import { loadConfig } from './app-config';

describe('configuration', () => {
  it('needs no settings for the embedded default', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ HTTP_HOST: '127.0.0.1', HTTP_PORT: 3000, SMTP_PORT: 2525, INTAKE_ADDRESS: 'kakekomi@helpdesk.test', DATABASE_URL: 'sqlite:./data/helpdesk.sqlite', DATA_DIR: './data', SMTP_RELAY_URL: '', RUN_HTTP: true, RUN_SMTP: true, RUN_SCHEDULER: true });
    expect(config.databaseKind).toBe('sqlite');
  });

  it('reads and converts values', () => {
    const config = loadConfig({ HTTP_PORT: '8080', RUN_SMTP: 'false', DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/kkd', SMTP_RELAY_URL: 'smtp://127.0.0.1:25' });
    expect(config).toMatchObject({ HTTP_PORT: 8080, RUN_SMTP: false, SMTP_RELAY_URL: 'smtp://127.0.0.1:25' });
    expect(config.databaseKind).toBe('postgres');
  });

  it.each([
    ['HTTP_PORT', 'eighty'], ['HTTP_PORT', '70000'], ['SMTP_PORT', '-1'], ['INTAKE_ADDRESS', 'not-an-address'],
    ['DATABASE_URL', 'mysql://x'], ['RUN_HTTP', 'maybe'], ['SMTP_RELAY_URL', 'http://relay'], ['MAX_MESSAGE_BYTES', '10'],
  ])('stops on a bad %s naming it', (name, value) => {
    let error: unknown;
    try { loadConfig({ [name]: value }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as Error).message).toContain(name);
  });

  it.each([
    ['SMTP_RELAY_URL', 'smtp://user:S3cretPw@relay.example.jp:abc'],
    ['DATABASE_URL', 'postgres://kkd:S3cretPw@db.internal:99999/helpdesk'],
    ['DATABASE_URL', 'postgres://kkd:S3cretPw@db.internal:0/helpdesk'],
    ['DATABASE_URL', 'mysql://kkd:S3cretPw@db.internal/helpdesk'],
    ['IMAP_URL', 'imaps://kkd:S3cretPw@mail.example.jp:99999/INBOX'],
    ['IMAP_URL', 'imaps://kkd:S3cret/Pw@mail.example.jp/INBOX'],
    ['CONSOLE_URL', 'https://kkd:S3cretPw@helpdesk.example.jp:70000/'],
  ])('stops on a URL in %s its consumer could not parse, naming it and never showing the password', (name, value) => {
    let error: unknown;
    try { loadConfig({ [name]: value }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as Error).message).toMatch(new RegExp(`^invalid setting ${name}=".*:\\*\\*\\*@`));
    expect((error as Error).message).not.toContain('S3cret');
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });

  it('accepts the URLs of the documented forms', () => {
    expect(() => loadConfig({
      DATABASE_URL: 'postgresql://kkd:p%40ss@db.internal:5432/helpdesk', SMTP_RELAY_URL: 'smtps://u:p@relay.example.jp:465',
      IMAP_URL: 'imaps://u:p@mail.example.jp/INBOX', CONSOLE_URL: 'https://helpdesk.example.jp/kkd',
    })).not.toThrow();
  });

  it('never shows ADMIN_PASSWORD in its error', () => {
    let error: unknown;
    try { loadConfig({ ADMIN_PASSWORD: 'short' }); } catch (e) { error = e; }
    expect((error as ConfigError).variable).toBe('ADMIN_PASSWORD');
    expect((error as Error).message).toContain('ADMIN_PASSWORD');
    expect((error as Error).message).not.toContain('short');
  });
});

describe('RETENTION_DAYS', () => {
  it('keeps everything forever unless set (empty or 0)', () => {
    expect(loadConfig({}).RETENTION_DAYS).toBe(0);
    expect(loadConfig({ RETENTION_DAYS: '' }).RETENTION_DAYS).toBe(0);
    expect(loadConfig({ RETENTION_DAYS: '0' }).RETENTION_DAYS).toBe(0);
  });

  it.each([['30', 30], ['365', 365], [' 1825 ', 1825], ['36500', 36500]])('reads %j as %i days', (value, days) => {
    expect(loadConfig({ RETENTION_DAYS: value }).RETENTION_DAYS).toBe(days);
  });

  it.each([
    ['a year', 'must be an integer number'], ['365.5', 'must be an integer number'], ['-1', 'must be 0 (keep forever) or from 30 to 36500 days'],
    ['7', 'must be 0 (keep forever) or from 30 to 36500 days'], ['36501', 'must be 0 (keep forever) or from 30 to 36500 days'],
  ])('stops the start on %j, naming RETENTION_DAYS', (value, reason) => {
    let error: unknown;
    try { loadConfig({ RETENTION_DAYS: value }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('RETENTION_DAYS');
    expect((error as Error).message).toBe(`invalid setting RETENTION_DAYS=${JSON.stringify(value)} RETENTION_DAYS ${reason}`);
  });
});
