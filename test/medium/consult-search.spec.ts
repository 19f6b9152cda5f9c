import { DataSource } from 'typeorm';
import { TrigramSearch } from '@kkd/core';
import { CalendarModule } from '@kkd/calendar';
import { ConsultListQuery, ConsultMergeService, ConsultsModule, ConsultsService, ConsultSearchIndexer } from '@kkd/consults';
import { InboxModule, IntakeService } from '@kkd/inbox';
import { MailModule } from '@kkd/mail';
import { ContractService, MemberImportService, MemberRepository, MembershipModule } from '@kkd/membership';
import { StaffModule, StaffService, StaffUser } from '@kkd/staff';
import { buildMail, membersCsv } from '@kkd/testing';
import { realDbModule } from './support/real-db';
// Not on the lib's public face: what ConsultsService.list hands `q` to, here with the viewer.
import { ConsultSearchService } from '../../libs/consults/src/consult-search.service';

const HIMAWARI = { clubId: 'CST-00123', nickname: 'ひまわり', email: 'soc@himawari.example.jp', company: 'ひまわり精機株式会社' };
const SAKURA = { clubId: 'CST-00456', nickname: 'さくら', email: 'csirt@sakura.example.jp', company: 'さくら物産株式会社' };
/** Members registered with full-width Latin, half-width katakana and ㈱, as some are typed in. */
const WIDE = { clubId: 'CST-00789', nickname: 'えびす', email: 'soc@abc-shoji.example.jp', company: 'ＡＢＣ商事', department: 'ｶﾌﾞｼｷｶﾞｲｼｬ ｼｽﾃﾑ部', contactName: 'Ｓｕｚｕｋｉ Ｈａｎａｋｏ' };
const NARROW = { clubId: 'CST-00790', nickname: 'みなと', email: 'csirt@xyz-logi.example.jp', company: '㈱XYZ物流', department: 'ジョウホウシステム部', contactName: 'Sato Jiro' };
const identityCsv = (rows: (typeof WIDE)[]) => ['club_id,nickname,email,company,department,contact_name,contract_start,status',
  ...rows.map((r) => [r.clubId, r.nickname, r.email, r.company, r.department, r.contactName, '2026-04-01', 'active'].join(','))].join('\n') + '\n';
const SIGNATURE = ['', '--', 'ひまわり精機株式会社 情報システム部', '山田 太郎', 'TEL: 03-1234-5678', 'E-mail: soc@himawari.example.jp'].join('\n');

