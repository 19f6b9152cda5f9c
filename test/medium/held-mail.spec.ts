import { DataSource } from 'typeorm';
import { AuditModule, AuditService } from '@kkd/audit';
import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule } from '@kkd/consults';
import { ValidationError } from '@kkd/core';
import { HeldMailRepository, HeldMailService, InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { StaffModule, StaffService } from '@kkd/staff';
import { TriageModule } from '@kkd/triage';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const LIBS = [CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule, TriageModule, AuditModule];
const ACTIVE = { clubId: 'CST-00201', nickname: 'ひまわり', email: 'soc@himawari.example.jp' };
const SUSPENDED = { clubId: 'CST-00202', nickname: 'あさがお', email: 'soc@asagao.example.jp', status: 'suspended' };
const STRANGER = 'newcomer@himawari-group.example.jp';

describe('held mail: attach and discard are audited and kept, notices once a day, club IDs as typed (real database)', () => {
  const clock = new TestClock(jst('2026-11-24T10:00'));
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let manager: { id: number; email: string };

  beforeEach(async () => {
    clock.set(jst('2026-11-24T10:00'));
    db = await realDbModule(LIBS, { clock });
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([ACTIVE, SUSPENDED])));
    const user = await db.module.get(StaffService).create({ email: 'manager@helpdesk.test', name: '管理 花子', role: 'manager' });
    manager = { id: user.id, email: user.email };
  });
  afterEach(async () => { await db.close(); });

  const receive = (from: string, subject: string) =>
    db.module.get(IntakeService).accept(Buffer.from(buildMail({ from, subject }).raw), from, clock.now());
  const heldId = async (subject: string) => (await db.module.get(HeldMailRepository).list(1, 100))[0].find((m) => m.subject === subject)!.id;
  const auditOf = async (action: string) => (await db.module.get(AuditService).list({ action, page: 1, pageSize: 50 })).items;
  const noticesTo = async (address: string) => (await db.module.get(DataSource).query(
    `SELECT subject, body_text FROM outbound_mails WHERE kind = 'notice' AND to_address = '${address}' ORDER BY id`,
  )) as { subject: string; body_text: string }[];

  it('attaches a held mail to a member typed full-width, and records who did it in the audit log', async () => {
    await receive(STRANGER, '新しい担当者からの相談');
    const id = await heldId('新しい担当者からの相談');
    const service = db.module.get(HeldMailService);
    clock.set(jst('2026-11-24T11:00'));
    const number = await service.attach(id, 'ｃｓｔ－００２０１', manager);

    const attached = await service.list('attached', 1, 50);
    expect(attached.total).toBe(1);
    expect(attached.items[0]).toMatchObject({ id, status: 'attached', consultNumber: number, handledBy: manager.id, handledAt: jst('2026-11-24T11:00') });
    expect((await service.list('held', 1, 50)).total).toBe(0);

    const [entry, ...more] = await auditOf('held_mail.attached');
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actorId: manager.id, actorEmail: manager.email, targetType: 'held_mail', targetId: String(id), targetLabel: ACTIVE.clubId });
    expect(JSON.parse(entry.details!)).toEqual({ consultNumber: number, heldFor: 'unknown_sender' });
    // The audit page's target filter finds it by the member's club ID.
    expect((await db.module.get(AuditService).list({ target: ACTIVE.clubId, page: 1, pageSize: 50 })).items.map((e) => e.action)).toContain('held_mail.attached');
  });

  it('keeps a discarded mail with its optional reason, lists it as discarded, and audits it with the reason', async () => {
    await receive(STRANGER, '営業のご案内');
    await receive(STRANGER, '二通目のご案内');
    const service = db.module.get(HeldMailService);
    const first = await heldId('営業のご案内');
    const second = await heldId('二通目のご案内');
    await service.discard(first, manager, '  営業メールのため  ');
    clock.set(jst('2026-11-24T12:00'));
    await service.discard(second, manager, '   ');

    const discarded = await service.list('discarded', 1, 50);
    expect(discarded.items.map((m) => [m.id, m.discardReason, m.handledBy])).toEqual([[second, null, manager.id], [first, '営業メールのため', manager.id]]);
    expect((await service.raw(first)).toString()).toContain('Subject:'); // never deleted

    const entries = await auditOf('held_mail.discarded');
    expect(entries.map((e) => [e.targetId, e.targetLabel, JSON.parse(e.details!)])).toEqual([
      [String(second), STRANGER, { heldFor: 'unknown_sender' }],
      [String(first), STRANGER, { heldFor: 'unknown_sender', reason: '営業メールのため' }],
    ]);
    await expect(service.discard(first, manager)).rejects.toThrow('このメールはすでに処理されています。');
    expect(await auditOf('held_mail.discarded')).toHaveLength(2);
  });

  it('refuses a discard reason over 500 characters and leaves the mail held, with nothing audited', async () => {
    await receive(STRANGER, '長い理由');
    const id = await heldId('長い理由');
    const service = db.module.get(HeldMailService);
    await expect(service.discard(id, manager, 'あ'.repeat(501))).rejects.toBeInstanceOf(ValidationError);
    expect((await service.get(id)).status).toBe('held');
    expect(await auditOf('held_mail.discarded')).toEqual([]);
    await service.discard(id, manager, 'あ'.repeat(500));
    expect((await service.get(id)).discardReason).toHaveLength(500);
  });

  it('audits nothing when an attach fails (unknown club ID)', async () => {
    await receive(STRANGER, '宛先違い');
    const id = await heldId('宛先違い');
    await expect(db.module.get(HeldMailService).attach(id, 'CST-99999', manager)).rejects.toThrow('会員 CST-99999 が見つかりません。');
    expect(await auditOf('held_mail.attached')).toEqual([]);
    expect((await db.module.get(HeldMailService).get(id)).status).toBe('held');
  });

  it('tells a member whose contract is not active once a day, as an unknown sender, and the notice says so', async () => {
    await receive(SUSPENDED.email, '一通目');
    clock.set(jst('2026-11-24T12:30')); // past the old one-hour window
    await receive(SUSPENDED.email, '二通目');
    await receive(STRANGER, '未登録の一通目');
    clock.set(jst('2026-11-25T09:59'));
    await receive(SUSPENDED.email, '三通目');
    await receive(STRANGER, '未登録の二通目');
    expect(await noticesTo(SUSPENDED.email)).toHaveLength(1);
    expect(await noticesTo(STRANGER)).toHaveLength(1);
    const [contract] = await noticesTo(SUSPENDED.email);
    expect(contract.body_text).toContain('同じアドレスへのご案内は1日に1回までのため');
    expect(contract.body_text).toContain('この後24時間以内に届いたメール');

    clock.set(jst('2026-11-25T10:01')); // more than a day after the first notice
    await receive(SUSPENDED.email, '四通目');
    expect(await noticesTo(SUSPENDED.email)).toHaveLength(2);
  });
});
