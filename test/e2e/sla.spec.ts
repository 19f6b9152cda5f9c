import { IntakeService } from '@kkd/inbox';
import { SlaSweepService } from '@kkd/sla';
import { buildMail } from '@kkd/testing';
import { ConsoleClient, EXPERT, MEMBERS, startTestServer, TestServer } from './support/test-server';

const jst = (local: string) => new Date(`${local}+09:00`);

describe('SLA in the console and the API', () => {
  let t: TestServer;
  let late: number;
  let fresh: number;
  beforeAll(async () => {
    t = await startTestServer();
    const intake = t.server.app.get(IntakeService);
    const receive = async (subject: string, at: Date) =>
      ((await intake.accept(Buffer.from(buildMail({ from: MEMBERS[0].email, subject }).raw), MEMBERS[0].email, at)) as { consultNumber: number }).consultNumber;
    late = await receive('以前の相談（期限超過）', jst('2026-11-10T18:30')); // due Fri 2026-11-13 17:00, past
    fresh = await receive('今日の相談', new Date());
  });
  afterAll(async () => { await t.close(); });

  it('shows the due time, the business time left or over, and why, on the queue and the consult page', async () => {
    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    const queue = await client.get('/consults?order=due');
    expect(queue.html.indexOf(`KKD#${late}<`)).toBeLessThan(queue.html.indexOf(`KKD#${fresh}<`));
    expect(queue.html).toMatch(/2026\/11\/13\(金\) 17:00<br><span class="remaining">超過 \d+営業日/);
    expect(queue.html).toMatch(/<span class="remaining">残り (\d+営業日|\d+時間|\d+分)/);

    const page = await client.get(`/consults/${late}`);
    expect(page.html).toContain('受付 11/10(火) → 営業日 11/11, 11/12, 11/13 → 期限 11/13 17:00');
    expect(page.html).toContain('期限超過');
  });

  it('filters breached consults after the sweep, and warns the managers once', async () => {
    const sweeper = t.server.app.get(SlaSweepService);
    expect((await sweeper.sweep()).warned).toBe(1);
    expect((await sweeper.sweep()).warned).toBe(0);
    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    const breached = await client.get('/consults?view=breached');
    expect(breached.html).toMatch(/<a class="badge sla-badge-breached" href="\/consults\?view=breached" aria-current="page">期限超過 <span class="count">1<\/span><\/a>/);
    expect(breached.html).toContain(`KKD#${late}<`);
    expect(breached.html).not.toContain(`KKD#${fresh}<`);
    const api = await (await t.api('/api/tickets?sla=breached')).json();
    expect(api.items.map((i: { number: number }) => i.number)).toEqual([late]);
    expect(api.items[0]).toMatchObject({ slaState: 'breached', dueAt: '2026-11-13T17:00:00+09:00' });
  });
});
