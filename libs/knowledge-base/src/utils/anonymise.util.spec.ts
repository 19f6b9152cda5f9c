import { identityMasker, MemberIdentity } from '@kkd/membership';
import { anonymise, IdentityContext, identityFindings, publicIpsIn } from './anonymise.util';

const CONTEXT: IdentityContext = {
  nickname: 'ひまわり',
  clubIds: ['CST-00123', 'CST-00456'],
  companies: ['ひまわり精機株式会社', 'さくら物産株式会社', '株式会社もみじ銀行', 'ＡＢＣ商事株式会社'],
  personNames: ['山田 太郎', '佐藤 花子'],
  domains: ['himawari.example.jp', 'sakura.example.jp'],
  addresses: ['東京都千代田区千代田1-1-1'],
  memberIps: ['198.51.100.23', '203.0.113.77'],
  keep: ['203.0.113.77', 'hxxp://evil[.]example[.]net/payload.exe'],
};

/** [scenario, input, what must be gone, what must stay] */
const cases: Array<[string, string, string[], string[]]> = [
  ['Outlook signature framed by ━━━ with company, department, name, romaji, TEL/FAX, mail, address', [
    '不審なメールを開いてしまいました。',
    '',
    '━━━━━━━━━━━━━━━━━━━━',
    'ひまわり精機株式会社',
    '情報システム部 セキュリティ課',
    '山田 太郎 (Taro Yamada)',
    'TEL: 03-1234-5678 / FAX: 03-1234-5679',
    'E-mail: t-yamada@himawari.example.jp',
    '〒100-0001 東京都千代田区千代田1-1-1 ひまわりビル5F',
    '━━━━━━━━━━━━━━━━━━━━',
  ].join('\n'), ['ひまわり精機', '山田', 'Taro', 'Yamada', '03-1234-5678', '03-1234-5679', 't-yamada', 'himawari.example.jp', '100-0001', '千代田区'],
  ['不審なメールを開いてしまいました。', '情報システム部', '〔会社名〕', '〔氏名〕', '〔電話番号〕', '〔メールアドレス〕', '〔郵便番号〕', '〔住所〕']],
  ['"--" signature with full-width digits and hyphens, (株) form, no space in the name', [
    'ご確認をお願いします。', '--', '（株）さくら物産　総務部', '佐藤花子', 'ＴＥＬ：０３－９８７６－５４３２', '携帯 090-1111-2222',
  ].join('\n'), ['さくら物産', '佐藤', '花子', '０３－９８７６－５４３２', '090-1111-2222'], ['ご確認をお願いします。', '総務部']],
  ['a company that is not a member, in a footer: another legal form', [
    'よろしくお願いいたします。', '', '-----', '株式会社テスト運輸 システム課', '鈴木 一郎', 'Tel 045-111-2222', '-----',
  ].join('\n'), ['テスト運輸', '鈴木', '045-111-2222'], ['よろしくお願いいたします。']],
  ['honorifics: 様, さん, 殿, 氏, with and without spaces', '山田様、鈴木 一郎 様、高橋さん、田中殿、伊藤氏、ヤマダさん、Tanaka-san、Mr. Suzuki にご連絡しました。',
    ['山田', '鈴木', '一郎', '高橋', '田中', '伊藤', 'ヤマダ', 'Tanaka', 'Suzuki'], ['にご連絡しました。']],
  ['words before 様 that are no name stay: 皆様, お客様, ご担当者様, 同様, 仕様, 貴社様', '皆様、お客様、ご担当者様へ。同様の仕様です。貴社様にも。',
    [], ['皆様', 'お客様', 'ご担当者様', '同様', '仕様', '貴社様']],
  ['self-introduction and a closing name on the last line', 'お世話になっております。ひまわり精機の山田です。\n端末を隔離しました。\n\n山田',
    ['ひまわり精機', '山田'], ['端末を隔離しました。', '〔会社名〕の〔氏名〕です。']],
  ['と申します and a labelled name', '情報システム部の木村と申します。\n報告者：小林 誠\n', ['木村', '小林'], ['情報システム部の']],
  ['nickname and club ID as the console shows them', 'ひまわり CST-00123 からの相談です。CST-00456 も同様。', ['ひまわり', 'CST-00123', 'CST-00456'], ['からの相談です。']],
  ['every member\'s company, not only the asker\'s, with variants', 'さくら物産㈱ と もみじ銀行 と ＡＢＣ商事 に確認。', ['さくら物産', 'もみじ銀行', 'ＡＢＣ商事'], ['に確認。']],
  ['email addresses of anyone, also defanged', '送信元は attacker@evil.example.com 、宛先は soc[at]himawari.example.jp でした。',
    ['attacker@evil.example.com', 'soc[at]himawari'], ['送信元は', '〔メールアドレス〕']],
  ['phone numbers in Japanese formats', '電話 (03)1234-5678、0120-123-456、+81-90-1234-5678、０６（１２３４）５６７８、0312345678。',
    ['1234-5678', '0120-123-456', '+81-90-1234-5678', '５６７８', '0312345678'], ['電話']],
  ['dates, versions and counts are not phone numbers', '2026-11-24 10:00 に v1.2.3 を適用、100件のログ。', [], ['2026-11-24', 'v1.2.3', '100件']],
  ['member URLs and host names go; other URLs stay', '社内ポータル https://portal.himawari.example.jp/login と vpn.himawari.example.jp、参考: https://www.jpcert.or.jp/',
    ['portal.himawari', 'vpn.himawari'], ['https://www.jpcert.or.jp/', '〔URL〕', '〔ホスト名〕']],
  ['private IPs always; member IPs unless kept; other public IPs stay', '10.0.1.5, 172.20.3.4, 192.168.10.20, 198.51.100.23 と 203.0.113.77、8.8.8.8、172.32.0.1',
    ['10.0.1.5', '172.20.3.4', '192.168.10.20', '198.51.100.23'], ['203.0.113.77', '8.8.8.8', '172.32.0.1']],
  ['a marked IOC URL stays', 'ダウンロード元は hxxp://evil[.]example[.]net/payload.exe です。', [], ['hxxp://evil[.]example[.]net/payload.exe']],
  ['addresses with prefecture, and a bare ward address', '所在地は大阪府大阪市北区梅田1丁目2番3号、別拠点は港区芝公園4-2-8 です。東京都内の拠点です。',
    ['梅田', '芝公園'], ['所在地は', '東京都内の拠点です。']],
  ['a mobile footer', '至急ご確認ください。\n\niPhoneから送信', [], ['至急ご確認ください。']],
];

