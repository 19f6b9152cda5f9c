import { ConsoleClient, EXPERT, MANAGER, startTestServer, TestServer } from './support/test-server';

describe('the managers\' calendar page', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer(); });
  afterAll(async () => { await t.close(); });

  const due = async (received: string) => (await (await t.api(`/api/sla/due?received=${encodeURIComponent(received)}`)).json()).dueAt;

  it('lists the year\'s national holidays and the company closings, and is for managers only', async () => {
    const manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    const page = await manager.get('/calendar?year=2026');
    expect(page.status).toBe(200);
    expect(page.html).toContain('9/22(火)</td><td>国民の休日');
    expect(page.html).toContain('5/6(水)</td><td>こどもの日 振替休日');
    expect(page.html).toContain('毎年 12/29〜1/3');
    const expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    expect((await expert.get('/calendar')).status).toBe(403);
  });

  it('adds a closing that moves due times, refuses a bad date with a message, and deletes it', async () => {
    const manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    let page = await manager.get('/calendar?year=2026');
    expect(await due('2026-08-07T10:00:00+09:00')).toBe('2026-08-13T17:00:00+09:00');

    const bad = await manager.post('/calendar/holidays', { _csrf: ConsoleClient.csrfOf(page.html), year: '2026', start: '2026-08-32', reason: '夏季休業' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('実在する日で入力してください');
    expect(bad.html).toContain('value="夏季休業"'); // what was typed is kept

    const added = await manager.post('/calendar/holidays', { _csrf: ConsoleClient.csrfOf(page.html), year: '2026', start: '2026-08-12', end: '2026-08-14', reason: '夏季休業' });
    expect(added).toMatchObject({ status: 303, location: '/calendar?year=2026' });
    expect(await due('2026-08-07T10:00:00+09:00')).toBe('2026-08-18T17:00:00+09:00');

    page = await manager.get('/calendar?year=2026');
    expect(page.html).toContain('2026-08-12 〜 2026-08-14');
    const holidayId = /2026-08-12 〜 2026-08-14<\/td>[\s\S]*?action="\/calendar\/holidays\/(\d+)\/delete"/.exec(page.html)?.[1];
    expect(holidayId).toBeDefined();
    expect((await manager.post(`/calendar/holidays/${holidayId}/delete`, { _csrf: ConsoleClient.csrfOf(page.html), year: '2026' })).status).toBe(303);
    expect(await due('2026-08-07T10:00:00+09:00')).toBe('2026-08-13T17:00:00+09:00');
  });
});
