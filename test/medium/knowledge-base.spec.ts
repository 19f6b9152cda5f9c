import { DataSource } from 'typeorm';
import { CalendarModule } from '@kkd/calendar';
import { Category, ConsultsModule, ConsultsService } from '@kkd/consults';
import { InboxModule, IntakeService } from '@kkd/inbox';
import {
  FaqEntry, FaqForbiddenError, FaqPromotionService, FaqRefusedError, FaqRepository, FaqSearchService, FaqWorkflowService, KnowledgeBaseModule,
} from '@kkd/knowledge-base';
import { MailModule } from '@kkd/mail';
import { IdentityMaskService, MemberImportService, MembershipModule } from '@kkd/membership';
import { StaffModule, StaffService, StaffUser } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule } from './support/real-db';

const HIMAWARI = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp', company: 'ひまわり精機株式会社' };
const SAKURA = { clubId: 'CST-00456', nickname: 'さくら', email: 'csirt@sakura.example.jp', company: 'さくら物産株式会社' };

const MEMBER_MAIL = [
  'お世話になっております。ひまわり精機の山田です。',
  '社員の PC 192.168.10.23 で Emotet の感染が疑われます。',
  '送信元は 198.51.100.7、ダウンロード元は 203.0.113.50 でした。どう対応すべきでしょうか。',
  '',
  '━━━━━━━━━━━━━━━━━━━━',
  'ひまわり精機株式会社 情報システム部',
  '山田 太郎 (Taro Yamada)',
  'TEL: ０３－１２３４－５６７８',
  'E-mail: t-yamada@himawari.example.jp',
  '〒100-0001 東京都千代田区千代田1-1-1',
  '━━━━━━━━━━━━━━━━━━━━',
].join('\n');
const FOLLOW_UP = ['EmoCheck を実行したところ検知されました。', '', '2026年11月24日(火) 10:00 駆け込み寺 <kakekomi@helpdesk.test>:', '> ひまわり 様', '> ご連絡ありがとうございます。'].join('\n');
const EXPERT_REPLY = 'ひまわり 様\n\nまず該当端末をネットワークから切り離してください。EmoCheck で Emotet の感染を確認し、'
  + 'さくら物産さんの事例と同様に、メールのパスワードを変更してください。203.0.113.50 への通信をプロキシのログで確認してください。';

