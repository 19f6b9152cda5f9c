import { DataSource } from 'typeorm';
import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule } from '@kkd/consults';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { ContractService, ContractSweepService, MemberImportService, MemberRepository, MembershipModule } from '@kkd/membership';
import { StaffModule, StaffService } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const HIMAWARI = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp' };
const LIBS = [CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule];

/**
 * A member's noticed cancellation (art. 14) is in effect from its day, whether or not the hourly
 * sweep has run yet: mail that arrives that day opens no consult and applies the cancellation.
 */
describe('intake on the day a noticed cancellation takes effect', () => {
  const clock = new TestClock(jst('2026-11-25T10:00'));
  let a: Awaited<ReturnType<typeof realDbModule>>;
  let memberId: number;

  beforeEach(async () => {
    clock.set(jst('2026-11-25T10:00'));
    a = await realDbModule(LIBS, { clock });
    await a.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI])));
    const admin = await a.module.get(StaffService).create({ email: 'secretariat@helpdesk.test', name: '事務局 一郎', role: 'admin', password: 'admin-password-1234' });
    memberId = (await a.module.get(MemberRepository).findByAddress(HIMAWARI.email))!.id;
    const effective = await a.module.get(ContractService)
      .noticeCancellation(memberId, { noticeOn: '2026-11-25', requestedOn: '2026-12-31', reason: '契約見直し' }, { id: admin.id, email: admin.email });
    expect(effective).toEqual({ effectiveOn: '2026-12-31', movedLater: false });
  });
  afterEach(async () => { await a.close(); });

  const sql = () => a.module.get(DataSource);
  const receive = (at: string, subject: string, db = a) => {
    clock.set(jst(at));
    return db.module.get(IntakeService).accept(Buffer.from(buildMail({ from: HIMAWARI.email, subject, body: '至急ご相談です。' }).raw), HIMAWARI.email, clock.now());
  };
  const status = async () => (await a.module.get(MemberRepository).findByAddress(HIMAWARI.email))!.status;
  const cancelledAudits = async () => (await sql().query("SELECT actor_email FROM audit_log WHERE action = 'contract.cancelled'")) as { actor_email: string | null }[];
  const notices = async () => (await sql().query("SELECT to_address, body_text FROM outbound_mails WHERE kind = 'notice' ORDER BY id")) as { to_address: string; body_text: string }[];

  it('opens consults up to the day before; on the day, holds the mail with the cancelled notice and applies the cancellation once', async () => {
    expect(await receive('2026-12-30T23:59', '前日の相談')).toMatchObject({ kind: 'consult_opened' });

    // 00:05 JST on the effective day: the hourly sweep has not run.
    expect(await receive('2026-12-31T00:05', '当日の相談')).toEqual({ kind: 'held', reason: 'contract_cancelled' });
    expect(await status()).toBe('cancelled');
    const history = await a.module.get(ContractService).history(memberId);
    expect(history.filter((e) => e.kind === 'cancel')).toEqual([
      expect.objectContaining({ fromStatus: 'active', toStatus: 'cancelled', effectiveOn: '2026-12-31', noticeOn: '2026-11-25', reason: '契約見直し', appliedAt: jst('2026-12-31T00:05') }),
    ]);
    expect(await a.module.get(ContractService).pendingCancellation(memberId)).toBeNull();
    expect(await notices()).toEqual([expect.objectContaining({ to_address: HIMAWARI.email, body_text: expect.stringContaining('ご契約が解約されているため') })]);

    // A second mail and the sweep find it done: one cancellation in the history and the audit log.
    expect(await receive('2026-12-31T10:00', 'もう一度')).toEqual({ kind: 'held', reason: 'contract_cancelled' });
    expect((await a.module.get(ContractSweepService).sweep(jst('2026-12-31T11:00'))).cancelled).toBe(0);
    expect((await a.module.get(ContractService).history(memberId)).filter((e) => e.kind === 'cancel')).toHaveLength(1);
    expect(await cancelledAudits()).toEqual([{ actor_email: null }]);
    expect(Number((await sql().query('SELECT COUNT(*) AS n FROM consults'))[0].n)).toBe(1);
  });

  it('applies a cancellation the sweep missed for days (the server was down) when the next mail arrives', async () => {
    expect(await receive('2027-01-04T09:00', '年明けの相談')).toEqual({ kind: 'held', reason: 'contract_cancelled' });
    expect(await status()).toBe('cancelled');
    expect(await cancelledAudits()).toHaveLength(1);
  });

  it('applies it once when two instances take the member\'s mail at once', async () => {
    const b = await realDbModule(LIBS, { clock, sameDatabaseAs: a.config });
    try {
      clock.set(jst('2026-12-31T09:00'));
      const mail = (subject: string) => Buffer.from(buildMail({ from: HIMAWARI.email, subject, body: '本文' }).raw);
      const outcomes = await Promise.all([
        a.module.get(IntakeService).accept(mail('一通目'), HIMAWARI.email, clock.now()),
        b.module.get(IntakeService).accept(mail('二通目'), HIMAWARI.email, clock.now()),
      ]);
      expect(outcomes).toEqual([{ kind: 'held', reason: 'contract_cancelled' }, { kind: 'held', reason: 'contract_cancelled' }]);
      expect(await cancelledAudits()).toHaveLength(1);
      expect((await a.module.get(ContractService).history(memberId)).filter((e) => e.kind === 'cancel')).toHaveLength(1);
    } finally {
      await b.close();
    }
  });
});
