import { DataSource } from 'typeorm';
import { AssignmentModule, AssignmentService, chooseExpert, ExpertCandidate } from '@kkd/assignment';
import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule, ConsultsService } from '@kkd/consults';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { AbsenceService, StaffModule, StaffService, StaffUser } from '@kkd/staff';
import { TriageModule } from '@kkd/triage';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, TestClock } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);
const LIBS = [CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule, TriageModule, AssignmentModule];
const MEMBER = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp' };

describe('triage and assignment on intake, on a real database', () => {
  const clock = new TestClock(jst('2026-11-24T10:00'));
  let a: Awaited<ReturnType<typeof realDbModule>>;
  let b: Awaited<ReturnType<typeof realDbModule>>;

  beforeEach(async () => {
    clock.set(jst('2026-11-24T10:00'));
    a = await realDbModule(LIBS, { clock });
    b = await realDbModule(LIBS, { clock, sameDatabaseAs: a.config });
    await a.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([MEMBER])));
    await a.module.get(StaffService).create({ email: 'manager@helpdesk.test', name: '管理 花子', role: 'manager' });
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  const expert = async (email: string, skills: string[], capacity: number): Promise<StaffUser> => {
    const staff = a.module.get(StaffService);
    const user = await staff.create({ email, name: email.split('@')[0], role: 'expert', skills });
    return staff.updateProfile(user.id, { capacity });
  };
  const receive = async (subject: string, body = '', via = a) => {
    const outcome = await via.module.get(IntakeService).accept(Buffer.from(buildMail({ from: MEMBER.email, subject, body }).raw), MEMBER.email, clock.now());
    return (outcome as { consultNumber: number }).consultNumber;
  };
  const query = <T>(sql: string, params: unknown[] = []) => a.module.get(DataSource).query(sql, params) as Promise<T[]>;
  const loads = async () => Object.fromEntries((await query<{ email: string; n: string | number }>(
    "SELECT s.email, COUNT(c.id) AS n FROM staff_users s LEFT JOIN consults c ON c.assignee_id = s.id AND c.status IN ('new', 'open', 'waiting_member') WHERE s.role = 'expert' GROUP BY s.email",
  )).map((r) => [r.email, Number(r.n)]));
  const events = async (number: number) => (await query<{ kind: string; summary: string }>(
    'SELECT e.kind, e.summary FROM consult_events e JOIN consults c ON c.id = e.consult_id WHERE c.number = $1 ORDER BY e.id', [number],
  ));

  it('triages a new consult and assigns the skilled expert, with the reasons on the timeline and a mail to the expert', async () => {
    await expert('ransom@helpdesk.test', ['ransomware'], 5);
    await expert('phish@helpdesk.test', ['phishing'], 5);
    const number = await receive('【至急】ファイルが暗号化されました', '拡張子が .lockbit に変わり、身代金を要求する脅迫文が置かれています。');
    const consult = await a.module.get(ConsultsService).get(number);
    expect(consult).toMatchObject({ category: 'ransomware', priority: 'urgent', categorySource: 'triage', assignee: { email: 'ransom@helpdesk.test' } });
    expect(JSON.parse(consult.triageMatches!).map((m: { term: string }) => m.term)).toEqual(expect.arrayContaining(['身代金']));
    const timeline = await events(number);
    expect(timeline.map((e) => e.kind)).toEqual(['triaged', 'assigned']);
    expect(timeline[0].summary).toMatch(/^自動分類: ランサムウェア・優先度 緊急（一致: .*「身代金」/);
    expect(timeline[1].summary).toBe('自動割当: ransom（ランサムウェア担当・担当数 0/5・条件を満たす唯一の担当者）');
    const mails = await query<{ to_address: string; subject: string; body_text: string }>("SELECT to_address, subject, body_text FROM outbound_mails WHERE kind = 'notice'");
    expect(mails).toEqual([expect.objectContaining({ to_address: 'ransom@helpdesk.test', subject: `【担当割当】[KKD#${number}] 【至急】ファイルが暗号化されました` })]);
    expect(mails[0].body_text).not.toContain(MEMBER.email);
  });

  it('leaves a consult nobody fits unassigned and mails the managers', async () => {
    await expert('phish@helpdesk.test', ['phishing'], 5);
    const number = await receive('サイトが改ざんされました', 'トップページが書き換えられ、改ざんされた画面が表示されます。');
    expect((await a.module.get(ConsultsService).get(number))).toMatchObject({ category: 'defacement', assigneeId: null });
    expect((await events(number)).at(-1)?.summary).toBe('自動割当: 割り当てられませんでした（Web改ざんを担当できる有効な担当者がいません）。未割当の一覧に入りました');
    expect(await query("SELECT to_address FROM outbound_mails WHERE kind = 'notice'")).toEqual([{ to_address: 'manager@helpdesk.test' }]);
  });

  it('spreads 50 consults arriving at once over two server processes as the rule says, never above capacity', async () => {
    const team = [await expert('e1@helpdesk.test', ['ransomware'], 10), await expert('e2@helpdesk.test', ['ransomware'], 20), await expert('e3@helpdesk.test', ['ransomware'], 30)];
    await Promise.all(Array.from({ length: 50 }, (_, i) => receive(`ランサムウェア被害 ${i + 1}`, 'ファイルが暗号化され身代金を要求されています。', i % 2 ? a : b)));

    // The rule replayed alone: arrival order decides which consult, never how many each gets.
    const simulated: ExpertCandidate[] = team.map((u) => ({ id: u.id, name: u.name, email: u.email, active: true, skills: ['ransomware'], capacity: u.capacity, load: 0, lastAssignmentSeq: 0, absentUntil: null }));
    for (let seq = 1; seq <= 50; seq++) {
      const chosen = chooseExpert(simulated, 'ransomware').expert!;
      chosen.load++;
      chosen.lastAssignmentSeq = seq;
    }
    const actual = await loads();
    expect(actual).toEqual({ 'e1@helpdesk.test': simulated[0].load, 'e2@helpdesk.test': simulated[1].load, 'e3@helpdesk.test': simulated[2].load });
    expect(actual['e1@helpdesk.test'] + actual['e2@helpdesk.test'] + actual['e3@helpdesk.test']).toBe(50);
    expect(Object.values(actual).every((n, i) => n <= team[i].capacity)).toBe(true);
  });

  it('stops at capacity under a burst: the rest wait unassigned and each is announced to the managers', async () => {
    await expert('e1@helpdesk.test', ['ransomware'], 3);
    await expert('e2@helpdesk.test', ['ransomware'], 4);
    await Promise.all(Array.from({ length: 12 }, (_, i) => receive(`ランサムウェア被害 ${i + 1}`, '', i % 2 ? a : b)));
    expect(await loads()).toEqual({ 'e1@helpdesk.test': 3, 'e2@helpdesk.test': 4 });
    expect(await query("SELECT COUNT(*) AS n FROM consults WHERE assignee_id IS NULL")).toEqual([{ n: expect.anything() }]);
    expect(Number((await query<{ n: string }>('SELECT COUNT(*) AS n FROM consults WHERE assignee_id IS NULL'))[0].n)).toBe(5);
    expect(Number((await query<{ n: string }>("SELECT COUNT(*) AS n FROM outbound_mails WHERE to_address = 'manager@helpdesk.test'"))[0].n)).toBe(5);
  });

  it('skips an absent expert, and a manager moves an absent expert\'s consults by the rule', async () => {
    const [away, backup] = [await expert('away@helpdesk.test', ['ransomware'], 5), await expert('backup@helpdesk.test', ['ransomware'], 5)];
    const first = await receive('ランサムウェア被害 1');
    const second = await receive('ランサムウェア被害 2');
    const consults = a.module.get(ConsultsService);
    expect((await consults.get(first)).assigneeId).toBe(away.id); // tie on load: the lower id
    expect((await consults.get(second)).assigneeId).toBe(backup.id);

    await a.module.get(AbsenceService).add(away.id, '2026-11-24', '2026-11-27', '研修');
    const third = await receive('ランサムウェア被害 3');
    expect((await consults.get(third)).assigneeId).toBe(backup.id);

    const manager = (await a.module.get(StaffService).findByEmail('manager@helpdesk.test'))!;
    const moved = await a.module.get(AssignmentService).bulkReassignFrom(away.id, '研修で不在', manager);
    expect(moved).toEqual({ moved: 1, unassigned: 0 });
    expect((await consults.get(first)).assigneeId).toBe(backup.id);
    expect((await events(first)).at(-1)?.summary).toBe('away の一括再割当（理由: 研修で不在・管理 花子）: backup（ランサムウェア担当・担当数 2/5・条件を満たす唯一の担当者）');

    clock.set(jst('2026-11-30T10:00')); // back from the absence
    expect((await consults.get(await receive('ランサムウェア被害 4'))).assigneeId).toBe(away.id);
  });

  it('lets an expert claim an unassigned consult once, and records a manager\'s reassignment with its reason', async () => {
    const number = await receive('一般的な質問です');
    const [e1, e2] = [await expert('e1@helpdesk.test', ['ransomware'], 5), await expert('e2@helpdesk.test', ['ransomware'], 5)];
    const assignment = a.module.get(AssignmentService);
    await assignment.claim(number, e1);
    await expect(assignment.claim(number, e2)).rejects.toMatchObject({ code: 'assignment.taken' });
    const manager = (await a.module.get(StaffService).findByEmail('manager@helpdesk.test'))!;
    await expect(assignment.reassign(number, 'e2@helpdesk.test', '  ', manager)).rejects.toMatchObject({ field: 'reason' });
    await assignment.reassign(number, 'e2@helpdesk.test', '専門分野のため', manager);
    expect((await a.module.get(ConsultsService).get(number)).assigneeId).toBe(e2.id);
    expect((await events(number)).slice(-2).map((e) => e.summary)).toEqual([
      '担当する: e1 が担当になりました', '再割当: e1 → e2（理由: 専門分野のため・管理 花子）',
    ]);
    // The claim mails nobody; the reassignment mails the new assignee.
    expect(await query("SELECT to_address FROM outbound_mails WHERE subject LIKE '【担当割当】%'")).toEqual([{ to_address: 'e2@helpdesk.test' }]);
  });

  it('applies the console\'s rule to every edge: an expert only claims, a manager reassigns', async () => {
    const number = await receive('一般的な質問です');
    const [e1, e2] = [await expert('e1@helpdesk.test', ['ransomware'], 5), await expert('e2@helpdesk.test', ['ransomware'], 5)];
    const assignment = a.module.get(AssignmentService);
    const manager = (await a.module.get(StaffService).findByEmail('manager@helpdesk.test'))!;
    const assigneeId = async () => (await a.module.get(ConsultsService).get(number)).assigneeId;
    await assignment.assign(number, 'e2@helpdesk.test', '準備', manager);
    const forbidden = { code: 'assignment.forbidden', details: { field: 'assignee' } };
    // Taking another expert's consult for someone else, unassigning it, or by the rule: refused.
    await expect(assignment.assign(number, 'manager@helpdesk.test', 'API から変更', e1)).rejects.toMatchObject(forbidden);
    await expect(assignment.assign(number, null, 'API から変更', e1)).rejects.toMatchObject(forbidden);
    await expect(assignment.assign(number, 'nobody@helpdesk.test', 'API から変更', e1)).rejects.toMatchObject(forbidden);
    await expect(assignment.reassign(number, 'e1@helpdesk.test', '直接', e1)).rejects.toMatchObject(forbidden);
    await expect(assignment.reassignByRule(number, '直接', e1)).rejects.toMatchObject(forbidden);
    await expect(assignment.assign(number, 'e1@helpdesk.test', 'API から変更', e1)).rejects.toMatchObject({ code: 'assignment.taken' });
    await assignment.assign(number, 'E2@helpdesk.test', 'API から変更', e1); // unchanged: nothing to refuse
    expect(await assigneeId()).toBe(e2.id);
    await assignment.assign(number, null, '担当替え', manager);
    await assignment.assign(number, 'e1@helpdesk.test', 'API から変更', e1);
    expect(await assigneeId()).toBe(e1.id);
    expect((await events(number)).slice(-3).map((e) => e.summary)).toEqual([
      '再割当: 未割当 → e2（理由: 準備・管理 花子）', '再割当: e2 → 未割当（理由: 担当替え・管理 花子）', '担当する: e1 が担当になりました',
    ]);
  });

  it('keeps the consult when the triage rules cannot be read: 一般相談・通常, said on the timeline, and still assigned', async () => {
    await expert('general@helpdesk.test', ['general'], 5);
    await query('DROP TABLE triage_rules');
    await query("UPDATE counters SET value = value + 1 WHERE name = 'triage_rules'");
    const fresh = await realDbModule(LIBS, { clock, sameDatabaseAs: a.config }); // nothing cached
    try {
      const number = await receive('ランサムウェア被害', '', fresh);
      expect(await a.module.get(ConsultsService).get(number)).toMatchObject({
        category: 'general', priority: 'normal', triageMatches: null, assignee: { email: 'general@helpdesk.test' },
      });
      const timeline = await events(number);
      expect(timeline.map((e) => e.kind)).toEqual(['triaged', 'assigned']);
      expect(timeline[0].summary).toContain('自動分類できませんでした');
      expect(await query("SELECT kind FROM outbound_mails WHERE kind = 'acknowledgement'")).toHaveLength(1);
      expect(await query("SELECT to_address FROM outbound_mails WHERE subject LIKE '%【担当割当】%'")).toEqual([{ to_address: 'general@helpdesk.test' }]);
    } finally {
      await fresh.close();
    }
  });
});
