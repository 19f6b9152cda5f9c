import { DataSource } from 'typeorm';
import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule, ConsultSearchIndexer } from '@kkd/consults';
import { searchableText } from '@kkd/core';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { MemberImportService, MembershipModule } from '@kkd/membership';
import { StaffModule } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule, runMigration } from './support/real-db';
// Not on the lib's public face: what ConsultsService.list hands `q` to, here with a manager as viewer.
import { ConsultSearchService } from '../../libs/consults/src/consult-search.service';

const HIMAWARI = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp' };
/** More members than the migration folds per batch. */
const MANY = 1100;

/**
 * Issue 8: members stored before identity_search existed are found by identity after the migration;
 * and by any spelling of their legal form or name variant (㈱髙﨑, 株式会社高崎) after the refold.
 */
describe('the migration that folds member identity for search', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  beforeAll(async () => {
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule]);
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI])));
  });
  afterAll(async () => { await db.close(); });

  const sql = () => db.module.get(DataSource);
  const asManager = async (q: string) =>
    (await db.module.get(ConsultSearchService).list({ q, page: 1, pageSize: 50, order: 'relevance' }, { seesIdentity: true })).items.map((c) => c.number);
  const stored = async (clubId: string) => (await sql().query(`SELECT identity_search FROM members WHERE club_id = '${clubId}'`))[0].identity_search as string;
  const migration = (step: 'up' | 'down') => runMigration(sql(), 'MemberIdentitySearch1765490000000', step);

  it('fills the folded identity of every member as the code writes it, and finds the member by it', async () => {
    const outcome = await db.module.get(IntakeService).accept(Buffer.from(buildMail({ from: HIMAWARI.email, subject: '不審なメール', body: '添付を開きました。' }).raw), HIMAWARI.email);
    const number = (outcome as { consultNumber: number }).consultNumber;
    await db.module.get(ConsultSearchIndexer).catchUp();

    await migration('down');
    // Written before the column existed: full-width company, half-width katakana department, a second address.
    const [{ id }] = await sql().query(`SELECT id FROM members WHERE club_id = '${HIMAWARI.clubId}'`);
    await sql().query(`UPDATE members SET company = 'ＡＢＣ商事㈱', department = 'ｼｽﾃﾑｶﾞｲｼｬ' WHERE id = ${Number(id)}`);
    await sql().query(`INSERT INTO member_emails (member_id, address) VALUES (${Number(id)}, 'csirt@abc-shoji.example.jp')`);
    await sql().query(`INSERT INTO members (club_id, nickname, company, contract_start, contract_end, status, created_at, updated_at)
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${MANY})
      SELECT 'CST-' || (10000 + i), 'かいいん', 'ﾃｽﾄ商会' || i, '2026-04-01', '2027-03-31', 'active', 0, 0 FROM n`);
    await sql().query(`INSERT INTO member_emails (member_id, address) SELECT id, 'soc@last.example.jp' FROM members WHERE club_id = 'CST-${10000 + MANY}'`);
    await migration('up');

    for (const q of ['abc商事', 'ＡＢＣ商事', '(株)', 'システムガイシャ', 'CSIRT@ABC-shoji', '山田 太郎']) expect([q, await asManager(q)]).toEqual([q, [number]]);
    expect(Number((await sql().query("SELECT COUNT(*) AS n FROM members WHERE identity_search = ''"))[0].n)).toBe(0);
    expect(await stored(`CST-${10000 + MANY}`)).toBe(searchableText([`テスト商会${MANY}`, 'soc@last.example.jp']));

    // The same details written by members:import fold to the same text.
    const filled = await stored(HIMAWARI.clubId);
    await db.module.get(MemberImportService).importCsv(Buffer.from([
      'club_id,nickname,email,company,department,contact_name,contract_start,status',
      `${HIMAWARI.clubId},${HIMAWARI.nickname},${HIMAWARI.email};csirt@abc-shoji.example.jp,ＡＢＣ商事㈱,ｼｽﾃﾑｶﾞｲｼｬ,山田 太郎,2026-04-01,active`,
    ].join('\n') + '\n'));
    expect(await stored(HIMAWARI.clubId)).toBe(filled);
  });

  it('drops the column on the way down and fills it again on the way up', async () => {
    await migration('down');
    const columns = async () => (await sql().query('SELECT * FROM members')).map((r: Record<string, unknown>) => 'identity_search' in r);
    expect((await columns()).some(Boolean)).toBe(false);
    await migration('up');
    expect((await columns()).every(Boolean)).toBe(true);
    expect(await asManager('ａｂｃ商事')).toHaveLength(1);
  });

  it('refolds identities stored before legal forms and name variants were folded', async () => {
    const [{ number }] = await sql().query("SELECT number FROM consults");
    await sql().query(`UPDATE members SET company = '㈱髙﨑製作所', department = NULL WHERE club_id = '${HIMAWARI.clubId}'`);
    await sql().query("UPDATE members SET company = 'ひまわり精機株式会社' WHERE club_id = 'CST-10001'");
    // As the earlier fold left them: width and case only.
    await runMigration(sql(), 'MemberIdentityFold1765512000000', 'down');
    expect(await stored(HIMAWARI.clubId)).toBe('(株)髙﨑製作所\n山田 太郎\nsoc@himawari.example.jp\ncsirt@abc-shoji.example.jp');
    expect(await asManager('株式会社高崎製作所')).toEqual([]);

    await runMigration(sql(), 'MemberIdentityFold1765512000000', 'up');
    expect(await stored(HIMAWARI.clubId)).toBe('株式会社高崎製作所\n山田 太郎\nsoc@himawari.example.jp\ncsirt@abc-shoji.example.jp');
    expect(await stored('CST-10001')).toBe(searchableText(['ひまわり精機(株)']));
    for (const q of ['株式会社髙﨑製作所', '高崎製作所', '(株)高崎', '髙﨑製作所㈱', '（株）髙崎']) expect([q, await asManager(q)]).toEqual([q, [Number(number)]]);
    expect(await asManager('有限会社高崎製作所')).toEqual([]);
    // What members:import writes for the same details is what the migration wrote.
    const filled = await stored(HIMAWARI.clubId);
    await db.module.get(MemberImportService).importCsv(Buffer.from([
      'club_id,nickname,email,company,department,contact_name,contract_start,status',
      `${HIMAWARI.clubId},${HIMAWARI.nickname},${HIMAWARI.email};csirt@abc-shoji.example.jp,㈱髙﨑製作所,,山田 太郎,2026-04-01,active`,
    ].join('\n') + '\n'));
    expect(await stored(HIMAWARI.clubId)).toBe(filled);
  });
});
