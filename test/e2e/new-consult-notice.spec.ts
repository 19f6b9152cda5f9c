import fs from 'fs';
import { simpleParser } from 'mailparser';
import { StaffService } from '@kkd/staff';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const [HIMAWARI] = MEMBERS;

describe('new-consult notice: chosen on the expert profile, mailed when a consult of the skill arrives', () => {
  let t: TestServer;
  let manager: ConsoleClient;
  let expertId: number;

  beforeAll(async () => {
    t = await startTestServer({ RUN_SCHEDULER: 'false' });
    manager = new ConsoleClient(t.baseUrl);
    expect((await manager.login(MANAGER.email, MANAGER.password)).status).toBe(303);
    expertId = (await t.server.app.get(StaffService).findByEmail(EXPERT.email))!.id;
  });
  afterAll(async () => { await t.close(); });

  const profile = (csrf: string, notice: string) => ({ _csrf: csrf, skills: 'ransomware', capacity: '5', active: 'on', newConsultNotice: notice });

  it('offers off / immediate / digest on the profile form, refuses anything else and keeps the choice', async () => {
    const page = await manager.get(`/experts/${expertId}`);
    expect(page.html).toMatch(/<input type="radio" name="newConsultNotice" value="off" checked> 通知しない/);
    const csrf = ConsoleClient.csrfOf(page.html);
    const bad = await manager.post(`/experts/${expertId}/profile`, profile(csrf, 'weekly'));
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('新規相談の通知の指定が正しくありません。');
    expect((await manager.post(`/experts/${expertId}/profile`, profile(csrf, 'immediate'))).status).toBe(303);
    const saved = await manager.get(`/experts/${expertId}`);
    expect(saved.html).toMatch(/value="immediate" checked> 新規相談ごとにすぐ通知/);
    expect(saved.html).toContain('<dd class="new-consult-notice">新規相談ごとにすぐ通知</dd>');
  });

  it('mails the expert at once when a consult of their skill arrives over SMTP, with nickname + club ID only', async () => {
    const mail = buildMail({ from: HIMAWARI.email, subject: 'サーバーが暗号化されました', body: '拡張子が .lockbit に変わり、身代金を要求されています。' });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: HIMAWARI.email, to: ['kakekomi@helpdesk.test'] })).code).toBe(250);
    await t.flushOutbox();
    const mails = await Promise.all(t.outboxFiles(EXPERT.email).map(async (f) => simpleParser(fs.readFileSync(f))));
    const notice = mails.find((m) => m.subject?.startsWith('【新規相談】'));
    expect(notice?.subject).toMatch(/^【新規相談】\[KKD#\d+\] サーバーが暗号化されました$/);
    expect(notice!.text).toContain(`会員: ${HIMAWARI.nickname} ${HIMAWARI.clubId}`);
    for (const identity of [HIMAWARI.email, HIMAWARI.company]) expect(notice!.text).not.toContain(identity);
  });
});
