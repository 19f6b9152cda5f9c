import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { StaffService } from '@kkd/staff';
import { buildMail, createTestDatabase, deliverOverSmtp, dropTestDatabase, testConfig } from '@kkd/testing';
import { RunningServer, startServer } from '../../apps/server/src/server';
import { EXPERT, MEMBERS, startTestServer, TestServer } from './support/test-server';

const CLI = path.resolve(__dirname, '../../dist/apps/cli/main.js');

const run = (file: string, args: string[], env: Record<string, string> = {}) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
  execFile(file, args, { env: { ...process.env, ...env } }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
});

/**
 * Issue 8: `backup <directory>` while the server runs, then a restore as the README says, on
 * SQLite and on PostgreSQL: the restored server has every consult, message and attachment.
 */
describe('backup and restore', () => {
  let t: TestServer;
  let restored: RunningServer | null = null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-backup-'));
  const restoredConfig = testConfig({ DATA_DIR: path.join(dir, 'restored') });

  beforeAll(async () => { t = await startTestServer(); });
  afterAll(async () => {
    await restored?.close();
    await t.close();
    await dropTestDatabase(restoredConfig);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies the database and the files while running, and a restored server has everything', async () => {
    const from = MEMBERS[0].email;
    for (const [i, attachment] of [[1, false], [2, true], [3, false]] as const) {
      const mail = buildMail({
        from, subject: `バックアップ確認 ${i}`, body: `本文 ${i}`,
        ...(attachment ? { attachment: { filename: 'ログ.txt', content: Buffer.from('攻撃の痕跡'), contentType: 'text/plain' } } : {}),
      });
      expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from, to: ['kakekomi@helpdesk.test'] })).code).toBe(250);
    }
    const env = { DATA_DIR: t.config.DATA_DIR, DATABASE_URL: t.config.DATABASE_URL, INIT_CWD: dir, LOG_LEVEL: 'error' };
    const backedUp = await run(process.execPath, [CLI, 'backup', 'copy'], env);
    expect(backedUp).toMatchObject({ code: 0, stdout: expect.stringContaining('backup written to') });
    expect((await run(process.execPath, [CLI, 'backup', 'copy'], env)).code).not.toBe(0); // never over an earlier backup

    // Restore (README, "Backup and restore"): the files into DATA_DIR, the database where DATABASE_URL points.
    const copy = path.join(dir, 'copy');
    fs.cpSync(path.join(copy, 'data'), restoredConfig.DATA_DIR, { recursive: true });
    if (restoredConfig.databaseKind === 'postgres') {
      await createTestDatabase(restoredConfig);
      const restoredDb = await run('pg_restore', ['--no-owner', `--dbname=${restoredConfig.DATABASE_URL}`, path.join(copy, 'helpdesk.dump')]);
      expect(restoredDb.stderr).toBe('');
    } else {
      fs.copyFileSync(path.join(copy, 'helpdesk.sqlite'), restoredConfig.DATABASE_URL.replace(/^sqlite:/, ''));
    }
    restored = await startServer(restoredConfig);
    const token = await restored.app.get(StaffService).createToken(EXPERT.email);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const api = (p: string): Promise<{ json(): Promise<any> }> => fetch(`http://127.0.0.1:${restored!.httpPort}${p}`, { headers: { authorization: `Bearer ${token}` } });
    const list = await (await api('/api/tickets')).json();
    expect(list.total).toBe(3);
    const withFile = list.items.find((c: { subject: string }) => c.subject === 'バックアップ確認 2');
    const detail = await (await api(`/api/tickets/${withFile.number}`)).json();
    expect(detail.messages[0].text).toContain('本文 2');
    expect(detail.attachments).toEqual([expect.objectContaining({ filename: 'ログ.txt' })]);
    // The raw source and the file itself came along.
    const stored = fs.readdirSync(path.join(restoredConfig.DATA_DIR, 'attachments'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(stored.map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))).toContain('攻撃の痕跡');
    expect(fs.readdirSync(path.join(restoredConfig.DATA_DIR, 'raw'), { recursive: true }).some((p) => String(p).endsWith('.eml'))).toBe(true);
  }, 60_000);
});
