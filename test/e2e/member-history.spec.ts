import { Category, CATEGORY_LABELS } from '@kkd/consults';
import { formatJst } from '@kkd/core';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
const [HIMAWARI, SAKURA] = MEMBERS;

/** The consult numbers listed in the page's member history section, in page order. */
function historyNumbers(html: string): number[] {
  return [...historySection(html).matchAll(/href="\/consults\/(\d+)"/g)].map((m) => Number(m[1]));
}

function historySection(html: string): string {
  const start = html.indexOf('<section class="member-history"');
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('member history on the consult page: earlier consults of the same member, nickname + club ID only', () => {
  let t: TestServer;
  let expert: ConsoleClient;
  /** ひまわり's consults, oldest first: h[0] … h[12]. */
  const h: number[] = [];
  let sakura: number;

  const deliver = async (from: string, subject: string, body?: string): Promise<number> => {
    expect((await deliverOverSmtp(t.smtpPort, buildMail({ from, subject, body }).raw, { from, to: [INTAKE] })).code).toBe(250);
    const list = await (await t.api(`/api/tickets?q=${encodeURIComponent(subject)}`)).json();
    expect(list.items).toHaveLength(1);
    return list.items[0].number;
  };

  beforeAll(async () => {
    t = await startTestServer({ RUN_SCHEDULER: 'false' });
    expert = new ConsoleClient(t.baseUrl);
    expect((await expert.login(EXPERT.email, EXPERT.password)).status).toBe(303);
    h.push(await deliver(HIMAWARI.email, '履歴確認 第00報 ランサムウェア', 'ファイルが暗号化され、身代金を要求されています。ランサムウェアでしょうか。'));
    sakura = await deliver(SAKURA.email, '履歴確認 別会員の相談');
    for (let i = 1; i < 13; i++) h.push(await deliver(HIMAWARI.email, `履歴確認 第${String(i).padStart(2, '0')}報`));
    // h[3] is a duplicate merged into h[2]; h[1] is resolved by an expert.
    const page = await expert.get(`/consults/${h[3]}`);
    const csrf = ConsoleClient.csrfOf(page.html);
    expect((await expert.post(`/consults/${h[3]}/merge`, { _csrf: csrf, target: String(h[2]), reason: '同じ件の再送' })).status).toBe(303);
    expect((await expert.post(`/consults/${h[1]}/status`, { _csrf: csrf, status: 'resolved' })).status).toBe(303);
  });
  afterAll(async () => { await t.close(); });

  it('lists the member\'s earlier consults newest first, at most 10, without the current and merged ones', async () => {
    const page = await expert.get(`/consults/${h[12]}`);
    expect(page.status).toBe(200);
    // h[11] … h[4], then h[2] (h[3] was merged), then h[1]: ten; h[0] is the eleventh and left out.
    expect(historyNumbers(page.html)).toEqual([h[11], h[10], h[9], h[8], h[7], h[6], h[5], h[4], h[2], h[1]]);
  });

  it('lists only consults received before the one shown', async () => {
    const page = await expert.get(`/consults/${h[5]}`);
    expect(historyNumbers(page.html)).toEqual([h[4], h[2], h[1], h[0]]);
  });

  it('shows subject, received date (JST), category and status labels of each earlier consult', async () => {
    const section = historySection((await expert.get(`/consults/${h[2]}`)).html);
    const items = section.split('<li>').slice(1);
    expect(items).toHaveLength(2);
    expect(items[0]).toContain(`KKD#${h[1]}`);
    expect(items[0]).toContain('履歴確認 第01報');
    expect(items[0]).toContain('解決済み');
    expect(items[1]).toContain('履歴確認 第00報 ランサムウェア');
    const first = await (await t.api(`/api/tickets/${h[0]}`)).json();
    expect(items[1]).toContain(`（受付 ${formatJst(new Date(first.receivedAt))}・${CATEGORY_LABELS[first.category as Category]}・`);
    expect(section).toContain(`${HIMAWARI.nickname} ${HIMAWARI.clubId}`);
  });

  it('never lists another member\'s consults, and an only consult has an empty history', async () => {
    const himawari = await expert.get(`/consults/${h[12]}`);
    expect(historyNumbers(himawari.html)).not.toContain(sakura);
    expect(historySection(himawari.html)).not.toContain('別会員の相談');
    const own = await expert.get(`/consults/${sakura}`);
    expect(historyNumbers(own.html)).toEqual([]);
    expect(historySection(own.html)).toContain('過去の相談はありません。');
  });

  it('shows an expert no identity of the member (company, email) on pages with a history', async () => {
    for (const n of [h[12], h[5], h[2]]) {
      const page = await expert.get(`/consults/${n}`);
      expect(page.status).toBe(200);
      expect(historyNumbers(page.html).length).toBeGreaterThan(0);
      for (const identity of [HIMAWARI.company, HIMAWARI.email, SAKURA.company, SAKURA.email]) {
        expect({ n, identity, shown: page.html.includes(identity) }).toEqual({ n, identity, shown: false });
      }
    }
  });
});
