import { DataSource } from 'typeorm';
import { AuditModule, AuditService } from '@kkd/audit';
import { LeaseService } from '@kkd/core';
import { MailModule } from '@kkd/mail';
import { ContractService, ContractSweepJob, ContractSweepService, MemberImportError, MemberImportService, MemberRepository, MembershipModule } from '@kkd/membership';
import { StaffModule, StaffService } from '@kkd/staff';
import { realDbModule, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const LIBS = [MembershipModule, StaffModule, MailModule, AuditModule];
const CSV = [
  'club_id,nickname,email,company,contract_start,contract_end,status',
  // Ends 2027-03-31 (one year from the start).
  'CST-00001,ひまわり,soc@himawari.example.jp,ひまわり精機株式会社,2026-04-01,,active',
  // A leap-day start: the term ends on 2025-02-28.
  'CST-00002,さくら,csirt@sakura.example.jp,さくら物産株式会社,2024-02-29,,suspended',
  'CST-00003,もみじ,it@momiji.example.jp,もみじ銀行,2026-06-01,,active',
].join('\n');

describe('contract lifecycle on a real database, two server processes', () => {
  const clock = new TestClock(jst('2026-11-25T10:00'));
  let a: Awaited<ReturnType<typeof realDbModule>>;
  let b: Awaited<ReturnType<typeof realDbModule>>;
  let admin: { id: number; email: string };

  beforeEach(async () => {
    clock.set(jst('2026-11-25T10:00'));
    a = await realDbModule(LIBS, { clock });
    b = await realDbModule(LIBS, { clock, sameDatabaseAs: a.config });
    await a.module.get(MemberImportService).importCsv(Buffer.from(CSV));
    const staff = a.module.get(StaffService);
    await staff.create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert', password: 'expert-password-123' });
    await staff.create({ email: 'manager@helpdesk.test', name: '管理 花子', role: 'manager', password: 'manager-password-123' });
    const created = await staff.create({ email: 'secretariat@helpdesk.test', name: '事務局 一郎', role: 'admin', password: 'admin-password-1234' });
    admin = { id: created.id, email: created.email };
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  const db = () => a.module.get(DataSource);
  const memberId = async (clubId: string) => (await a.module.get(MemberRepository).findByClubIds([clubId], db().manager))[0].id;
  const statusOf = async (clubId: string) => (await a.module.get(MemberRepository).findByClubIds([clubId], db().manager))[0].status;
  const sweepBoth = async (at: string) => {
    clock.set(jst(at));
    const results = await Promise.all([a.module.get(ContractSweepService).sweep(), b.module.get(ContractSweepService).sweep()]);
    return results.reduce((sum, r) => ({ cancelled: sum.cancelled + r.cancelled, expired: sum.expired + r.expired, reminded: sum.reminded + r.reminded }));
  };
  const notices = async () => (await db().query("SELECT to_address, subject, body_text FROM outbound_mails WHERE kind = 'notice' ORDER BY id")) as
    { to_address: string; subject: string; body_text: string }[];
  const auditActions = async () => (await db().query('SELECT action, target_label, actor_email FROM audit_log ORDER BY id')) as
    { action: string; target_label: string; actor_email: string | null }[];

  it('expires a term the day after its end (Japan date), once, and catches up after downtime', async () => {
    // The leap-day member's term ended 2025-02-28: a first run (after long downtime) expires it.
    expect(await sweepBoth('2026-11-25T10:00')).toEqual({ cancelled: 0, expired: 1, reminded: 0 });
    expect(await statusOf('CST-00002')).toBe('expired');
    expect(await sweepBoth('2026-11-25T11:00')).toEqual({ cancelled: 0, expired: 0, reminded: 0 });

    // CST-00001 ends 2027-03-31: still active at 23:59 JST that day, expired at 00:00 JST on 04-01 (15:00Z on 03-31).
    await sweepBoth('2027-03-31T23:59');
    expect(await statusOf('CST-00001')).toBe('active');
    expect((await sweepBoth('2027-04-01T00:00')).expired).toBe(1);
    expect(await statusOf('CST-00001')).toBe('expired');

    const history = await a.module.get(ContractService).history(await memberId('CST-00001'));
    expect(history.filter((e) => e.kind === 'expire')).toEqual([expect.objectContaining({ fromStatus: 'active', toStatus: 'expired', effectiveOn: '2027-04-01', actorId: null })]);
    expect((await auditActions()).filter((e) => e.action === 'contract.expired').map((e) => e.target_label)).toEqual(['CST-00002', 'CST-00001']);
  });

  it('runs as a scheduled job under the lease: a tick on each process applies the day once', async () => {
    await Promise.all([a.module.get(ContractSweepJob).tick(), b.module.get(ContractSweepJob).tick()]);
    expect(await statusOf('CST-00002')).toBe('expired');
    expect((await auditActions()).filter((e) => e.action === 'contract.expired')).toHaveLength(1);
  });

  it('sweeps once when servers start, before any hourly tick, under the lease, and shows the job in the health figures', async () => {
    const id = await memberId('CST-00001');
    await a.module.get(ContractService).noticeCancellation(id, { noticeOn: '2026-11-25', requestedOn: '2026-12-31', reason: '契約見直し' }, admin);
    // The first process's own start-up sweep holds the lease: it is handed back as by a stopped server.
    await a.module.get(LeaseService).release('contract-sweep');
    clock.set(jst('2026-12-31T01:00')); // two servers started on the effective day, for a minute or two
    const started = await Promise.all([realDbModule(LIBS, { clock, sameDatabaseAs: a.config }), realDbModule(LIBS, { clock, sameDatabaseAs: a.config })]);
    try {
      expect(await statusOf('CST-00001')).toBe('cancelled');
      expect((await auditActions()).filter((e) => e.action === 'contract.cancelled')).toEqual([{ action: 'contract.cancelled', target_label: 'CST-00001', actor_email: null }]);
      expect((await a.module.get(ContractService).history(id)).filter((e) => e.kind === 'cancel')).toEqual([expect.objectContaining({ effectiveOn: '2026-12-31', fromStatus: 'active' })]);
      for (const server of started) expect(server.module.get(LeaseService).activity().map((j) => j.name)).toContain('contract-sweep');
    } finally {
      for (const server of started) await server.close();
    }
  });

  it('reminds admins and managers 60 and 30 days before the end, each once, never experts', async () => {
    await sweepBoth('2026-11-25T10:00'); // nothing ending within 60 days (CST-00002 expires instead)
    expect(await notices()).toEqual([]);

    expect((await sweepBoth('2027-01-30T09:00')).reminded).toBe(1); // 60 days before 2027-03-31
    expect((await sweepBoth('2027-01-31T09:00')).reminded).toBe(0);
    expect((await sweepBoth('2027-03-01T09:00')).reminded).toBe(1); // 30 days before
    expect((await sweepBoth('2027-03-20T09:00')).reminded).toBe(0);

    const mails = await notices();
    expect(mails.map((m) => m.to_address).sort()).toEqual(['manager@helpdesk.test', 'manager@helpdesk.test', 'secretariat@helpdesk.test', 'secretariat@helpdesk.test']);
    expect(mails.map((m) => m.subject)).toEqual(expect.arrayContaining(['【契約満了 60日前】ひまわり CST-00001 の契約は 2027-03-31 に終了します', '【契約満了 30日前】ひまわり CST-00001 の契約は 2027-03-31 に終了します']));
    expect(mails.every((m) => !m.body_text.includes('ひまわり精機株式会社'))).toBe(true);
  });

  it('sends only the 30-day reminder when the scheduler was down past the 60-day mark', async () => {
    expect((await sweepBoth('2027-03-10T09:00')).reminded).toBe(1);
    expect((await notices()).map((m) => m.subject).every((s) => s.startsWith('【契約満了 30日前】'))).toBe(true);
  });

  it('sends no reminder of the end to a member whose noticed cancellation takes effect before it', async () => {
    clock.set(jst('2027-01-20T10:00'));
    await a.module.get(ContractService).noticeCancellation(await memberId('CST-00001'), { noticeOn: '2027-01-20', requestedOn: '2027-03-15', reason: '移転' }, admin);
    expect((await sweepBoth('2027-01-30T09:00')).reminded).toBe(0);
    expect((await sweepBoth('2027-03-01T09:00')).reminded).toBe(0);
    expect((await sweepBoth('2027-03-15T09:00')).cancelled).toBe(1);
  });

  it("applies a member's cancellation no earlier than 30 days after the notice, once", async () => {
    const id = await memberId('CST-00003');
    const contracts = a.module.get(ContractService);
    expect(await contracts.noticeCancellation(id, { noticeOn: '2026-11-25', requestedOn: '2026-12-01', reason: '事業縮小のため' }, admin))
      .toEqual({ effectiveOn: '2026-12-25', movedLater: true });
    await expect(contracts.noticeCancellation(id, { noticeOn: '2026-11-25', requestedOn: null, reason: '二重' }, admin)).rejects.toThrow('すでに解約の申出');

    expect((await sweepBoth('2026-12-24T23:59')).cancelled).toBe(0);
    expect(await statusOf('CST-00003')).toBe('active');
    expect((await sweepBoth('2026-12-25T00:00')).cancelled).toBe(1);
    expect((await sweepBoth('2026-12-26T00:00')).cancelled).toBe(0);
    expect(await statusOf('CST-00003')).toBe('cancelled');

    const cancel = (await contracts.history(id)).find((e) => e.kind === 'cancel')!;
    expect(cancel).toEqual(expect.objectContaining({ noticeOn: '2026-11-25', requestedOn: '2026-12-01', effectiveOn: '2026-12-25', fromStatus: 'active', reason: '事業縮小のため' }));
    expect(cancel.appliedAt).not.toBeNull();
    expect((await auditActions()).filter((e) => e.target_label === 'CST-00003').map((e) => [e.action, e.actor_email]))
      .toEqual([['member.created', null], ['contract.cancellation_noticed', 'secretariat@helpdesk.test'], ['contract.cancelled', null]]);
  });

  it('suspends, resumes and cancels at once (arts. 23, 15), refusing changes the state does not allow', async () => {
    const id = await memberId('CST-00001');
    const contracts = a.module.get(ContractService);
    await contracts.suspend(id, '会費未納', admin);
    expect(await statusOf('CST-00001')).toBe('suspended');
    await expect(contracts.suspend(id, '二重', admin)).rejects.toThrow('有効な契約だけを中断できます');
    await contracts.resume(id, '入金確認', admin);
    expect(await statusOf('CST-00001')).toBe('active');
    await contracts.noticeCancellation(id, { noticeOn: '2026-11-20', requestedOn: null, reason: '申出' }, admin);
    await contracts.cancelNow(id, '規約違反（第15条）', admin);
    expect(await statusOf('CST-00001')).toBe('cancelled');
    await expect(contracts.resume(id, '戻す', admin)).rejects.toThrow();
    // The pending cancellation was settled by the immediate one: the scheduler has nothing to do.
    expect((await sweepBoth('2026-12-31T09:00')).cancelled).toBe(0);
    expect((await contracts.history(id)).map((e) => [e.kind, e.toStatus])).toEqual([
      ['cancel', 'cancelled'], ['cancel', 'cancelled'], ['resume', 'active'], ['suspend', 'suspended'],
    ]);
    // An expired term is resumed only after the term was extended.
    const leap = await memberId('CST-00002');
    await sweepBoth('2026-11-25T10:00');
    await expect(contracts.resume(leap, '再開', admin)).rejects.toThrow('契約期間が終わっています');
  });

  it('refuses by import to reopen a contract cancelled at once, naming row and column, and changes nothing in that file', async () => {
    const importer = a.module.get(MemberImportService);
    const contracts = a.module.get(ContractService);
    const id = await memberId('CST-00001');
    await contracts.cancelNow(id, '規約違反（第15条）', admin);
    for (const status of ['active', 'suspended', 'expired']) {
      const error = await importer.importCsv(Buffer.from(`club_id,status\nCST-00003,suspended\nCST-00001,${status}\n`)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MemberImportError);
      expect((error as MemberImportError).problems).toEqual([{ row: 3, column: 'status', message: expect.stringContaining('cannot be reopened by import') }]);
    }
    expect(await statusOf('CST-00001')).toBe('cancelled');
    expect(await statusOf('CST-00003')).toBe('active'); // all rows or none
    expect((await contracts.history(id)).map((e) => [e.kind, e.toStatus])).toEqual([['cancel', 'cancelled']]);
    // Saying cancelled again changes nothing and records nothing.
    await importer.importCsv(Buffer.from('club_id,status\nCST-00001,cancelled\n'));
    expect(await contracts.history(id)).toHaveLength(1);
  });

  it('records the status changes an import makes in the contract history and the audit log, as the console does', async () => {
    const importer = a.module.get(MemberImportService);
    const contracts = a.module.get(ContractService);
    const momiji = await memberId('CST-00003');
    await contracts.noticeCancellation(momiji, { noticeOn: '2026-11-20', requestedOn: null, reason: '申出' }, admin);
    expect(await importer.importCsv(Buffer.from('club_id,status\nCST-00001,suspended\nCST-00003,cancelled\n'))).toEqual({ created: 0, updated: 2 });
    expect(await statusOf('CST-00001')).toBe('suspended');
    expect(await contracts.history(await memberId('CST-00001'))).toEqual([
      expect.objectContaining({ kind: 'suspend', fromStatus: 'active', toStatus: 'suspended', effectiveOn: '2026-11-25', actorId: null, reason: '会員CSVの取り込み（members:import）' }),
    ]);
    // The import's cancellation settles the noticed one, as the console's does: the scheduler has nothing to do.
    expect((await contracts.history(momiji)).map((e) => [e.kind, e.fromStatus, e.toStatus, e.appliedAt !== null])).toEqual([
      ['cancel', 'active', 'cancelled', true], ['cancel', 'active', 'cancelled', true],
    ]);
    expect((await sweepBoth('2026-12-21T09:00')).cancelled).toBe(0);
    const audit = (await auditActions()).filter((e) => ['contract.suspended', 'contract.cancelled'].includes(e.action));
    expect(audit).toEqual([
      { action: 'contract.suspended', target_label: 'CST-00001', actor_email: null }, { action: 'contract.cancelled', target_label: 'CST-00003', actor_email: null },
    ]);

    // An expired term is made active again by import only with a new term in the same row (the console's rule).
    const leap = await memberId('CST-00002');
    await sweepBoth('2026-11-25T10:00');
    const refused = await importer.importCsv(Buffer.from('club_id,status\nCST-00002,active\n')).catch((e: unknown) => e);
    expect((refused as MemberImportError).problems).toEqual([{ row: 2, column: 'status', message: expect.stringContaining('cannot change expired to active') }]);
    await importer.importCsv(Buffer.from('club_id,contract_start,status\nCST-00002,2026-11-01,active\n'));
    expect(await statusOf('CST-00002')).toBe('active');
    expect((await contracts.history(leap)).map((e) => [e.kind, e.fromStatus, e.toStatus])).toEqual([['resume', 'expired', 'active'], ['term', null, null], ['expire', 'suspended', 'expired']]);
    // The new term itself is in the history and the audit log, as a console edit of the term is.
    expect((await contracts.history(leap)).find((e) => e.kind === 'term')).toMatchObject({
      effectiveOn: '2026-11-25', actorId: null, reason: '契約期間を 2024-02-29〜2025-02-28 から 2026-11-01〜2027-10-31 に変更（members:import）',
    });
    expect((await auditActions()).filter((e) => e.action === 'contract.term_changed')).toEqual([{ action: 'contract.term_changed', target_label: 'CST-00002', actor_email: null }]);
    // The same file again changes no term and records nothing more.
    await importer.importCsv(Buffer.from('club_id,contract_start,status\nCST-00002,2026-11-01,active\n'));
    expect((await contracts.history(leap)).filter((e) => e.kind === 'term')).toHaveLength(1);
  });

  it('records art. 12 changes by field name, not value, and refuses an address of another member', async () => {
    const id = await memberId('CST-00001');
    const contracts = a.module.get(ContractService);
    const base = {
      nickname: 'ひまわり', company: 'ひまわり精機株式会社', department: '情報システム部', contactName: '佐藤 一郎', phone: '03-1234-5678',
      postalCode: '100-0001', address: '東京都千代田区千代田1-1', emails: ['soc@himawari.example.jp'], contractStart: '2026-04-01', contractEnd: null,
    };
    await contracts.updateDetails(id, base, admin);
    await expect(contracts.updateDetails(id, { ...base, emails: ['csirt@sakura.example.jp'] }, admin)).rejects.toThrow('CST-00002');
    await contracts.updateDetails(id, { ...base, contractStart: '2027-04-01' }, admin);
    const member = (await a.module.get(MemberRepository).findById(id))!;
    expect([member.contractStart, member.contractEnd, member.department]).toEqual(['2027-04-01', '2028-03-31', '情報システム部']);

    const rows = (await db().query("SELECT action, details FROM audit_log WHERE target_label = 'CST-00001' ORDER BY id")) as { action: string; details: string }[];
    expect(rows.map((r) => r.action)).toEqual(['member.created', 'member.updated', 'contract.term_changed']);
    expect(JSON.parse(rows[0].details)).toEqual({ via: 'members:import' });
    expect(JSON.parse(rows[1].details).fields).toEqual(['department', 'contactName', 'phone', 'postalCode', 'address']);
    expect(rows[1].details).not.toContain('佐藤');
    const listed = await a.module.get(AuditService).list({ target: 'CST-00001', action: 'contract.term_changed', page: 1, pageSize: 10 });
    expect(listed.total).toBe(1);
  });
});
