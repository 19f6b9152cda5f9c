import { SmtpIntakeServer } from '@kkd/inbox';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { MEMBERS, startTestServer, TestServer } from './support/test-server';

describe('operations endpoints: /healthz and /metrics', () => {
  let t: TestServer;
  let smtpPort: number;
  beforeAll(async () => {
    t = await startTestServer();
    smtpPort = t.smtpPort;
  });
  afterAll(async () => { await t.close(); });

  it('reports the database, the SMTP listener and when the scheduler last ticked each job', async () => {
    await t.flushOutbox();
    const res = await fetch(`${t.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { scheduler: { jobs: Record<string, { lastTickSecondsAgo: number; lastRunSecondsAgo: number }> } };
    expect(body).toMatchObject({ status: 'ok', database: 'ok', smtp: 'ok', scheduler: { running: true } });
    expect(body.scheduler.jobs['outbox-sender'].lastTickSecondsAgo).toBeGreaterThanOrEqual(0);
    expect(body.scheduler.jobs['outbox-sender'].lastRunSecondsAgo).toBeGreaterThanOrEqual(0);
  });

  it('answers 503 naming the SMTP listener when it is down', async () => {
    const smtp = t.server.app.get(SmtpIntakeServer);
    await smtp.stop();
    const res = await fetch(`${t.baseUrl}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable', database: 'ok', smtp: 'down' });
    smtpPort = await smtp.start(); // the test server listens on a free port: it may be another one now
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
  });

  it('gives Prometheus the intake, outbox, consult and held-mail figures, and no member identity', async () => {
    const member = MEMBERS[0];
    const mail = buildMail({ from: member.email, subject: 'メトリクス確認', body: '不審な通信があります。' });
    expect((await deliverOverSmtp(smtpPort, mail.raw, { from: member.email, to: ['kakekomi@helpdesk.test'] })).code).toBe(250);
    const unknown = buildMail({ from: 'stranger@unknown.example.jp', subject: '誰か', body: '…' });
    expect((await deliverOverSmtp(smtpPort, unknown.raw, { from: 'stranger@unknown.example.jp', to: ['kakekomi@helpdesk.test'] })).code).toBe(250);

    const res = await fetch(`${t.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('kkd_intake_messages_total{outcome="consult_opened"} 1');
    expect(text).toContain('kkd_intake_messages_total{outcome="held:unknown_sender"} 1');
    expect(text).toContain('kkd_consults{status="new"} 1');
    expect(text).toMatch(/kkd_consults_open_by_sla_state\{state="on_track"\} 1/);
    expect(text).toMatch(/kkd_outbox_mails\{status="queued"\} [1-9]/);
    expect(text).toContain('kkd_held_mails{status="held:unknown_sender"} 1');
    expect(text).toMatch(/^kkd_process_resident_memory_bytes \d+/m);
    for (const secret of [member.email, 'stranger@unknown.example.jp', 'メトリクス確認']) expect(text).not.toContain(secret);
  });
});
