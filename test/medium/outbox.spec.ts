import fs from 'fs';
import path from 'path';
import { DataSource } from 'typeorm';
import { TransactionRunner } from '@kkd/core';
import { MailModule, OutboxService } from '@kkd/mail';
import { realDbModule } from './support/real-db';

describe('outbox on a real database', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  beforeEach(async () => { db = await realDbModule([MailModule]); });
  afterEach(async () => { await db.close(); });

  it('delivers each queued mail exactly once and marks every one sent', async () => {
    const outbox = db.module.get(OutboxService);
    await db.module.get(TransactionRunner).run(async (em) => {
      for (let i = 0; i < 25; i++) {
        await outbox.enqueue(em, { consultId: null, kind: 'notice', to: `m${i}@member.example.jp`, subject: `通知 ${i}`, bodyText: '本文' });
      }
    });
    expect(await outbox.deliverDue()).toBe(25);
    expect(await outbox.deliverDue()).toBe(0);
    const rows: { status: string; attempts: number; sent_at: string | null }[] = await db.module.get(DataSource).query('SELECT status, attempts, sent_at FROM outbound_mails');
    expect(rows).toHaveLength(25);
    expect(rows.every((r) => r.status === 'sent' && Number(r.attempts) === 1 && r.sent_at !== null)).toBe(true);
    const files = fs.readdirSync(path.join(db.config.DATA_DIR, 'outbox'));
    expect(files).toHaveLength(25);
    expect(files[0]).toMatch(/^\d{8}\.eml$/);
  });
});
