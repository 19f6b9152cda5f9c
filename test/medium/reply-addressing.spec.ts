import fs from 'fs';
import path from 'path';
import { simpleParser } from 'mailparser';
import { DataSource } from 'typeorm';
import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule, ConsultsService } from '@kkd/consults';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule, OutboxService } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { StaffModule, StaffService, StaffUser } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const SOC = 'soc@himawari.example.jp';
const YAMADA = 'yamada@himawari.example.jp';
// One member, two addresses (INTERFACES.md: several addresses separated by ";").
const HIMAWARI = { clubId: 'CST-00201', nickname: 'ひまわり', email: `${SOC};${YAMADA}` };
const ROOT = '<base-0001@himawari.example.jp>';
const GMAIL = '<CAF=gmail+abc123XYZ@mail.gmail.com>';
const encryptedZip = () => fs.readFileSync(path.resolve(__dirname, '../fixtures/attachments/encrypted-zipcrypto.zip'));

interface OutboundRow { kind: string; to_address: string; in_reply_to: string | null; references_header: string | null; message_id_header: string }

describe('who a reply goes to and how it threads, on a real database', () => {
  const clock = new TestClock(jst('2026-11-26T10:00'));
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let expert: StaffUser;
  beforeEach(async () => {
    clock.set(jst('2026-11-26T10:00'));
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule], { clock });
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI])));
    expert = await db.module.get(StaffService).create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert' });
  });
  afterEach(async () => { await db.close(); });

  const receive = async (from: string, at: string, mail: Partial<Parameters<typeof buildMail>[0]> = {}) => {
    clock.set(jst(at));
    const built = buildMail({ from, subject: 'ランサムウェア感染の疑い', ...mail });
    const outcome = await db.module.get(IntakeService).accept(Buffer.from(built.raw), from, jst(at));
    return { number: (outcome as { consultNumber: number }).consultNumber, messageId: built.messageId };
  };
  const reply = async (number: number, at: string) => {
    clock.set(jst(at));
    await db.module.get(ConsultsService).reply(number, expert, '状況を教えてください。');
    return (await outbound('reply')).at(-1) as OutboundRow;
  };
  const outbound = (kind: string): Promise<OutboundRow[]> =>
    db.module.get(DataSource).query(`SELECT kind, to_address, in_reply_to, references_header, message_id_header FROM outbound_mails WHERE kind = '${kind}' ORDER BY id`);

  it('answers the address that wrote last, threading under that mail with its References first and its id last', async () => {
    const { number } = await receive(SOC, '2026-11-26T10:00', { messageId: ROOT });
    const first = await reply(number, '2026-11-26T11:00');
    expect(first).toMatchObject({ to_address: SOC, in_reply_to: ROOT, references_header: ROOT });

    // Yamada answers from Gmail, quoting an earlier mail of theirs that we never saw, with an encrypted file.
    const ownEarlier = '<own-0001@himawari.example.jp>';
    const followUp = await receive(YAMADA, '2026-11-26T12:00', {
      messageId: GMAIL, inReplyTo: first.message_id_header, references: [ownEarlier, ROOT, first.message_id_header],
      subject: `Re: [KKD#${number}] ランサムウェア感染の疑い`, attachment: { filename: '脅迫文.zip', content: encryptedZip(), contentType: 'application/zip' },
    });
    expect(followUp.number).toBe(number);
    expect((await db.module.get(ConsultsService).get(number)).replyAddress).toBe(YAMADA);
    // The notice about the encrypted file goes to the one who sent it.
    expect((await outbound('encryption_notice')).map((m) => m.to_address)).toEqual([YAMADA]);

    const second = await reply(number, '2026-11-26T13:00');
    expect(second.to_address).toBe(YAMADA);
    expect(second.in_reply_to).toBe(GMAIL);
    expect(second.references_header).toBe([ownEarlier, ROOT, first.message_id_header, GMAIL].join(' '));

    // The mail as sent carries the same headers (the Gmail id with "=" and "+" intact).
    await db.module.get(OutboxService).deliverDue();
    const files = fs.readdirSync(path.join(db.config.DATA_DIR, 'outbox')).sort();
    const sent = await Promise.all(files.map((f) => simpleParser(fs.readFileSync(path.join(db.config.DATA_DIR, 'outbox', f)))));
    const mail = sent.find((m) => m.messageId === second.message_id_header);
    expect(mail?.to && 'text' in mail.to ? mail.to.text : '').toBe(YAMADA);
    expect(mail?.inReplyTo).toBe(GMAIL);
    expect(mail?.references).toEqual([ownEarlier, ROOT, first.message_id_header, GMAIL]);

    // Soc writes again: the next reply goes back to soc.
    await receive(SOC, '2026-11-26T14:00', { inReplyTo: second.message_id_header, references: [ROOT, second.message_id_header] });
    expect((await reply(number, '2026-11-26T15:00')).to_address).toBe(SOC);
  });

  it('keeps the first message of a long thread in References, with the answered mail last', async () => {
    const { number } = await receive(SOC, '2026-11-26T10:00', { messageId: ROOT });
    let last = await reply(number, '2026-11-26T10:10');
    let parent = '';
    // Each member mail quotes only the message it answers (as some clients do): the thread grows past 20 ids.
    for (let i = 0; i < 11; i++) {
      parent = (await receive(i % 2 ? SOC : YAMADA, `2026-11-26T${11 + i}:00`, { inReplyTo: last.message_id_header, references: [last.message_id_header] })).messageId;
      last = await reply(number, `2026-11-26T${11 + i}:30`);
    }
    const refs = (last.references_header ?? '').split(' ');
    expect(refs).toHaveLength(20);
    expect(refs[0]).toBe(ROOT);
    expect(refs.at(-1)).toBe(parent);
    expect(last.to_address).toBe(YAMADA);
  });
});
