import { randomBytes } from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Client } from 'pg';
import { AppConfig, loadConfig } from '@kkd/core';

/**
 * Settings for a test: a fresh DATA_DIR and SQLite file, loopback ports chosen by the OS.
 * When TEST_DATABASE_URL points at a PostgreSQL server, the test gets a database of its own
 * there instead: call createTestDatabase before starting and dropTestDatabase after closing.
 */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-test-'));
  const server = process.env.TEST_DATABASE_URL;
  const databaseUrl = server ? withDatabase(server, `kkd_test_${randomBytes(6).toString('hex')}`) : `sqlite:${path.join(dataDir, 'helpdesk.sqlite')}`;
  return loadConfig({
    HTTP_PORT: '0', SMTP_PORT: '0', DATA_DIR: dataDir, DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn', OUTBOX_INTERVAL_MS: '100000', ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'admin-password-123',
    // Tests of other features sign in with a password only; test/e2e/two-factor.spec.ts turns it on.
    TOTP_REQUIRED_ROLES: 'none',
    ...overrides,
  });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs one statement on the server's maintenance database (the one TEST_DATABASE_URL names). */
async function onServer(config: AppConfig, sql: (database: string) => string): Promise<void> {
  if (config.databaseKind !== 'postgres' || !process.env.TEST_DATABASE_URL) return;
  const database = new URL(config.DATABASE_URL).pathname.slice(1);
  if (!/^kkd_test_[0-9a-f]+$/.test(database)) throw new Error(`not a test database: ${database}`);
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql(database));
  } finally {
    await client.end();
  }
}

export const createTestDatabase = (config: AppConfig) => onServer(config, (db) => `CREATE DATABASE ${db}`);
export const dropTestDatabase = (config: AppConfig) => onServer(config, (db) => `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
