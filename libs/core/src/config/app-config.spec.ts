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
});
