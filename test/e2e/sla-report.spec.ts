import { IntakeService } from '@kkd/inbox';
import { buildMail } from '@kkd/testing';
import { ConsoleClient, EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

describe('SLA report page, CSV and API', () => {
  let t: TestServer;
  let number: number;
  beforeAll(async () => {
    t = await startTestServer();
    const raw = Buffer.from(buildMail({ from: MEMBERS[0].email, subject: '報告書テスト, "引用符" 付き' }).raw);
    number = ((await t.server.app.get(IntakeService).accept(raw, MEMBERS[0].email, new Date('2026-11-10T18:30:00+09:00'))) as { consultNumber: number }).consultNumber;
    await t.api(`/api/tickets/${number}/replies`, { method: 'POST', body: JSON.stringify({ body: '回答します。' }) }); // after the 11/13 due
  });
  afterAll(async () => { await t.close(); });

  it('gives managers the figures as JSON, refuses experts, and names a bad month', async () => {
    const report = await (await t.api('/api/reports/sla?month=2026-11', { token: t.managerToken })).json();
    expect(report).toMatchObject({ month: '2026-11', received: 1, decided: 1, onTime: 0, late: 1, onTimeRate: 0 });
    expect(report.breaches).toEqual([expect.objectContaining({ number, outcome: 'late', firstDueAt: '2026-11-13T17:00:00+09:00', expert: EXPERT.name })]);
    expect(report.byExpert).toEqual([expect.objectContaining({ expert: EXPERT.name, responded: 1 })]);
    expect(report.trend).toHaveLength(12);
    expect((await t.api('/api/reports/sla?month=2026-11')).status).toBe(403);
    const bad = await t.api('/api/reports/sla?month=2026-13', { token: t.managerToken });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'month' });
  });

  it('renders the page with breaches linked and the trend as SVG, and downloads a CSV Excel reads', async () => {
    const manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    const page = await manager.get('/reports/sla?month=2026-11');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<a href="/consults/${number}">KKD#${number}</a>`);
    expect(page.html).toMatch(/<svg class="trend"[^>]*role="img"/);
    expect(page.html).toContain('<td>2026-11</td><td>1</td><td>0%</td>');

    const res = await fetch(`${t.baseUrl}/reports/sla/csv?month=2026-11`, { headers: { cookie: manager.cookieHeader() } });
    expect(res.headers.get('content-disposition')).toContain('attachment; filename="sla-report-2026-11.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('受付番号,件名,受付日時,初回回答期限,初回回答日時,初回回答までの営業時間（分）,初回回答者,判定');
    expect(lines[1]).toMatch(new RegExp(`^KKD#${number},"報告書テスト, ""引用符"" 付き",2026/11/10\\(火\\) 18:30,2026/11/13\\(金\\) 17:00,`));
    expect(lines[1]).toMatch(/,期限後$/);

    const expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    expect((await expert.get('/reports/sla')).status).toBe(403);
  });
});
