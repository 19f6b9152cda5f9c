import { DataSource } from 'typeorm';
import { IdentityMaskService, Member, MemberImportService, MemberRepository, MembershipModule } from '@kkd/membership';
import { realDbModule } from './support/real-db';

const HEADER = 'club_id,nickname,email,company,department,contact_name,phone,postal_code,address,contract_start';
const ROW = 'CST-00001,ひまわり,soc@himawari-seiki.example.jp,ひまわり精機株式会社,情報システム部,山田 太郎,03-1234-5678,100-0005,東京都千代田区丸の内1-2-3,2026-04-01';
const MAIL = 'ひまわり精機の山田です。198.51.100.7 から通信。\n連絡先: soc@himawari-seiki.example.jp / new-soc@aoba-holdings.example.jp';

describe('IdentityMaskService on a real database', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let masks: IdentityMaskService;
  let memberId: number;
  beforeEach(async () => {
    db = await realDbModule([MembershipModule]);
    masks = db.module.get(IdentityMaskService);
    await db.module.get(MemberImportService).importCsv(Buffer.from(`${HEADER}\n${ROW}\n`));
    memberId = (await db.module.get(MemberRepository).findByAddress('soc@himawari-seiki.example.jp'))!.id;
  });
  afterEach(async () => { await db.close(); });

  it('masks the member\'s registered identity and keeps the indicators', async () => {
    const mask = await masks.maskerFor(memberId);
    expect(mask(MAIL)).toBe('〔会社名〕の〔氏名〕です。198.51.100.7 から通信。\n連絡先: 〔メールアドレス〕 / new-soc@aoba-holdings.example.jp');
  });

  it('builds a member\'s masker once, and again when the member\'s details or addresses change', async () => {
    const first = await masks.maskerFor(memberId);
    expect(await masks.maskerFor(memberId)).toBe(first);
    const changed = ROW.replace('ひまわり精機株式会社', 'あおばホールディングス株式会社').replace('soc@himawari-seiki.example.jp', 'soc@himawari-seiki.example.jp;new-soc@aoba-holdings.example.jp');
    await db.module.get(MemberImportService).importCsv(Buffer.from(`${HEADER}\n${changed}\n`));
    const second = await masks.maskerFor(memberId);
    expect(second).not.toBe(first);
    expect(second('あおばホールディングスの件、new-soc@aoba-holdings.example.jp')).toBe('〔会社名〕の件、〔メールアドレス〕');
  });

  it('reads the member in the caller\'s transaction', async () => {
    await db.module.get(DataSource).transaction(async (em) => {
      await em.getRepository(Member).update({ id: memberId }, { contactName: '佐藤 花子' });
      expect((await masks.maskerFor(memberId, em))('佐藤 花子です')).toBe('〔氏名〕です');
    });
  });

  it('still masks by pattern for a member who is gone', async () => {
    expect((await masks.maskerFor(999_999))('TEL 03-9999-0000、〒105-0011')).toBe('TEL 〔電話番号〕、〔郵便番号〕');
  });
});
