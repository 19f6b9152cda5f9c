import iconv from 'iconv-lite';
import { DataSource } from 'typeorm';
import { DomainEvents } from '@kkd/core';
import { MemberImportError, MemberImportService, MemberRepository, MembershipModule } from '@kkd/membership';
import { realDbModule } from './support/real-db';

const HEADER = 'club_id,nickname,email,company,department,contact_name,phone,postal_code,address,contract_start,contract_end,status';
const ROW1 = 'CST-00001,ひまわり,soc@himawari.example.jp;ciso@himawari.example.jp,ひまわり精機株式会社,情報システム部,山田 太郎,03-1234-5678,100-0001,東京都千代田区1-1,2026-04-01,,active';
const ROW2 = 'CST-00002,さくら,csirt@sakura.example.jp,さくら物産株式会社,,,,,,2026-01-15,2026-12-31,suspended';

describe('members:import on a real database', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let importer: MemberImportService;
  let members: MemberRepository;
  beforeEach(async () => {
    db = await realDbModule([MembershipModule]);
    importer = db.module.get(MemberImportService);
    members = db.module.get(MemberRepository);
  });
  afterEach(async () => { await db.close(); });

  it('creates members with every address, a one-year term by default, and updates on re-import', async () => {
    expect(await importer.importCsv(Buffer.from(`\uFEFF${HEADER}\n${ROW1}\n${ROW2}\n`))).toEqual({ created: 2, updated: 0 });
    const himawari = await members.findByAddress('CISO@himawari.example.jp');
    expect(himawari).toMatchObject({ clubId: 'CST-00001', nickname: 'ひまわり', contractStart: '2026-04-01', contractEnd: '2027-03-31', status: 'active', postalCode: '100-0001' });
    expect((await members.findByAddress('csirt@sakura.example.jp'))?.status).toBe('suspended');

    const changed = ROW1.replace('ひまわり,', 'ひまわり改,').replace('soc@himawari.example.jp;', '');
    expect(await importer.importCsv(Buffer.from(`${HEADER}\n${changed}\n`))).toEqual({ created: 0, updated: 1 });
    expect((await members.findByAddress('ciso@himawari.example.jp'))?.nickname).toBe('ひまわり改');
    expect(await members.findByAddress('soc@himawari.example.jp')).toBeNull();
    expect(await members.count()).toBe(2);
  });

  it('keeps on re-import what a file of fewer columns leaves out, the term end and identity search included', async () => {
    const identityChanged: number[] = [];
    db.module.get(DomainEvents).on('member.identity_changed', 'test', async (_em, { memberId }) => { identityChanged.push(memberId); });
    const identitySearch = async () => (await db.module.get(DataSource).query("SELECT identity_search FROM members WHERE club_id = 'CST-00901'"))[0].identity_search as string;
    await importer.importCsv(Buffer.from(`${HEADER}\nCST-00901,まつ,soc@matsu.example.jp,松精機株式会社,情報システム部,松田 一郎,03-1234-5678,100-0001,東京都千代田区1-1,2027-04-01,2028-03-31,active\n`));
    const searchBefore = await identitySearch();

    const short = 'club_id,nickname,email,company,contract_start,status';
    expect(await importer.importCsv(Buffer.from(`${short}\nCST-00901,まつ改,soc@matsu.example.jp,松精機株式会社,2027-04-01,active\n`))).toEqual({ created: 0, updated: 1 });
    expect(await members.findByAddress('soc@matsu.example.jp')).toMatchObject({
      nickname: 'まつ改', department: '情報システム部', contactName: '松田 一郎', phone: '03-1234-5678', postalCode: '100-0001', address: '東京都千代田区1-1',
      contractStart: '2027-04-01', contractEnd: '2028-03-31', status: 'active',
    });
    expect(await identitySearch()).toBe(searchBefore);
    expect(identityChanged).toEqual([]); // nothing that masks changed

    // An empty cell still clears; identity search and the event follow the merged details.
    const [{ id }] = await db.module.get(DataSource).query("SELECT id FROM members WHERE club_id = 'CST-00901'");
    await importer.importCsv(Buffer.from('club_id,department,email\nCST-00901,,it@matsu.example.jp\n'));
    expect(await members.findByAddress('it@matsu.example.jp')).toMatchObject({ department: null, contactName: '松田 一郎', company: '松精機株式会社', contractEnd: '2028-03-31' });
    expect(await identitySearch()).not.toContain('情報システム部');
    expect(await identitySearch()).toContain('松田');
    expect(await identitySearch()).toContain('it@matsu.example.jp');
    expect(identityChanged).toEqual([id]);

    // A moved start without an end: one year from the new start.
    await importer.importCsv(Buffer.from('club_id,contract_start\nCST-00901,2027-10-01\n'));
    expect(await members.findByAddress('it@matsu.example.jp')).toMatchObject({ contractStart: '2027-10-01', contractEnd: '2028-09-30' });
  });

  it('refuses a file of fewer columns when one of its rows is a new member, and changes nothing', async () => {
    await importer.importCsv(Buffer.from(`${HEADER}\n${ROW1}\n`));
    const error = await importer.importCsv(Buffer.from('club_id,nickname\nCST-00001,ひまわり改\nCST-00777,新会員\n')).catch((e: unknown) => e);
    expect((error as MemberImportError).problems.map((p) => [p.row, p.column])).toEqual([[3, 'email'], [3, 'company'], [3, 'contract_start']]);
    expect((await members.findByAddress('soc@himawari.example.jp'))?.nickname).toBe('ひまわり');
    expect(await members.count()).toBe(1);
  });

  it('says in Japanese that a blank nickname is required', async () => {
    const error = await importer.importCsv(Buffer.from(`${HEADER}\nCST-00009, ,x@y.example.jp,会社,,,,,,2026-01-01,,\n`)).catch((e: unknown) => e);
    expect((error as MemberImportError).problems).toEqual([{ row: 2, column: 'nickname', message: 'ニックネームは必須です' }]);
    expect((error as Error).message).toBe('row 2, column nickname: ニックネームは必須です');
  });

  it('accepts Shift_JIS with --encoding sjis (CP932 characters included)', async () => {
    const csv = `${HEADER}\nCST-00003,髙橋①,it@takahashi.example.jp,㈱髙橋商店,,,,,,2026-05-01,,\n`;
    await importer.importCsv(iconv.encode(csv, 'cp932'), 'sjis');
    expect(await members.findByAddress('it@takahashi.example.jp')).toMatchObject({ nickname: '髙橋①', company: '㈱髙橋商店' });
  });

  it.each([
    ['a bad email', `${HEADER}\n${ROW1}\nCST-00002,さくら,not-an-address,さくら物産,,,,,,2026-01-15,,`, 3, 'email'],
    ['an impossible date', `${HEADER}\n${ROW1}\nCST-00002,さくら,a@sakura.example.jp,さくら物産,,,,,,2026-02-30,,`, 3, 'contract_start'],
    ['an unknown status', `${HEADER}\n${ROW2.replace('suspended', 'paused')}`, 2, 'status'],
    ['a missing nickname', `${HEADER}\nCST-00009,,x@y.example.jp,会社,,,,,,2026-01-01,,`, 2, 'nickname'],
    ['a duplicate club ID', `${HEADER}\n${ROW1}\n${ROW1.replace(/soc@[^,]+,/, 'z@z.example.jp,')}`, 3, 'club_id'],
    ['an unknown column', `${HEADER},fax\n${ROW1},03-0000-0000`, 1, 'fax'],
    // A file of fewer columns may update members; a row creating one without them is refused.
    ['a missing required column for a new member', `club_id,nickname,email\nCST-1,a,b@c.example.jp`, 2, 'company'],
    ['a blank nickname', `${HEADER}\nCST-00009,  ,x@y.example.jp,会社,,,,,,2026-01-01,,`, 2, 'nickname'],
  ])('refuses %s naming row and column, and imports nothing', async (_name, csv, row, column) => {
    const error = await importer.importCsv(Buffer.from(`${csv}\n`)).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(MemberImportError);
    expect((error as MemberImportError).problems[0]).toMatchObject({ row, column });
    expect(await members.count()).toBe(0);
  });

  it('refuses an address that already belongs to another member', async () => {
    await importer.importCsv(Buffer.from(`${HEADER}\n${ROW1}\n`));
    const error = await importer.importCsv(Buffer.from(`${HEADER}\n${ROW2.replace('csirt@sakura.example.jp', 'soc@himawari.example.jp')}\n`)).catch((e: unknown) => e);
    expect((error as MemberImportError).problems[0]).toMatchObject({ row: 2, column: 'email' });
    expect(await members.count()).toBe(1);
  });

  it('refuses a file that is not UTF-8 unless told it is Shift_JIS', async () => {
    const sjis = iconv.encode(`${HEADER}\nCST-00003,髙橋,it@t.example.jp,髙橋商店,,,,,,2026-05-01,,\n`, 'cp932');
    await expect(importer.importCsv(sjis)).rejects.toThrow('row 2, column nickname: is not valid UTF-8 (use --encoding sjis for Shift_JIS)');
  });

  it('refuses UTF-8 imported with --encoding sjis instead of storing mojibake, naming the first bad cell', async () => {
    const utf8 = Buffer.from(`${HEADER}\nCST-00004,renge,it@renge.example.jp,れんげ商事,,,,,,2026-05-01,,\n`);
    const error = await importer.importCsv(utf8, 'sjis').catch((e: unknown) => e);
    expect((error as MemberImportError).problems).toEqual([{ row: 2, column: 'company', message: 'looks like UTF-8, not Shift_JIS: drop --encoding sjis' }]);
    expect(await members.count()).toBe(0);
  });

  it('takes a lower-case club ID as the same member in upper case', async () => {
    await importer.importCsv(Buffer.from(`${HEADER}\n${ROW1.replace('CST-00001', 'cst-00001')}\n`));
    expect((await members.findByAddress('soc@himawari.example.jp'))?.clubId).toBe('CST-00001');
    expect(await importer.importCsv(Buffer.from('club_id,nickname\ncst-00001,ひまわり改\n'))).toEqual({ created: 0, updated: 1 });
    expect(await importer.importCsv(Buffer.from('club_id,nickname\nCST-00001,ひまわり改2\n'))).toEqual({ created: 0, updated: 1 });
    expect(await members.count()).toBe(1);
    expect((await members.findByClubIds(['cst-00001'], db.module.get(DataSource).manager)).map((m) => m.nickname)).toEqual(['ひまわり改2']);
  });

  it('says in whole sentences what a bad status or date must be', async () => {
    const error = await importer.importCsv(Buffer.from('club_id,contract_end,status\nCST-00001,2027/03/31,paused\n')).catch((e: unknown) => e);
    expect((error as Error).message).toBe('row 2, column contract_end: must be a date YYYY-MM-DD\nrow 2, column status: must be one of active, suspended, cancelled, expired');
  });
});
