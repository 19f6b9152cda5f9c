import { DataSource } from 'typeorm';
import { IntakeService, RetentionService } from '@kkd/inbox';
import { MetricsService } from './metrics.service';

/** The database as the metrics see it: rows per table, or refused connections while `down`. */
function fakeDatabase(rows: Record<string, { k: string; n: number }[]>) {
  const db = {
    down: false,
    query: async (sql: string) => {
      if (db.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      const table = /FROM (\w+)/.exec(sql)![1];
      return rows[table] ?? [];
    },
  };
  return db;
}

describe('MetricsService', () => {
  const intake = { outcomes: new Map([['consult_opened', 3], ['held:unknown_sender', 1]]) } as unknown as IntakeService;
  const retention = { totals: new Map([['attachment', 4], ['file', 3]]) } as unknown as RetentionService;

  it('declares the intake figure a counter and reports every outbox status, 0 for an empty queue', async () => {
    const db = fakeDatabase({ outbound_mails: [{ k: 'sent', n: 5 }], consults: [{ k: 'open', n: 2 }] });
    const text = await new MetricsService(db as unknown as DataSource, intake, retention).render();
    expect(text).toContain('# TYPE kkd_intake_messages_total counter');
    expect(text).toContain('kkd_intake_messages_total{outcome="consult_opened"} 3');
    expect(text).toContain('kkd_intake_messages_total{outcome="held:unknown_sender"} 1');
    for (const status of ['queued', 'failed', 'bounced']) expect(text).toContain(`kkd_outbox_mails{status="${status}"} 0`);
    expect(text).toContain('kkd_outbox_mails{status="sent"} 5');
    expect(text).toContain('kkd_consults{status="new"} 0');
    expect(text).toContain('kkd_database_up 1');
  });

  it('counts what the retention period deleted, every kind reported (0 before any run)', async () => {
    const text = await new MetricsService(fakeDatabase({}) as unknown as DataSource, intake, retention).render();
    expect(text).toContain('# TYPE kkd_retention_deleted_total counter');
    expect(text).toContain('kkd_retention_deleted_total{kind="attachment"} 4');
    expect(text).toContain('kkd_retention_deleted_total{kind="raw_source"} 0');
    expect(text).toContain('kkd_retention_deleted_total{kind="file"} 3');
  });

  it('keeps serving the process and intake figures while the database is away, leaving its figures out', async () => {
    const db = fakeDatabase({ outbound_mails: [{ k: 'queued', n: 827 }] });
    const metrics = new MetricsService(db as unknown as DataSource, intake, retention);
    expect(await metrics.render()).toContain('kkd_outbox_mails{status="queued"} 827');

    db.down = true;
    const text = await metrics.render();
    expect(text).toContain('kkd_database_up 0');
    expect(text).toContain('kkd_intake_messages_total{outcome="consult_opened"} 3');
    expect(text).toMatch(/^kkd_process_cpu_user_seconds_total \d/m);
    expect(text).not.toMatch(/^kkd_outbox_mails\{/m); // no stale 827 from the last good scrape
    expect(text).not.toMatch(/^kkd_consults\{/m);

    db.down = false;
    expect(await metrics.render()).toContain('kkd_database_up 1');
  });
});
