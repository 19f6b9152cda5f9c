import { DataSource } from 'typeorm';
import { StaffService } from '@kkd/staff';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

describe('JSON API', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    const mail = buildMail({ from: MEMBERS[0].email, subject: 'API テスト' });
    await deliverOverSmtp(t.smtpPort, mail.raw, { from: MEMBERS[0].email, to: ['kakekomi@helpdesk.test'] });
  });
  afterAll(async () => { await t.close(); });

  it('answers /healthz without a token', async () => {
    const res = await fetch(`${t.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('answers 401 without a token and with an unknown token', async () => {
    expect((await t.api('/api/tickets', { token: '' })).status).toBe(401);
    expect((await t.api('/api/tickets', { token: 'kkd_not-a-real-token' })).status).toBe(401);
  });

  it('answers 400 naming the field when a body fails validation', async () => {
    const empty = await t.api('/api/tickets/1/replies', { method: 'POST', body: JSON.stringify({ body: '' }) });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ field: 'body' });
    const unknown = await t.api('/api/tickets/1', { method: 'PATCH', body: JSON.stringify({ priority: 'whenever' }) });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ field: 'priority' });
    const extra = await t.api('/api/tickets/1/notes', { method: 'POST', body: JSON.stringify({ body: 'x', admin: true }) });
    expect(extra.status).toBe(400);
    expect(await extra.json()).toMatchObject({ field: 'admin' });
  });

  it('reads empty list parameters as no filter, as INTERFACES.md writes the route', async () => {
    const all = await (await t.api('/api/tickets')).json();
    const res = await t.api('/api/tickets?status=&assignee=&q=&page=');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(all);
  });

  it('answers 404 for a consult that does not exist', async () => {
    expect((await t.api('/api/tickets/9999')).status).toBe(404);
  });

  it('answers 404 naming what was asked for when an id is not a number, and 400 for a page past any list', async () => {
    for (const [path, method, message] of [['/api/tickets/abc', 'GET', 'consult abc not found'], ['/api/faq/abc/publish', 'POST', 'faq entry abc not found']]) {
      const res = await t.api(path, { method, token: t.managerToken });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'not_found', message });
    }
    const huge = await t.api('/api/tickets?page=99999999999999999999');
    expect(huge.status).toBe(400);
    expect(await huge.json()).toMatchObject({ error: 'validation', field: 'page' });
  });

  it('keeps notes internal: a note is not mailed and is not a response', async () => {
    const res = await t.api('/api/tickets/1/notes', { method: 'POST', body: JSON.stringify({ body: '社内メモ: 類似事案あり' }) });
    expect(res.status).toBe(201);
    const detail = await (await t.api('/api/tickets/1')).json();
    expect(detail.messages.at(-1)).toMatchObject({ direction: 'note', text: '社内メモ: 類似事案あり' });
    expect(detail.slaState).not.toMatch(/^met/);
    await t.flushOutbox();
    expect(t.outboxFiles(MEMBERS[0].email)).toHaveLength(1); // the acknowledgement only
  });

  it('updates status, category, priority and assignee, and refuses an impossible transition', async () => {
    const res = await t.api('/api/tickets/1', { method: 'PATCH', body: JSON.stringify({ status: 'open', category: 'ransomware', priority: 'urgent' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'open', category: 'ransomware', priority: 'urgent' });
    const assigned = await t.api('/api/tickets/1', { method: 'PATCH', token: t.managerToken, body: JSON.stringify({ assignee: MANAGER.email }) });
    expect(assigned.status).toBe(200);
    expect(await assigned.json()).toMatchObject({ status: 'open', assignee: MANAGER.email });
    const back = await t.api('/api/tickets/1', { method: 'PATCH', body: JSON.stringify({ status: 'new' }) });
    expect(back.status).toBe(400);
    const mine = await (await t.api('/api/tickets?assignee=me', { token: t.managerToken })).json();
    expect(mine.items.map((i: { number: number }) => i.number)).toEqual([1]);
  });

  it('shows member identity to managers only', async () => {
    const asExpert = await (await t.api('/api/tickets/1')).json();
    const asManager = await (await t.api('/api/tickets/1', { token: t.managerToken })).json();
    expect(asExpert.member).toEqual({ displayName: 'ひまわり CST-00123', clubId: 'CST-00123', nickname: 'ひまわり' });
    expect(asManager.member).toMatchObject({ company: MEMBERS[0].company, email: MEMBERS[0].email });
  });

  it('computes a due time from /api/sla/due', async () => {
    const res = await t.api('/api/sla/due?received=2026-11-20T18:30:00%2B09:00');
    expect(await res.json()).toEqual({ dueAt: '2026-11-26T17:00:00+09:00' });
    // The `+` of the offset written into the URL unencoded (it arrives as a space).
    expect(await (await t.api('/api/sla/due?received=2026-11-20T18:30:00+09:00')).json()).toEqual({ dueAt: '2026-11-26T17:00:00+09:00' });
    const bad = await t.api('/api/sla/due?received=tomorrow');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'received' });
  });

  it.each([
    ['far future', '9999-12-31T23:59:59+09:00'],
    ['year 1', '0001-01-01T00:00:00Z'],
    ['before 1970 in Japan', '1969-12-31T23:59:59+09:00'],
    ['a due time past the holiday calendar', '2050-12-31T12:00:00+09:00'],
  ])('answers 400 naming the calendar range for a %s instant, never a 500 or a wrong date', async (_name, received) => {
    const res = await t.api(`/api/sla/due?received=${encodeURIComponent(received)}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'received', message: expect.stringContaining('1970-01-01 to 2050-12-31') });
  });

  it('computes due times at the edges of the holiday calendar', async () => {
    const due = async (received: string) => (await (await t.api(`/api/sla/due?received=${encodeURIComponent(received)}`)).json()).dueAt;
    // The first and the last month the calendar covers still answer.
    expect(await due('1970-01-01T00:00:00+09:00')).toMatch(/^1970-01-0\dT\d{2}:\d{2}:00\+09:00$/);
    expect(await due('2050-12-01T10:00:00+09:00')).toMatch(/^2050-12-\d{2}T\d{2}:\d{2}:00\+09:00$/);
  });

  it('refuses a reply to a closed consult with a message saying to reopen it first, sending nothing', async () => {
    const mail = buildMail({ from: MEMBERS[1].email, subject: '完了後の返信' });
    await deliverOverSmtp(t.smtpPort, mail.raw, { from: MEMBERS[1].email, to: ['kakekomi@helpdesk.test'] });
    const { items } = await (await t.api('/api/tickets?q=完了後の返信')).json();
    const number = items[0].number;
    expect((await t.api(`/api/tickets/${number}`, { method: 'PATCH', body: JSON.stringify({ status: 'closed' }) })).status).toBe(200);
    const res = await t.api(`/api/tickets/${number}/replies`, { method: 'POST', body: JSON.stringify({ body: 'ご連絡です。' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'consult.bad_transition', field: 'status',
      message: `KKD#${number} は「完了」のため返信できません。状態を「対応中」に戻して（再開して）から返信してください。`,
    });
    await t.flushOutbox();
    expect(t.outboxFiles(MEMBERS[1].email)).toHaveLength(1); // the acknowledgement only
  });

  it('lets an expert only claim a consult through the API, as in the console; anything else is 403 and changes nothing', async () => {
    await t.server.app.get(StaffService).create({ email: 'expert2@helpdesk.test', name: '専門 次郎', role: 'expert' });
    const mail = buildMail({ from: MEMBERS[0].email, subject: '担当者変更のテスト' });
    await deliverOverSmtp(t.smtpPort, mail.raw, { from: MEMBERS[0].email, to: ['kakekomi@helpdesk.test'] });
    const { items } = await (await t.api('/api/tickets?q=担当者変更のテスト')).json();
    const path = `/api/tickets/${items[0].number}`;
    const patch = (body: object, token = t.expertToken) => t.api(path, { method: 'PATCH', token, body: JSON.stringify(body) });
    expect((await patch({ assignee: 'expert2@helpdesk.test', reason: '準備' }, t.managerToken)).status).toBe(200);

    // Taking another expert's consult, giving it away, or unassigning it: refused, with nothing else applied.
    for (const body of [{ assignee: MANAGER.email, status: 'open' }, { assignee: null, priority: 'urgent' }]) {
      const res = await patch(body);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'assignment.forbidden', field: 'assignee', message: expect.stringContaining('マネージャーと管理者だけ') });
    }
    // Claiming it for themself while another expert has it: the console's answer to 「担当する」.
    const taken = await patch({ assignee: EXPERT.email });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ error: 'assignment.taken' });
    expect(await (await t.api(path)).json()).toMatchObject({ status: 'new', priority: 'normal', assignee: 'expert2@helpdesk.test' });

    // The consult sent back as read (its assignee unchanged) still updates the other fields.
    const same = await patch({ assignee: 'expert2@helpdesk.test', priority: 'high' });
    expect(same.status).toBe(200);
    expect(await same.json()).toMatchObject({ priority: 'high', assignee: 'expert2@helpdesk.test' });

    // Unassigned by a manager, the expert may claim it; releasing it again is a manager's reassignment.
    expect((await patch({ assignee: null, reason: '担当替え' }, t.managerToken)).status).toBe(200);
    const claimed = await patch({ assignee: EXPERT.email.toUpperCase() });
    expect(claimed.status).toBe(200);
    expect(await claimed.json()).toMatchObject({ assignee: EXPERT.email });
    expect((await patch({ assignee: null })).status).toBe(403);
    const timeline = await t.server.app.get(DataSource).query(
      "SELECT e.summary FROM consult_events e JOIN consults c ON c.id = e.consult_id WHERE c.number = $1 AND e.kind IN ('assigned', 'unassigned') ORDER BY e.id", [items[0].number],
    ) as { summary: string }[];
    expect(timeline.map((e) => e.summary).filter((s) => !s.startsWith('自動割当'))).toEqual([
      '再割当: 未割当 → 専門 次郎（理由: 準備・管理 花子）', '再割当: 専門 次郎 → 未割当（理由: 担当替え・管理 花子）', '担当する: 専門 太郎 が担当になりました',
    ]);
  });
});
