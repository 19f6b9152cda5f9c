import fs from 'fs';
import path from 'path';
import { buildMail, deliverManyOverOneConnection } from '@kkd/testing';
import { MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
const MESSAGES = 2000;
const CONNECTIONS = 4;

/** A small seeded generator, so a failure can be replayed. */
function xorshift(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 0x100000000;
  };
}

/** Seeds: the Japanese corpus and a few built mails (multipart, HTML, attachment). */
function seeds(): Buffer[] {
  const dir = path.resolve(__dirname, '../fixtures/mail');
  const corpus = fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => fs.readFileSync(path.join(dir, f)));
  const from = MEMBERS[0].email;
  return [...corpus, ...[
    buildMail({ from, subject: '添付とHTML', html: '<p>本文<b>太字</b></p>', attachment: { filename: 'log.zip', content: Buffer.alloc(3000, 7) } }),
    buildMail({ from, subject: '返信', inReplyTo: '<x@y>', references: ['<a@b>', '<c@d>'] }),
    buildMail({ from: MEMBERS[1].email, subject: 'プレーン' }),
  ].map((m) => Buffer.from(m.raw))];
}

/** One random damage of the kinds real mail shows: flipped bytes, cuts, NULs, lost boundaries, huge lines. */
function mutate(seed: Buffer, random: () => number): Buffer {
  const bytes = Buffer.from(seed);
  const at = () => Math.floor(random() * bytes.length);
  switch (Math.floor(random() * 9)) {
    case 0: for (let i = 0; i < 1 + random() * 20; i++) bytes[at()] = Math.floor(random() * 256); return bytes;
    case 1: return bytes.subarray(0, at());
    case 2: { const i = at(); return Buffer.concat([bytes.subarray(0, i), Buffer.from([0]), bytes.subarray(i)]); }
    case 3: return Buffer.from(bytes.toString('latin1').replace(/--[\w-]+--/g, ''), 'latin1');
    case 4: return Buffer.from(bytes.toString('latin1').replace(/\r?\n\r?\n/, '\r\n'), 'latin1'); // no header/body split
    case 5: { const i = at(); return Buffer.concat([bytes.subarray(0, i), Buffer.alloc(20_000 + Math.floor(random() * 50_000), 'A'), bytes.subarray(i)]); }
    case 6: return Buffer.from(bytes.toString('latin1').replace(/^([\w-]+):/m, '$1'), 'latin1'); // a header without its colon
    case 7: return Buffer.from(bytes.toString('latin1').replace(/charset=[^;\r\n]+/i, 'charset=x-no-such-charset'), 'latin1');
    default: return Buffer.from(bytes.toString('latin1').replace(/[A-Za-z0-9+/]{8}/g, (m) => (random() < 0.2 ? '!!!!====' : m)), 'latin1'); // broken base64
  }
}

describe('fuzzed mail over SMTP', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer(); });
  afterAll(async () => { await t.close(); });

  it(`stays up through ${MESSAGES} damaged messages and stores every one`, async () => {
    const random = xorshift(20261125);
    const base = seeds();
    const mails = Array.from({ length: MESSAGES }, () => mutate(base[Math.floor(random() * base.length)], random));
    const batches = Array.from({ length: CONNECTIONS }, (_, c) => mails.filter((_, i) => i % CONNECTIONS === c)
      .map((raw) => ({ raw, from: MEMBERS[0].email, to: [INTAKE] })));
    const results = (await Promise.all(batches.map((b) => deliverManyOverOneConnection(t.smtpPort, b)))).flat();

    // Damaged mail is still mail: stored and shown raw, never refused (a 4xx would mean the intake
    // broke on its input, and the sender would retry the same bytes forever).
    expect(results).toHaveLength(MESSAGES);
    expect(results.filter((r) => r.code !== 250)).toEqual([]);
    const accepted = MESSAGES;

    // Every 250 has its raw source on disk (written and fsynced before the answer).
    const rawFiles = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true })
      .reduce((n, e) => n + (e.isDirectory() ? rawFiles(path.join(dir, e.name)) : e.name.endsWith('.eml') ? 1 : 0), 0);
    expect(rawFiles(path.join(t.config.DATA_DIR, 'raw'))).toBe(accepted);
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
  }, 180_000);
});
