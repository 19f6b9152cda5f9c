import fs from 'fs';
import os from 'os';
import path from 'path';
import { AppConfig, loadConfig } from '@kkd/core';

/**
 * Settings for a test: a fresh DATA_DIR and SQLite file, loopback ports chosen by the OS.
 * When TEST_DATABASE_URL points at PostgreSQL, that database is used instead.
 */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-test-'));
  return loadConfig({
    HTTP_PORT: '0', SMTP_PORT: '0', DATA_DIR: dataDir,
    DATABASE_URL: process.env.TEST_DATABASE_URL ?? `sqlite:${path.join(dataDir, 'helpdesk.sqlite')}`,
    LOG_LEVEL: 'warn', OUTBOX_INTERVAL_MS: '100000', ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'admin-password-123',
    ...overrides,
  });
}
