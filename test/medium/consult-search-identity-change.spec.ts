import { DataSource } from 'typeorm';
import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule, ConsultsService, ConsultSearchIndexer } from '@kkd/consults';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { ContractService, MemberImportService, MemberRepository, MembershipModule } from '@kkd/membership';
import { StaffModule, StaffService } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule } from './support/real-db';

const HIMAWARI = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp', company: 'ひまわり精機株式会社' };
const SAKURA = { clubId: 'CST-00456', nickname: 'さくら', email: 'csirt@sakura.example.jp', company: 'さくら物産株式会社' };

/**
 * The search index holds texts masked with the member's details as they were when indexed. When
 * the details change, a text that names the new details must not stay findable by them.
 */
describe('consult search after a member\'s identity details change', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let admin: { id: number; email: string };

  beforeEach(async () => {
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule]);
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI, SAKURA])));
    admin = await db.module.get(StaffService).create({ email: 'admin@helpdesk.test', name: '管理 一郎', role: 'admin' });
  });
  afterEach(async () => { await db.close(); });

  const receive = async (from: string, subject: string, body: string) => {
    const outcome = await db.module.get(IntakeService).accept(Buffer.from(buildMail({ from, subject, body }).raw), from);
    return (outcome as { consultNumber: number }).consultNumber;
  };
  const index = () => db.module.get(ConsultSearchIndexer).catchUp();
  const search = (q: string) => db.module.get(ConsultsService).list({ q, page: 1, pageSize: 50, order: 'relevance' });
  const numbers = async (q: string) => (await search(q)).items.map((c) => c.number);
  const staleRows = async () => Number((await db.module.get(DataSource).query('SELECT COUNT(*) AS n FROM consult_search WHERE stale > 0'))[0].n);
  const himawari = async () => (await db.module.get(MemberRepository).findByClubIds([HIMAWARI.clubId], db.module.get(DataSource).manager))[0];

  it('members:import with a new company name re-masks the member\'s indexed consults', async () => {
    const renamed = await receive(HIMAWARI.email, 'ランサムウェアの件', '来月から社名があおば電子に変わります。ファイルサーバが暗号化されました。');
    const other = await receive(SAKURA.email, '取引先の件', '取引先のあおば電子から不審なメールが届きました。'); // another member's text: not theirs to hide
    await index();
    expect((await numbers('あおば電子')).sort()).toEqual([renamed, other].sort());

    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([{ ...HIMAWARI, company: 'あおば電子株式会社' }])));
    // Withdrawn at once: the old build would show the new name unmasked until the indexer runs.
    expect(await numbers('あおば電子')).toEqual([other]);
    await index();
    expect(await staleRows()).toBe(0);
    expect(await numbers('あおば電子')).toEqual([other]);
    expect(await numbers('暗号化')).toEqual([renamed]); // still found by what is not identity
    const [hit] = (await search('暗号化')).highlights!.values();
    expect(hit.snippet!.text).toContain('〔会社名〕');
    expect(hit.snippet!.text).not.toContain('あおば電子');
  });

  it('the console edit adding a mail address re-masks; a nickname-only edit or an unchanged import marks nothing', async () => {
    const number = await receive(HIMAWARI.email, 'メールの転送設定', '転送先は csirt@aoba-denshi.example.jp です。設定を確認してください。');
    await index();
    const member = await himawari();
    const details = {
      nickname: member.nickname, company: member.company, department: member.department, contactName: member.contactName, phone: member.phone,
      postalCode: member.postalCode, address: member.address, emails: member.emails.map((e) => e.address), contractStart: member.contractStart, contractEnd: member.contractEnd,
    };

    await db.module.get(ContractService).updateDetails(member.id, { ...details, nickname: 'ひまわり2' }, admin);
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([{ ...HIMAWARI, nickname: 'ひまわり2' }])));
    expect(await staleRows()).toBe(0);

    const before = (await search('転送先')).highlights!.get((await search('転送先')).items[0].id)!;
    await db.module.get(ContractService).updateDetails(member.id, { ...details, emails: [...details.emails, 'csirt@aoba-denshi.example.jp'] }, admin);
    expect(await staleRows()).toBe(1);
    await index();
    const result = await search('転送先');
    expect(result.items.map((c) => c.number)).toEqual([number]);
    const after = result.highlights!.get(result.items[0].id)!;
    expect(after.snippet!.text).not.toEqual(before.snippet!.text);
    expect(after.snippet!.text).not.toContain('aoba-denshi');
  });
});