describe('knowledge base on a real database', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let manager: StaffUser;
  let expert: StaffUser;
  beforeAll(async () => {
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule, KnowledgeBaseModule]);
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI, SAKURA])));
    manager = await db.module.get(StaffService).create({ email: 'manager@helpdesk.test', name: '管理 花子', role: 'manager' });
    expert = await db.module.get(StaffService).create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert' });
  });
  afterAll(async () => { await db.close(); });

  const promotion = () => db.module.get(FaqPromotionService);
  const workflow = () => db.module.get(FaqWorkflowService);
  const search = () => db.module.get(FaqSearchService);
  const consults = () => db.module.get(ConsultsService);
  const receive = async (subject: string, body: string, inReplyTo?: string) => {
    const mail = buildMail({ from: HIMAWARI.email, subject, body, inReplyTo });
    const outcome = await db.module.get(IntakeService).accept(Buffer.from(mail.raw), HIMAWARI.email);
    return { number: (outcome as { consultNumber: number }).consultNumber, messageId: mail.messageId };
  };
  /** A published entry written directly (as a reviewer would leave it). */
  const published = async (title: string, question: string, answer: string, category: Category = 'general') => {
    const now = new Date();
    const entry = await db.module.get(DataSource).getRepository(FaqEntry).save({
      status: 'review', category, title, question, answer, keepTerms: '[]', replacements: '[]', sourceConsultId: null, sourceMemberId: null,
      liveVersion: null, createdBy: expert.id, updatedBy: expert.id, createdAt: now, updatedAt: now,
    });
    return workflow().publish(entry.id, manager);
  };
  const ids = async (q: string, category?: Category) => (await search().search({ q, category })).map((r) => r.title);

  describe('promotion and workflow', () => {
    let number: number;
    let entryId: number;
    beforeAll(async () => {
      const first = await receive('[至急] Emotet 感染の疑い', MEMBER_MAIL);
      number = first.number;
      await receive('Re: [KKD#1] Emotet 感染の疑い', FOLLOW_UP, first.messageId);
      await consults().reply(number, expert, EXPERT_REPLY, 'open');
    });

    it('refuses a consult that is not resolved', async () => {
      await expect(promotion().promote(number, expert)).rejects.toBeInstanceOf(FaqRefusedError);
    });

    it('drafts an anonymised question and answer from a resolved consult, with its category, linked internally', async () => {
      await consults().update(number, { status: 'resolved', category: 'malware' }, expert);
      const entry = await promotion().promote(number, expert, ['203.0.113.50']);
      entryId = entry.id;
      expect(entry).toMatchObject({ status: 'draft', category: 'malware', title: '[至急] Emotet 感染の疑い', liveVersion: null });
      expect(entry.sourceConsultId).not.toBeNull();
      expect(entry.question).toContain('〔IPアドレス〕 で Emotet の感染が疑われます。');
      expect(entry.question).toContain('EmoCheck を実行したところ検知されました。');
      expect(entry.question).not.toMatch(/ひまわり|山田|Yamada|192\.168|198\.51\.100\.7|1234|himawari|〒|千代田|ご連絡ありがとうございます|━/);
      expect(entry.question).toContain('203.0.113.50'); // an indicator the expert kept
      expect(entry.answer).toContain('まず該当端末をネットワークから切り離してください。');
      expect(entry.answer).not.toMatch(/ひまわり|さくら物産/);
      expect(JSON.parse(entry.replacements)).toEqual(expect.arrayContaining([{ kind: 'company', original: 'ひまわり精機', token: '〔会社名〕' }]));
      await expect(promotion().promote(number, expert)).rejects.toThrow('既にFAQ');
    });

    it('lets only managers publish, keeps every published version, and edits make a new one', async () => {
      await expect(workflow().publish(entryId, expert)).rejects.toBeInstanceOf(FaqForbiddenError);
      await workflow().submit(entryId, expert);
      expect((await workflow().publish(entryId, manager))).toMatchObject({ status: 'published', liveVersion: 1 });
      expect(await ids('EmoCheck')).toEqual(['[至急] Emotet 感染の疑い']);

      const entry = await workflow().get(entryId);
      await workflow().edit(entryId, { title: 'Emotet に感染した疑いがあるとき', question: entry.question, answer: `${entry.answer}\n追記: JPCERT/CC の資料も参照してください。`, category: 'malware', keepTerms: ['203.0.113.50'] }, expert);
      expect((await workflow().get(entryId))).toMatchObject({ status: 'draft', liveVersion: 1 });
      expect(await ids('JPCERT')).toEqual([]); // members still read version 1
      expect(await ids('EmoCheck')).toEqual(['[至急] Emotet 感染の疑い']);

      await workflow().publish(entryId, manager);
      expect(await ids('JPCERT')).toEqual(['Emotet に感染した疑いがあるとき']);
      expect((await db.module.get(FaqRepository).versionsOf(entryId)).map((v) => [v.version, v.title])).toEqual([
        [2, 'Emotet に感染した疑いがあるとき'], [1, '[至急] Emotet 感染の疑い'],
      ]);
      await expect(workflow().publish(entryId, manager)).rejects.toBeInstanceOf(FaqRefusedError);
    });

    it.each([
      ['the asker\'s company', 'ひまわり精機さんの事例です。'],
      ['another member\'s company', 'さくら物産株式会社でも同様でした。'],
      ['a member contact person', '山田 太郎 さんに確認しました。'],
      ['an email address', '連絡先は soc@himawari.example.jp です。'],
      ['a phone number in full-width digits', '０３－１２３４－５６７８ までお電話ください。'],
      ['a private IP', '10.1.2.3 の端末です。'],
      ['a club ID', 'CST-00456 の相談です。'],
      ['a member IP not kept', '198.51.100.7 を遮断してください。'],
    ])('refuses to publish while the text still identifies a member: %s', async (_name, leak) => {
      const entry = await workflow().get(entryId);
      await workflow().edit(entryId, { title: entry.title, question: entry.question, answer: `${entry.answer}\n${leak}`, category: 'malware', keepTerms: ['203.0.113.50'] }, manager);
      await expect(workflow().publish(entryId, manager)).rejects.toThrow('会員を特定できる情報');
      await workflow().edit(entryId, { title: entry.title, question: entry.question, answer: entry.answer.replace(`\n${leak}`, ''), category: 'malware', keepTerms: ['203.0.113.50'] }, manager);
    });

    it('archives: members no longer find it', async () => {
      await workflow().archive(entryId, manager);
      expect(await ids('EmoCheck')).toEqual([]);
    });
  });

  describe('a draft holds no more of the member than the expert view', () => {
    const QA = { clubId: 'CST-00789', nickname: 'あおぞら', email: 'qa@aozora.example.jp', company: 'あおぞら精機株式会社' };
    const TEXT = 'あおぞら精機 品質保証部の山田です。\n横浜市西区みなとみらいの工場で、製造ラインの PC が不審な通信をしています。';
    let number: number;
    beforeAll(async () => {
      await db.module.get(MemberImportService).importCsv(Buffer.from(
        'club_id,nickname,email,company,department,contact_name,address,contract_start\n'
        + `${QA.clubId},${QA.nickname},${QA.email},${QA.company},品質保証部,山田 花子,神奈川県横浜市西区みなとみらい2-3-1,2026-04-01\n`,
      ));
      const mail = buildMail({ from: QA.email, subject: '製造ラインの不審な通信', body: TEXT });
      number = ((await db.module.get(IntakeService).accept(Buffer.from(mail.raw), QA.email)) as { consultNumber: number }).consultNumber;
      await consults().reply(number, expert, '該当 PC をネットワークから切り離してください。', 'open');
      await consults().update(number, { status: 'resolved' }, expert);
    });

    it('masks the department and the partial address the expert view masks, and lists them for the reviewer', async () => {
      const { consult } = await consults().detail(number);
      const expertView = (await db.module.get(IdentityMaskService).maskerFor(consult.memberId))(TEXT);
      expect(expertView).toBe('〔会社名〕 〔部署名〕の〔氏名〕です。\n〔住所〕の工場で、製造ラインの PC が不審な通信をしています。');
      const entry = await promotion().promote(number, expert);
      expect(entry.question).toBe(expertView);
      expect(JSON.parse(entry.replacements)).toEqual(expect.arrayContaining([
        { kind: 'department', original: '品質保証部', token: '〔部署名〕' }, { kind: 'address', original: '横浜市西区みなとみらい', token: '〔住所〕' },
      ]));
    });

    it('refuses to publish the department typed back', async () => {
      const entry = (await db.module.get(FaqRepository).activeForConsult((await consults().detail(number)).consult.id))!;
      await workflow().edit(entry.id, { title: entry.title, question: `${entry.question}\n品質保証部で確認しました。`, answer: entry.answer, category: entry.category, keepTerms: [] }, manager);
      await workflow().submit(entry.id, manager);
      await expect(workflow().publish(entry.id, manager)).rejects.toThrow('会員を特定できる情報が残っているため公開できません（部署名）');
    });
  });

  describe('Japanese search', () => {
    beforeAll(async () => {
      await published('ランサムウェアに感染した場合の初動', 'ファイルが暗号化され、身代金を要求する画面が出ました。', 'ネットワークから切り離し、電源は切らずに保全してください。', 'ransomware');
      await published('Emotet の感染確認方法', 'Emotet に感染していないか確認したい。', 'EmoCheck を使います。Emotet は再流行することがあります。', 'malware');
      await published('フィッシングメールを開いてしまった', 'メールのリンクを開いてパスワードを入力しました。', 'パスワードを変更してください。ランサムウェアの入口になることもあります。', 'phishing');
      await published('VPN 装置の脆弱性対応', 'VPN 装置の脆弱性が公表されました。', 'ファームウェアを更新し、IP アドレスの接続ログを確認してください。<script>alert(1)</script>', 'vulnerability');
      await published('標的型攻撃の相談窓口', '不審なメールの相談先は？', 'ランサムウェア、ランサムウェア、ランサムウェアの相談も受け付けます。', 'general');
    });

    it.each([
      ['katakana, title match first then frequency', 'ランサムウェア', ['ランサムウェアに感染した場合の初動', '標的型攻撃の相談窓口', 'フィッシングメールを開いてしまった']],
      ['full-width alphanumerics', 'Ｅｍｏｔｅｔ', ['Emotet の感染確認方法']],
      ['lower case Latin', 'emocheck', ['Emotet の感染確認方法']],
      ['half-width katakana', 'ﾊﾟｽﾜｰﾄﾞ', ['フィッシングメールを開いてしまった']],
      ['kanji, 2 characters (LIKE fallback)', '感染', ['Emotet の感染確認方法', 'ランサムウェアに感染した場合の初動']],
      ['kanji, 3 characters', '脆弱性', ['VPN 装置の脆弱性対応']],
      ['one character', '窓', ['標的型攻撃の相談窓口']],
      ['Latin, 2 characters', 'IP', ['VPN 装置の脆弱性対応']],
      ['mixed: two long terms, both required', 'VPN　ファームウェア', ['VPN 装置の脆弱性対応']],
      ['mixed: a long and a short term', 'ネットワーク 電源', ['ランサムウェアに感染した場合の初動']],
      ['no match', 'ゼロデイ', []],
    ])('%s: %s', async (_name, q, expected) => {
      expect(await ids(q)).toEqual(expected);
    });

    it('filters by category', async () => {
      expect(await ids('ランサムウェア', 'phishing')).toEqual(['フィッシングメールを開いてしまった']);
      expect(await ids('', 'malware')).toEqual(['Emotet の感染確認方法']);
    });

    it('highlights on the original spelling, escaped first', async () => {
      const [hit] = await search().search({ q: 'ip' });
      expect(hit.highlight.answer).toContain('<mark>IP</mark>');
      expect(hit.highlight.answer).toContain('&#60;scr<mark>ip</mark>t&#62;');
      expect(hit.highlight.answer).not.toContain('<script>');
      const [emotet] = await search().search({ q: 'Ｅｍｏｔｅｔ' });
      expect(emotet.highlight.title).toBe('<mark>Emotet</mark> の感染確認方法');
    });

    it('suggests entries that read like a new consult', async () => {
      const similar = await search().similarEntries('お世話になっております。ランサムウェアに感染したようで、ファイルが暗号化されました。', 3);
      expect(similar[0].title).toBe('ランサムウェアに感染した場合の初動');
      expect(await search().similarEntries('こんにちは', 3)).toEqual([]);
    });
  });
});
