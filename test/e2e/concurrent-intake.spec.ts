import { buildMail, deliverManyOverOneConnection } from '@kkd/testing';
import { MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';

// SQLite has one connection: many mails at once must queue their transactions, never interleave.
describe('many mails at once on SQLite', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer(); });
  afterAll(async () => { await t.close(); });

  it('accepts 120 mails over 8 parallel connections, each exactly once, numbered without gaps', async () => {
    const senders = [MEMBERS[0].email, MEMBERS[1].email];
    const batches = Array.from({ length: 8 }, (_, c) => Array.from({ length: 15 }, (_, i) => {
      const from = senders[(c + i) % 2];
      return { raw: buildMail({ from, subject: `同時受付 ${c}-${i}`, body: `本文 ${c}-${i}`.repeat(200) }).raw, from, to: [INTAKE] };
    }));
    const results = (await Promise.all(batches.map((b) => deliverManyOverOneConnection(t.smtpPort, b)))).flat();
    expect(results.map((r) => r.code)).toEqual(Array(120).fill(250));

    const numbers: number[] = [];
    for (let page = 1; page <= 3; page++) {
      const body = await (await t.api(`/api/tickets?page=${page}&order=oldest`)).json();
      expect(body.total).toBe(120);
      numbers.push(...body.items.map((i: { number: number }) => i.number));
    }
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    const subjects = new Set<string>();
    for (let page = 1; page <= 3; page++) {
      for (const item of (await (await t.api(`/api/tickets?page=${page}`)).json()).items) subjects.add(item.subject);
    }
    expect(subjects.size).toBe(120);
  });
});
