import { DataSource } from 'typeorm';
import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule } from '@kkd/consults';
import { KnowledgeBaseModule, MemberSignInService } from '@kkd/knowledge-base';
import { MailModule, OutboundMail } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { StaffModule } from '@kkd/staff';
import { membersCsv } from '@kkd/testing';
import { realDbModule, TestClock } from './support/real-db';

const ACTIVE = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp' };
const SUSPENDED = { clubId: 'CST-00789', nickname: 'もみじ', email: 'it@momiji.example.jp', status: 'suspended' };

describe('member sign-in by one-time link', () => {
  const clock = new TestClock(new Date('2026-12-01T01:00:00Z'));
  let db: Awaited<ReturnType<typeof realDbModule>>;
  beforeEach(async () => {
    clock.set(new Date('2026-12-01T01:00:00Z'));
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, KnowledgeBaseModule], { clock });
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([ACTIVE, SUSPENDED])));
  });
  afterEach(async () => { await db.close(); });

  const service = () => db.module.get(MemberSignInService);
  const mails = () => db.module.get(DataSource).getRepository(OutboundMail).find({ order: { id: 'ASC' } });
  const linkIn = (mail: OutboundMail) => /\/help\/login\/([A-Za-z0-9_-]+)/.exec(mail.bodyText)![1];

  it('mails a link to an active member\'s registered address only (any case), none to others', async () => {
    await service().requestLink('SOC@Himawari.example.jp ');
    await service().requestLink(SUSPENDED.email);
    await service().requestLink('nobody@example.com');
    const sent = await mails();
    expect(sent.map((m) => [m.toAddress, m.kind])).toEqual([[ACTIVE.email, 'notice']]);
    expect(sent[0].bodyText).toContain('ひまわり CST-00123 様');
  });

  it('is single use and expires after 15 minutes', async () => {
    await service().requestLink(ACTIVE.email);
    await service().requestLink(ACTIVE.email);
    const [first, second] = (await mails()).map(linkIn);
    const session = await service().redeem(first);
    expect(session).toEqual(expect.any(String));
    expect(await service().viewer(session!)).toMatchObject({ displayName: 'ひまわり CST-00123' });
    expect(await service().redeem(first)).toBeNull();
    clock.set(new Date('2026-12-01T01:15:00Z'));
    expect(await service().redeem(second)).toBeNull();
    expect(await service().redeem('not-a-token-at-all-xxxxxxxx')).toBeNull();
  });

  it('limits links per member, and ends sessions on sign-out and after 12 hours', async () => {
    for (let i = 0; i < 5; i++) await service().requestLink(ACTIVE.email);
    expect(await mails()).toHaveLength(3);
    const session = (await service().redeem(linkIn((await mails())[0])))!;
    clock.set(new Date('2026-12-01T12:59:00Z'));
    expect(await service().viewer(session)).not.toBeNull();
    clock.set(new Date('2026-12-01T13:00:00Z'));
    expect(await service().viewer(session)).toBeNull();
    clock.set(new Date('2026-12-01T13:30:00Z'));
    await service().requestLink(ACTIVE.email);
    const other = (await service().redeem(linkIn((await mails()).at(-1)!)))!;
    await service().end(other);
    expect(await service().viewer(other)).toBeNull();
  });
});