describe('anonymise', () => {
  it.each(cases)('%s', (_name, input, gone, stay) => {
    const { text } = anonymise(input, CONTEXT);
    for (const g of gone) expect(text).not.toContain(g);
    for (const s of stay) expect(text).toContain(s);
  });

  it('lists each replacement with its kind and original', () => {
    const { replacements } = anonymise('山田様、ひまわり精機株式会社の件（03-1234-5678）', CONTEXT);
    expect(replacements).toEqual(expect.arrayContaining([
      { kind: 'person', original: '山田', token: '〔氏名〕' },
      { kind: 'company', original: 'ひまわり精機株式会社', token: '〔会社名〕' },
      { kind: 'phone', original: '03-1234-5678', token: '〔電話番号〕' },
    ]));
  });

  it('is idempotent: an anonymised text has nothing left to find', () => {
    const once = anonymise(cases.map((c) => c[1]).join('\n\n'), CONTEXT).text;
    expect(identityFindings(once, CONTEXT)).toEqual([]);
    expect(anonymise(once, CONTEXT).text).toBe(once);
  });

  it('finds identity a reviewer typed back, but not a vendor\'s company name', () => {
    expect(identityFindings('ひまわり精機さんの事例です', CONTEXT).map((f) => f.kind)).toEqual(['company']);
    expect(identityFindings('株式会社ラックの報告によると', CONTEXT)).toEqual([]);
  });

  describe('with the asking member\'s identity: never more of the member than the expert view shows', () => {
    const member: MemberIdentity = {
      company: 'ひまわり精機株式会社', department: '品質保証部', contactName: '山田 花子', phone: null, postalCode: null,
      address: '神奈川県横浜市西区みなとみらい2-3-1', emails: ['qa@himawari.example.jp'],
    };
    const withMember: IdentityContext = { ...CONTEXT, member, addresses: [...CONTEXT.addresses, member.address!] };
    const text = 'ひまわり精機 品質保証部の山田です。横浜市西区みなとみらいの工場で 198.51.100.23 から不審な通信がありました。';

    it('masks the department and the partial address as the expert view does, then anonymises', () => {
      const expertView = identityMasker(member)(text);
      const { text: out, replacements } = anonymise(text, withMember);
      expect(expertView).toBe('〔会社名〕 〔部署名〕の〔氏名〕です。〔住所〕の工場で 198.51.100.23 から不審な通信がありました。');
      expect(out).toBe('〔会社名〕 〔部署名〕の〔氏名〕です。〔住所〕の工場で 〔IPアドレス〕 から不審な通信がありました。');
      expect(replacements).toEqual(expect.arrayContaining([
        { kind: 'department', original: '品質保証部', token: '〔部署名〕' }, { kind: 'address', original: '横浜市西区みなとみらい', token: '〔住所〕' },
        { kind: 'company', original: 'ひまわり精機', token: '〔会社名〕' }, { kind: 'ip', original: '198.51.100.23', token: '〔IPアドレス〕' },
      ]));
    });

    it('takes no common noun after the department for a name', () => {
      const { text: out, replacements } = anonymise('品質保証部の事例です。担当：未定、報告者：調査中', withMember);
      expect(out).toBe('〔部署名〕の事例です。担当：未定、報告者：調査中');
      expect(replacements.map((r) => r.kind)).toEqual(['department']);
    });

    it.each(['横浜市西区 みなとみらい２－３－１', '神奈川県横浜市西区　みなとみらい2丁目3番1号'])('masks the whole address written with a space: %s', (written) => {
      expect(anonymise(`所在地：${written}`, withMember).text).toBe('所在地：〔住所〕');
    });

    it('refuses to publish the department typed back', () => {
      expect(identityFindings('品質保証部で起きた事例を紹介します。', withMember).map((f) => f.kind)).toEqual(['department']);
      expect(identityFindings('品質保証部で起きた事例を紹介します。', CONTEXT)).toEqual([]);
    });
  });

  it.each<[string, string]>([
    ['a common noun after a token', '〔部署名〕の件です。〔会社名〕の対応状況です。'],
    ['titles and trades with an honorific', '部長様と現地調査様と弁護士様に相談しました。'],
  ])('keeps %s', (_name, text) => {
    expect(anonymise(text, CONTEXT).text).toBe(text);
  });

  it('keeps a role before a name and masks the name', () => {
    expect(anonymise('セキュリティ担当 鈴木様、情報システム部長 佐藤様', CONTEXT).text).toBe('セキュリティ担当 〔氏名〕様、情報システム部長 〔氏名〕様');
  });

  it('collects the public IPs of a member\'s mail', () => {
    expect(publicIpsIn('10.0.0.1 と 198.51.100.23、２０３．０．１１３．７７')).toEqual(['198.51.100.23', '203.0.113.77']);
  });

  it('stays fast with every member of a large club in the context', () => {
    const big: IdentityContext = { ...CONTEXT, clubIds: [], companies: [], personNames: [], domains: [], addresses: [] };
    for (let i = 0; i < 3000; i++) {
      big.clubIds.push(`CST-${i}`); big.companies.push(`会員${i}工業株式会社`); big.personNames.push(`山田 ${i}郎`);
      big.domains.push(`m${i}.example.jp`); big.addresses.push(`東京都千代田区千代田${i}-1-1`);
    }
    const text = cases.map((c) => c[1]).join('\n\n').repeat(10) + '\n(株)会員2999工業 の 山田 2999郎 様';
    const started = Date.now();
    const { text: out } = anonymise(text, big);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(out).toContain('〔会社名〕 の 〔氏名〕 様');
  });

  it('stays linear on hostile input', () => {
    const started = Date.now();
    anonymise(`${'山'.repeat(20000)}様 ${'1-'.repeat(20000)} ${'a.'.repeat(20000)}`, CONTEXT);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('anonymise: what the outside tester found (look-alike hosts, IPv6, other companies)', () => {
  const member: MemberIdentity = {
    company: 'さくら工業株式会社', department: null, contactName: '山﨑 花子', phone: null, postalCode: null, address: null, emails: ['it@sakura-kogyo.example.jp'],
  };
  const sakura: IdentityContext = {
    nickname: null, member, clubIds: ['CST-00777'], companies: ['さくら工業株式会社'], personNames: ['山﨑 花子'], domains: ['sakura-kogyo.example.jp'],
    addresses: [], memberIps: [], keep: ['2001:db8::dead:beef'],
  };
  const run = (text: string) => anonymise(text, sakura).text;

  it.each<[string, string, string]>([
    ['a URL whose host holds the member domain inside an attacker\'s', 'https://login.sakura-kogyo.example.jp.evil.example/ で入力', 'https://〔ホスト名〕/ で入力'],
    ['a bare look-alike host', 'login.sakura-kogyo.example.jp.evil.example へ接続', '〔ホスト名〕 へ接続'],
    ['the member domain as the first labels of another host', 'sakura-kogyo.example.jp.attacker.example', '〔ホスト名〕'],
    ['a compressed IPv6 address', '送信元 2001:db8::1 から', '送信元 〔IPアドレス〕 から'],
    ['a full IPv6 address with a prefix', '2001:0db8:0000:0000:0000:0000:0000:0001/64 を遮断', '〔IPアドレス〕 を遮断'],
    ['an IPv6 address with a zone', 'fe80::1%eth0 で待受', '〔IPアドレス〕 で待受'],
    ['loopback and an IPv4 tail', '::1 と ::ffff:192.0.2.1。', '〔IPアドレス〕 と 〔IPアドレス〕。'],
    ['an IPv6 address in full-width', '２００１：ｄｂ８：：１', '〔IPアドレス〕'],
    ['a company after ㈱, as a whole, and the person after it', '㈱東洋システム開発 佐藤様 より', '〔会社名〕 〔氏名〕様 より'],
    ['a company with hiragana after 株式会社, up to the particle', '株式会社みずほテック開発の件', '〔会社名〕の件'],
    ['a company with hiragana before 有限会社, from the word\'s start', '【あおば商会有限会社】ご案内', '【〔会社名〕】ご案内'],
    ['a company before (株)', '取引先は東洋システム開発(株)です', '取引先は〔会社名〕です'],
  ])('masks %s', (_scenario, input, expected) => {
    expect(run(input)).toBe(expected);
  });

  it.each<[string, string]>([
    ['times and durations', '10:00 に検知、12:30:45 に遮断、比率は 3:1 でした。'],
    ['a MAC address', '端末 00:1a:2b:3c:4d:5e を隔離'],
    ['C++ and Ruby scopes and a bare ::', 'std::vector と Foo::Bar と :: の記法'],
    ['a host that only ends like the member domain', 'kogyo.example.jp と my-sakura-kogyo.example.jp.evil.example'],
    ['a host holding the member domain\'s labels only in part', 'sakura-kogyo.example.evil.example'],
    ['an IPv6 address an expert kept as an indicator', '攻撃元 2001:db8::dead:beef'],
    ['株式会社 followed by a particle', '株式会社として対応します。'],
  ])('leaves %s', (_scenario, input) => {
    expect(run(input)).toBe(input);
  });

  it('masks the contact\'s family name standing alone in a subject', () => {
    expect(run('【さくら工業 山﨑】サーバ侵害の疑い（it@sakura-kogyo.example.jp）')).toBe('【〔会社名〕 〔氏名〕】サーバ侵害の疑い（〔メールアドレス〕）');
  });
});
