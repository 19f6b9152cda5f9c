import iconv from 'iconv-lite';
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
    ['a missing required column', `club_id,nickname,email\nCST-1,a,b@c.example.jp`, 1, 'company'],
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
    await expect(importer.importCsv(sjis)).rejects.toThrow(/not valid UTF-8/);
  });
});