describe('search across consults on a real database', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let expert: StaffUser;
  const n: Record<string, number> = {};

  const receive = async (from: string, subject: string, body: string, inReplyTo?: string) => {
    const mail = buildMail({ from, subject, body, inReplyTo });
    const outcome = await db.module.get(IntakeService).accept(Buffer.from(mail.raw), from);
    return { number: (outcome as { consultNumber: number }).consultNumber, messageId: mail.messageId };
  };
  const consults = () => db.module.get(ConsultsService);
  const index = () => db.module.get(ConsultSearchIndexer).catchUp();
  const search = (q: string, more: Partial<ConsultListQuery> = {}) => consults().list({ q, page: 1, pageSize: 50, order: 'relevance', ...more });
  const numbers = async (q: string, more: Partial<ConsultListQuery> = {}) => (await search(q, more)).items.map((c) => c.number);
  /** ConsultsService.list hands `q` to ConsultSearchService with the viewer: a manager sees identity, an expert does not. */
  const asViewer = (seesIdentity: boolean) => async (q: string, more: Partial<ConsultListQuery> = {}) =>
    (await db.module.get(ConsultSearchService).list({ q, page: 1, pageSize: 50, order: 'relevance', ...more }, { seesIdentity })).items.map((c) => c.number);
  const [asManager, asExpert] = [asViewer(true), asViewer(false)];
  const ofMember = async (clubId: string): Promise<number[]> => (await db.module.get(DataSource).query(
    `SELECT c.number FROM consults c JOIN members m ON m.id = c.member_id WHERE m.club_id = '${clubId}' ORDER BY c.received_at DESC, c.id DESC`,
  ) as { number: number | string }[]).map((r) => Number(r.number));

  beforeAll(async () => {
    db = await realDbModule([CalendarModule, MembershipModule, StaffModule, MailModule, ConsultsModule, InboxModule]);
    await db.module.get(MemberImportService).importCsv(Buffer.from(membersCsv([HIMAWARI, SAKURA])));
    expert = await db.module.get(StaffService).create({ email: 'expert@helpdesk.test', name: '専門 太郎', role: 'expert' });
    n.ransom = (await receive(HIMAWARI.email, 'ファイルが開けません', `社内のファイルサーバがランサムウェアに感染したようです。身代金を要求する画面が出ています。${SIGNATURE}`)).number;
    n.emotet = (await receive(SAKURA.email, '不審なメールの添付', '添付ファイルを開いたところ、ＥＭＯＴＥＴ（エモテット）の感染が疑われます。')).number;
    n.crypto = (await receive(SAKURA.email, '暗号化されたファイル', 'ファイルがすべて暗号化され、拡張子が変わりました。')).number;
    n.vpnBody = (await receive(SAKURA.email, '機器の相談', 'VPN装置のログを確認しています。VPN装置のファームウェアは古いままです。VPN装置の設定も見直し中です。')).number;
    n.vpnSubject = (await receive(HIMAWARI.email, 'VPN装置の脆弱性について', '至急ご確認ください。')).number;
    // Its body mentions another consult's number: a number search still finds that consult first.
    n.mentions = (await receive(SAKURA.email, '以前の相談の続き', `KKD#${n.emotet} の件、その後 ${n.emotet} 台の端末を確認しました。`)).number;
    await consults().reply(n.crypto, expert, 'バックアップからの復旧をご検討ください。暗号化の範囲を確認してください。', 'open');
    await consults().addNote(n.ransom, expert, '身代金は支払わない方針で助言する（内部メモ: 復号ツールの有無を確認）');
    await index();
  });
  afterAll(async () => { await db.close(); });

  it('finds Japanese words inside text without spaces, in inbound mail, replies and internal notes', async () => {
    expect(await numbers('ランサムウェア')).toEqual([n.ransom]);
    expect(await numbers('身代金')).toEqual([n.ransom]);
    expect(await numbers('復旧')).toEqual([n.crypto]);
    expect(await numbers('復号ツール')).toEqual([n.ransom]);
    expect(await numbers('ゼロデイ')).toEqual([]);
  });

  it('finds 2-character terms, alone and with a longer term (every term required)', async () => {
    expect((await numbers('暗号')).sort()).toEqual([n.crypto].sort());
    expect(await numbers('暗号 拡張子')).toEqual([n.crypto]);
    expect(await numbers('暗号 ランサムウェア')).toEqual([]);
    expect(await numbers('感染 ファイルサーバ')).toEqual([n.ransom]);
  });

  it('matches full-width, half-width and case variants of each other', async () => {
    expect(await numbers('emotet')).toEqual([n.emotet]);
    expect(await numbers('Ｅｍｏｔｅｔ')).toEqual([n.emotet]);
    expect(await numbers('ｴﾓﾃｯﾄ')).toEqual([n.emotet]);
    expect(await numbers('エモテット')).toEqual([n.emotet]);
    expect(await numbers('ｖｐｎ装置')).toEqual([n.vpnSubject, n.vpnBody]);
  });

  it('ranks a match in the subject above matches in the body', async () => {
    expect(await numbers('VPN装置')).toEqual([n.vpnSubject, n.vpnBody]);
  });

  it('finds a consult by number first, in every spelling', async () => {
    for (const q of [String(n.emotet), `#${n.emotet}`, `KKD#${n.emotet}`, String(n.emotet).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))]) {
      const { items, total } = await search(q);
      expect(items[0].number).toBe(n.emotet);
      expect(total).toBe(items.length);
    }
    // The consult whose body mentions the number comes after it.
    expect(await numbers(`KKD#${n.emotet}`)).toEqual([n.emotet, n.mentions]);
    expect(await numbers('99999')).toEqual([]);
  });

  it('applies the queue filters together with the search', async () => {
    expect(await numbers('VPN装置', { status: 'new' })).toEqual([n.vpnSubject, n.vpnBody]);
    expect(await numbers('暗号', { status: 'new' })).toEqual([]);
    expect(await numbers('暗号', { status: 'open' })).toEqual([n.crypto]);
    await consults().update(n.vpnBody, { category: 'vulnerability' }, expert);
    expect(await numbers('VPN装置', { category: 'vulnerability' })).toEqual([n.vpnBody]);
    expect(await numbers(String(n.emotet), { status: 'open' })).toEqual([]);
    expect((await search('VPN装置', { pageSize: 1 })).total).toBe(2);
    expect((await search('VPN装置', { pageSize: 1, page: 2 })).items.map((c) => c.number)).toEqual([n.vpnBody]);
  });

  it('orders by receipt when asked, the matches only', async () => {
    expect(await numbers('VPN装置', { order: 'newest' })).toEqual([n.vpnSubject, n.vpnBody]);
    expect(await numbers('VPN装置', { order: 'oldest' })).toEqual([n.vpnBody, n.vpnSubject]);
    expect((await search('暗号', { order: 'newest' })).total).toBe(1);
  });

  it('highlights the subject and a snippet of the messages, on the original spelling', async () => {
    const { items, highlights } = await search('ｴﾓﾃｯﾄ 感染');
    const h = highlights!.get(items[0].id)!;
    expect(h.subject).toEqual({ text: '不審なメールの添付', marks: [] });
    const marked = h.snippet!.marks.map(([s, e]) => h.snippet!.text.slice(s, e));
    expect(marked).toEqual(['エモテット', '感染']);
    const vpn = await search('ｖｐｎ装置');
    const subject = vpn.highlights!.get(vpn.items[0].id)!.subject!;
    expect(subject.marks.map(([s, e]) => subject.text.slice(s, e))).toEqual(['VPN装置']);
    expect(vpn.highlights!.get(vpn.items[0].id)!.snippet).toBeNull();
  });

  it('masks the member identity in subjects too, before and after indexing, and in the highlighted subject', async () => {
    const named = await receive(HIMAWARI.email, 'ひまわり精機のサーバー障害', '基幹サーバーが停止しています。');
    expect(await numbers('ひまわり精機')).toEqual([]);
    expect(await numbers('サーバー障害')).toEqual([named.number]);
    await index();
    expect(await numbers('ひまわり精機')).toEqual([]);
    const { items, highlights } = await search('サーバー障害');
    expect(items.map((c) => c.number)).toEqual([named.number]);
    const subject = highlights!.get(items[0].id)!.subject!;
    expect(subject.text).not.toContain('ひまわり精機');
    expect(subject.marks.map(([s, e]) => subject.text.slice(s, e))).toEqual(['サーバー障害']);
  });

  it('never holds the member identity: a company, person, phone or address finds nothing and never shows in a snippet', async () => {
    for (const q of ['ひまわり精機', '山田', '03-1234-5678', 'himawari.example.jp']) expect(await numbers(q)).toEqual([]);
    const rows: Record<string, string>[] = await db.module.get(DataSource).query('SELECT subject, body, heading, excerpt FROM consult_search');
    for (const row of rows) for (const leak of ['ひまわり精機', '03-1234-5678', 'soc@himawari']) expect(Object.values(row).join('\n')).not.toContain(leak);
    const { items, highlights } = await search('ランサムウェア');
    expect(highlights!.get(items[0].id)!.snippet!.text).not.toContain('ひまわり精機');
  });

  it('finds a new consult by subject at once, and by its body once indexed', async () => {
    const fresh = await receive(SAKURA.email, '新着のフィッシング報告', '偽のログイン画面に誘導するメールが届きました。');
    expect(await numbers('フィッシング報告')).toEqual([fresh.number]);
    expect((await search('フィッシング報告')).highlights!.get((await consults().get(fresh.number)).id)).toEqual({ subject: null, snippet: null });
    expect(await numbers('偽のログイン画面')).toEqual([]);
    const follow = await receive(SAKURA.email, `Re: [KKD#${fresh.number}] 新着のフィッシング報告`, '送信元ドメインは類似ドメインでした。', fresh.messageId);
    expect(follow.number).toBe(fresh.number);
    await index();
    expect(await numbers('偽のログイン画面')).toEqual([fresh.number]);
    expect(await numbers('類似ドメイン')).toEqual([fresh.number]);
  });

  it('moves the text with a merge: the target is found by the duplicate\'s words, the duplicate no longer by them', async () => {
    const target = await receive(HIMAWARI.email, '不正アクセスの疑い', '管理画面に見知らぬ IP からログインがありました。');
    const duplicate = await receive(HIMAWARI.email, '不正ログインの件（再送）', 'アクセスログを添付し忘れました。攻撃元は海外のようです。');
    await index();
    expect(await numbers('攻撃元')).toEqual([duplicate.number]);
    await db.module.get(ConsultMergeService).merge(duplicate.number, target.number, '同じ事案', expert);
    await index();
    expect(await numbers('攻撃元')).toEqual([target.number]);
    expect(await numbers('見知らぬ 攻撃元')).toEqual([target.number]);
    // The duplicate keeps its own subject.
    expect(await numbers('再送')).toEqual([duplicate.number]);
  });

  it('with many matches (tiered), ranks subject matches first, then newest first, and pages across the tiers', async () => {
    const dataSource = db.module.get(DataSource);
    const tiered = new TrigramSearch(dataSource, {
      table: 'consult_search', key: 'consult_id', fts: 'consult_fts', vocab: 'consult_fts_terms', columns: ['subject', 'body'], weights: [8, 1], tieredAbove: 1,
    });
    const idOf = async (number: number) => (await consults().get(number)).id;
    const [vpnSubject, vpnBody] = [await idOf(n.vpnSubject), await idOf(n.vpnBody)];
    if (dataSource.options.type === 'postgres') {
      // PostgreSQL ranks by its weights (no FTS5 tiers): the subject match first all the same.
      expect((await tiered.searchCounted({ terms: ['vpn装置'], limit: 10 })).hits.map((h) => h.key)).toEqual([vpnSubject, vpnBody]);
      return;
    }
    expect(await tiered.searchCounted({ terms: ['vpn装置'], limit: 10 })).toEqual({ hits: [{ key: vpnSubject, score: 2 }, { key: vpnBody, score: 1 }], total: 2 });
    expect((await tiered.searchCounted({ terms: ['vpn装置'], limit: 1, offset: 1 })).hits.map((h) => h.key)).toEqual([vpnBody]);
    // 2-character terms as the trigrams that begin with them; newest first within a tier.
    const crypto = await tiered.searchCounted({ terms: ['暗号'], limit: 10 });
    expect(crypto.hits.map((h) => h.key)).toEqual([await idOf(n.crypto)]);
    // In the subject of the ransom and crypto consults (the newer first), in the body of the emotet one.
    expect((await tiered.searchCounted({ terms: ['ファイル'], limit: 10 })).hits.map((h) => h.key)).toEqual(
      [await idOf(n.crypto), await idOf(n.ransom), await idOf(n.emotet)],
    );
    expect(await tiered.searchCounted({ terms: ['ぬゑ'], limit: 10 })).toEqual({ hits: [], total: 0 });
  });

  it('finds a manager the consults of a member named by company, contact or address; an expert exactly what the index holds', async () => {
    const himawariFair = await receive(HIMAWARI.email, '物産展サイトの改ざん', '出店中の物産展サイトが書き換えられています。');
    const sakuraOwn = await receive(SAKURA.email, '物産展サイトの件（当社分）', '当社の物産展ページも確認中です。');
    await index();
    const himawari = await ofMember(HIMAWARI.clubId);
    const sakura = await ofMember(SAKURA.clubId);
    expect(himawari.length).toBeGreaterThan(2);

    // The company, any case of an address, the contact name as written: every consult of the member, newest first.
    expect(await asManager('ひまわり精機')).toEqual(himawari);
    expect(await asManager('SOC@Himawari.example.jp')).toEqual(himawari);
    expect(await asManager('csirt@sakura')).toEqual(sakura);
    expect((await asManager('山田 太郎')).sort()).toEqual([...himawari, ...sakura].sort());
    expect(await asManager('ひまわり精機 csirt')).toEqual([]); // every term, in the same member
    // Text matches first (best first), then the other consults of the member whose company holds the word.
    const textHits = await asExpert('物産展');
    expect(textHits.sort()).toEqual([himawariFair.number, sakuraOwn.number].sort());
    expect(await asManager('物産')).toEqual([...(await asExpert('物産')), ...sakura.filter((n) => !textHits.includes(n))]);
    // Pages run across both tiers; the queue's filters and the other orders apply to identity matches too.
    const all = await asManager('物産');
    expect(await asManager('物産', { pageSize: 2, page: 2 })).toEqual(all.slice(2, 4));
    expect((await db.module.get(ConsultSearchService).list({ q: '物産', page: 1, pageSize: 2, order: 'relevance' }, { seesIdentity: true })).total).toBe(all.length);
    expect(await asManager('csirt@sakura', { status: 'open' })).toEqual([n.crypto]);
    expect(await asManager('ひまわり精機', { order: 'oldest' })).toEqual([...himawari].reverse());

    // An expert never finds a member by identity: the same queries find what the masked index holds.
    for (const q of ['ひまわり精機', 'SOC@Himawari.example.jp', 'csirt@sakura', '山田 太郎']) expect(await asExpert(q)).toEqual([]);
    expect(await asExpert('物産')).toEqual(await numbers('物産'));
    expect(await numbers('ひまわり精機')).toEqual([]); // ConsultsService.list: the expert's search
  });

  it('finds a manager a member by identity in any width and case, and by the details as they are now', async () => {
    await db.module.get(MemberImportService).importCsv(Buffer.from(identityCsv([WIDE, NARROW])));
    const wide = [(await receive(WIDE.email, '不審なログイン', '管理画面への不審なログインがありました。')).number];
    const narrow = [(await receive(NARROW.email, 'サーバの停止', '倉庫管理サーバが停止しました。')).number];
    await index();

    // Registered full-width or half-width, searched in the other width or case; ㈱ by any spelling of 株式会社.
    for (const q of ['abc商事', 'ABC商事', 'ａｂｃ商事', 'カブシキガイシャ', 'ｼｽﾃﾑ部 abc', 'hanako SUZUKI', 'ＳＯＣ＠ａｂｃ－ｓｈｏｊｉ']) expect([q, await asManager(q)]).toEqual([q, wide]);
    for (const q of ['xyz物流', 'ＸＹＺ物流', '(株)xyz', 'xyz物流株式会社', 'ｼﾞｮｳﾎｳｼｽﾃﾑ', 'ＳＡＴＯ jiro', 'CSIRT@XYZ-LOGI']) expect([q, await asManager(q)]).toEqual([q, narrow]);
    expect(await asManager('ａｂｃ商事 ｘｙｚ')).toEqual([]); // every term, in the same member
    expect(await asManager('abc', { order: 'newest' })).toEqual(wide); // the other orders match the same way
    for (const q of ['abc商事', 'カブシキガイシャ', 'xyz物流']) expect(await asExpert(q)).toEqual([]);

    // members:import renames the company: found by the new name only.
    await db.module.get(MemberImportService).importCsv(Buffer.from(identityCsv([{ ...WIDE, company: 'ＤＥＦホールディングス' }])));
    expect(await asManager('defホールディングス')).toEqual(wide);
    expect(await asManager('ﾎｰﾙﾃﾞｨﾝｸﾞｽ')).toEqual(wide);
    expect(await asManager('abc商事')).toEqual([]);
    expect(await asManager('カブシキガイシャ')).toEqual(wide); // the department is unchanged

    // The console edit replaces the addresses: the added one finds the member, the one removed does not.
    const admin = await db.module.get(StaffService).create({ email: 'admin@helpdesk.test', name: '管理 一郎', role: 'admin' });
    const [member] = await db.module.get(MemberRepository).findByClubIds([NARROW.clubId], db.module.get(DataSource).manager);
    await db.module.get(ContractService).updateDetails(member.id, {
      nickname: member.nickname, company: member.company, department: member.department, contactName: member.contactName, phone: member.phone,
      postalCode: member.postalCode, address: member.address, emails: ['Security@Minato-Soko.example.jp'], contractStart: member.contractStart, contractEnd: member.contractEnd,
    }, admin);
    expect(await asManager('ｓｅｃｕｒｉｔｙ＠ｍｉｎａｔｏ')).toEqual(narrow);
    expect(await asManager('csirt@xyz-logi')).toEqual([]);
    expect(await asManager('xyz物流')).toEqual(narrow);
    await index(); // the identity changes marked these consults for a rebuild
  });

  it('finds every viewer all consults of a member named by club ID or nickname, as the queue shows them', async () => {
    const sakura = await ofMember(SAKURA.clubId);
    const himawari = await ofMember(HIMAWARI.clubId);
    expect(sakura.length).toBeGreaterThan(3);
    // Club ID in any case and width, the nickname, part of it, and the queue's display form.
    for (const q of ['CST-00456', 'cst-00456', 'ＣＳＴ－００４５６', 'さくら', 'さく', 'さくら CST-00456']) {
      expect([q, (await asExpert(q)).sort()]).toEqual([q, [...sakura].sort()]);
      expect([q, (await asManager(q)).sort()]).toEqual([q, [...sakura].sort()]);
    }
    expect((await asExpert('CST-00123')).sort()).toEqual([...himawari].sort());
    // Text matches first, then the member's other consults, newest first; the other orders too.
    const textHits = await numbers('暗号');
    expect(await asExpert('暗号')).toEqual(textHits);
    expect(await asExpert('さくら', { order: 'newest' })).toEqual(sakura);
    expect(await asExpert('cst-00456', { status: 'open' })).toEqual([n.crypto]);
    expect((await db.module.get(ConsultSearchService).list({ q: 'さくら', page: 2, pageSize: 2, order: 'relevance' }, { seesIdentity: false })).items.map((c) => c.number))
      .toEqual(sakura.slice(2, 4));
    // Terms naming no member (part of a club ID, an unknown one, more than the nickname, two members at once) find nothing extra.
    for (const q of ['CST-004', 'CST-00999', 'さくらんぼ', 'さくら CST-00123']) expect([q, await asExpert(q)]).toEqual([q, []]);
    // Still never by identity for an expert.
    for (const q of ['さくら物産', 'csirt@sakura.example.jp', '山田 太郎']) expect([q, await asExpert(q)]).toEqual([q, []]);
  });

  it('catches up from its watermark: a second run finds nothing to do', async () => {
    expect(await db.module.get(ConsultSearchIndexer).catchUp()).toMatchObject({ consults: 0, caughtUp: true });
    const [{ m }] = await db.module.get(DataSource).query('SELECT MAX(id) AS m FROM messages');
    expect((await db.module.get(ConsultSearchIndexer).catchUp()).watermark).toBe(Number(m));
  });
});
