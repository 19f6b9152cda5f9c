import { Category, Priority, CATEGORIES, PRIORITIES } from '@kkd/consults';
import { DEFAULT_TRIAGE_RULES } from './default-triage-rules';
import { normalizeForMatch } from './normalize-text.util';
import { compileTriageRules, scoreTriage, TriageRule } from './score-triage.util';

const rule = (term: string, category: Category | null, priority: Priority | null, weight: number): TriageRule => ({ term, category, priority, weight });

const RULES = compileTriageRules([
  rule('ランサムウェア', 'ransomware', null, 5),
  rule('ransomware', 'ransomware', null, 5),
  rule('暗号化', 'ransomware', null, 2),
  rule('ウイルス', 'malware', null, 2),
  rule('マルウェア', 'malware', null, 4),
  rule('フィッシング', 'phishing', null, 4),
  rule('rat', 'malware', null, 3),
  rule('ddos', 'ddos', null, 5),
  rule('cve', 'vulnerability', null, 5),
  rule('dark web', 'data_leak', null, 4),
  rule('e-mail', 'phishing', null, 1),
  rule('.lockbit', 'ransomware', null, 5),
  rule('至急', null, 'urgent', 4),
  rule('訓練', null, 'urgent', -5),
  rule('被害拡大', null, 'high', 4),
  rule('質問', null, 'low', 2),
  rule('教えてください', null, 'low', 2),
  rule('感染し', null, 'normal', 1),
]);

const triage = (subject: string, body = '') => scoreTriage(RULES, { subject, body });

describe('scoreTriage', () => {
  it.each([
    ['no match', '会費の請求書について', 'よろしくお願いします', 'general', 'normal'],
    ['Japanese term in the body', '相談', 'ランサムウェアに感染しました', 'ransomware', 'normal'],
    ['English term, any case', 'Ransomware on file server', '', 'ransomware', 'normal'],
    ['full-width Latin', 'ＲＡＮＳＯＭＷＡＲＥ被害', '', 'ransomware', 'normal'],
    ['half-width katakana', 'ﾗﾝｻﾑｳｪｱ', '', 'ransomware', 'normal'],
    ['hiragana spelling', 'らんさむうぇあ', '', 'ransomware', 'normal'],
    ['priority term', '至急 ウイルス', '', 'malware', 'urgent'],
    ['weak ウイルス does not beat a clear ransomware term', 'ウイルス', 'ランサムウェアかもしれません', 'ransomware', 'normal'],
    ['subject counts twice: 2×2 beats 2 (tie would go to ransomware)', 'ウイルス', '暗号化', 'malware', 'normal'],
    ['equal totals: the earlier category wins', '報告', 'フィッシング マルウェア', 'malware', 'normal'],
    ['equal totals, other order', 'マルウェア フィッシング', '', 'malware', 'normal'],
    ['priority tie goes to the more urgent level', '被害拡大', '質問', 'general', 'high'],
    ['negative weight cancels urgency', '至急: 訓練のお知らせ', '', 'general', 'normal'],
    ['negative weight only (no positive total)', '訓練', '', 'general', 'normal'],
    ['negative weight leaves another level the winner', '訓練 至急 質問', '', 'general', 'low'],
    ['low outweighing an incident term does not win', '質問', '感染しました。教えてください', 'general', 'normal'],
    ['low wins when nothing else is positive', '質問', '教えてください', 'general', 'low'],
    ['a cancelled urgent term does not keep low off', '訓練の質問', '至急', 'general', 'low'],
    ['a rule counts once even when in both fields', 'ddos', 'ddos ddos ddos', 'ddos', 'normal'],
    ['substring term with punctuation', '拡張子が.lockbitに変わった', '', 'ransomware', 'normal'],
  ])('%s', (_name, subject, body, category, priority) => {
    const result = triage(subject, body);
    expect([result.category, result.priority]).toEqual([category, priority]);
  });

  it.each([
    ['"rat" is not inside "separate"', 'please separate the logs', false],
    ['"rat" inside "ratio"', 'ratio', false],
    ['"rat" as a word', 'found a RAT on PC', true],
    ['"rat" next to kana', 'RATが見つかった', true],
    ['"rat" between kanji', '遠隔操作型RAT検知', true],
    ['"rat" after a digit', '2rat', false],
    ['"rat" before an accented letter', 'raté', false],
    ['"rat" with punctuation', '(rat)', true],
    ['"ddos" next to kanji', 'DDoS攻撃', true],
    ['full-width "ddos"', 'ＤＤｏＳ', true],
    ['"ddos" inside a longer word', 'antiddos', false],
    ['"cve" before a hyphen', 'CVE-2026-12345', true],
    ['"cve" inside a word', 'cvedb', false],
    ['a multi-word term across a line break', 'found on the DARK\n  WEB today', true],
    ['a hyphenated term', 'an E-Mail arrived', true],
    ['a hyphenated term, hyphen missing', 'an email arrived', false],
  ])('word boundary: %s', (_name, text, matched) => {
    expect(triage('', text).matches.length > 0).toBe(matched);
  });

  it('reports the field and weight once per rule, subject first', () => {
    expect(triage('DDoS', 'ddos').matches).toEqual([{ term: 'ddos', field: 'subject', category: 'ddos', priority: null, weight: 5 }]);
    expect(triage('件名', 'ddos').matches).toEqual([{ term: 'ddos', field: 'body', category: 'ddos', priority: null, weight: 5 }]);
  });

  it('lists every match, negative ones too, by contributed score then term', () => {
    const result = triage('ウイルス 訓練', 'ransomware ランサムウェア マルウェア 質問');
    expect(result.matches.map((m) => [m.term, m.field === 'subject' ? m.weight * 2 : m.weight])).toEqual([
      ['ransomware', 5], ['ランサムウェア', 5], ['ウイルス', 4], ['マルウェア', 4], ['質問', 2], ['訓練', -10],
    ]);
    expect(result.category).toBe('ransomware');
  });

  it('keeps the rule as written in matches, not its normalised form', () => {
    const compiled = compileTriageRules([rule('ＶＰＮ機器', 'unauthorized_access', null, 3)]);
    expect(scoreTriage(compiled, { subject: 'vpn機器', body: '' }).matches[0].term).toBe('ＶＰＮ機器');
  });

  it.each([
    ['an empty term', rule('  ', 'malware', null, 5)],
    ['a term that normalises to nothing', rule('\u3000', 'malware', null, 5)],
    ['a category outside the vocabulary', rule('x', 'worm' as Category, null, 5)],
    ['a priority outside the vocabulary', rule('x', null, 'p1' as Priority, 5)],
    ['a fractional weight', rule('x', 'malware', null, 1.5)],
    ['a weight that is not a number', rule('x', 'malware', null, Number.NaN)],
  ])('leaves out a rule that cannot count: %s', (_name, bad) => {
    const compiled = compileTriageRules([bad, rule('x', 'ddos', null, 1)]);
    expect(scoreTriage(compiled, { subject: 'x', body: '' })).toEqual({
      category: 'ddos', priority: 'normal', matches: [{ term: 'x', field: 'subject', category: 'ddos', priority: null, weight: 1 }],
    });
  });

  it('is unaffected by changes to the rules after compiling', () => {
    const rules = [rule('ddos', 'ddos', null, 5)];
    const compiled = compileTriageRules(rules);
    rules[0].category = 'malware';
    rules.push(rule('ddos', 'malware', null, 9));
    expect(scoreTriage(compiled, { subject: 'ddos', body: '' }).category).toBe('ddos');
  });

  it('with no rules at all gives general/normal', () => {
    expect(scoreTriage(compileTriageRules([]), { subject: 'ランサムウェア 至急', body: '' })).toEqual({ category: 'general', priority: 'normal', matches: [] });
  });

  it('finds a term at the end of a 100 KB body', () => {
    const compiled = compileTriageRules(DEFAULT_TRIAGE_RULES);
    const body = '昨日からサーバーの動作が遅く、ログを確認しています。separate ratio 2rat '.repeat(2_200) + '最後に身代金の要求文が見つかりました。';
    expect(body.length).toBeGreaterThan(100_000);
    const result = scoreTriage(compiled, { subject: '調査のお願い', body });
    expect(result.category).toBe('ransomware');
  });
});

// Mails as members write them: the default rules must put each in the right queue.
const MAILS: [name: string, subject: string, body: string, category: Category, priority: Priority][] = [
  ['lockbit encryption, business stopped', '【至急】ファイルサーバーのファイルが暗号化されました',
    '本日朝、ファイルサーバー上のファイルが暗号化され拡張子が.lockbitに変わっていました。各フォルダに身代金を要求するテキストがあります。業務停止中です。', 'ransomware', 'urgent'],
  ['ransom note in half-width kana', 'ﾗﾝｻﾑｳｪｱ感染の疑い',
    '経理部のPCでファイルが開けなくなり、脅迫文のようなファイルが置かれていました。', 'ransomware', 'normal'],
  ['ransomware and ウイルス in one mail', 'ウイルスに感染しました', 'ウイルス対策ソフトは検知しませんでしたが、ランサムウェアの脅迫文が表示されています。', 'ransomware', 'normal'],
  ['Emotet, spreading', 'Emotetに感染した可能性', '取引先から当社を名乗る不審なメールが届いていると連絡がありました。社内で感染が広がっているかもしれません。', 'malware', 'high'],
  ['opened a suspicious attachment', '不審なメールの添付を開いてしまった', '営業部の社員が請求書を装った不審なメールの添付ファイルを開いてしまいました。その後の対応を教えてください。', 'phishing', 'normal'],
  ['unauthorized VPN login', 'VPN機器に不正ログイン', 'VPN装置のログに海外IPアドレスからの不正ログインの記録がありました。社内ネットワークへの侵入の有無を確認中です。早急にご助言ください。', 'unauthorized_access', 'high'],
  ['customer data leaked', '顧客情報が流出した可能性', 'ECサイトの顧客情報が外部に流出したとの指摘がありました。被害拡大を防ぐため対応を急いでいます。', 'data_leak', 'high'],
  ['DDoS on the server', 'サーバーへのDDoS攻撃', '昨夜から公開Webサーバーに大量のアクセスがあり、サービスが停止しています。', 'ddos', 'high'],
  ['defaced website', 'Webサイトが改ざんされた', '当社Webサイトのトップページが書き換えられ、不正なスクリプトが埋め込まれていました。', 'defacement', 'normal'],
  ['report from JPCERT/CC', 'JPCERT/CCから通報がありました', 'JPCERT/CCより、当社のサーバーが外部への攻撃に使われているとの連絡を受けました。', 'external_report', 'normal'],
  ['Microsoft 365 account taken over', 'Microsoft 365 のアカウントが乗っ取られました', '役員のアカウントから取引先に大量の不審なメールが送信されていました。転送設定も追加されていました。', 'account_compromise', 'normal'],
  ['vulnerability impact, a question', '脆弱性 CVE-2026-12345 の影響について', '当社で利用しているVPN製品が該当するか質問させてください。', 'vulnerability', 'low'],
  ['a general question', '一般的な質問です', 'セキュリティポリシーの見直しについて、参考までにほかの会員の事例を教えてください。', 'general', 'low'],
  ['a BCP question with 緊急時', '緊急時の連絡体制について', '緊急時の連絡体制のひな型があれば教えてください。', 'general', 'low'],
  ['a phishing drill', '【訓練】至急：標的型メール訓練の結果について', '標的型メール訓練で添付ファイルを開いた社員への教育方法を教えてください。', 'phishing', 'low'],
  ['mail about mail is not phishing', 'メールサーバーの移行について', 'メールの暗号化方式について相談させてください。', 'general', 'normal'],
  ['English ransomware, urgent', 'URGENT: ransomware on our file servers', 'All files on two servers were encrypted overnight and a ransom note demands payment in bitcoin. Operations halted.', 'ransomware', 'urgent'],
  ['English phishing click', 'Employee clicked a link in a phishing email', 'One of our staff clicked the link and entered credentials. What should we do next?', 'phishing', 'normal'],
  ['English suspicious sign-in', 'Suspicious sign-in to Office 365 account', 'We noticed a suspicious sign-in from abroad and a new inbox rule forwarding mail outside. Please advise asap.', 'account_compromise', 'urgent'],
  ['English data breach', 'Possible data breach', 'Customer data may have been leaked to a dark web forum. The leak seems to be spreading.', 'data_leak', 'high'],
  ['English vulnerability question', 'Question about CVE-2026-12345', 'Is the zero-day being exploited in Japan? FYI we have applied the vendor patch.', 'vulnerability', 'low'],
  ['a ransomware awareness question', '全社員向けランサムウェア研修について', '全社研修で使える資料があれば参考までに教えてください。', 'ransomware', 'low'],
  ['English notification from police', 'Notified by police about a compromised server', 'The prefectural police notified us that one of our servers is part of a botnet.', 'external_report', 'normal'],
];

// Acceptance findings: incidents told politely (教えてください, ご教示) were 低; an internal report
// became 外部機関からの通報; a member's own 一般相談 label lost to a topic word.
const POLITE_INCIDENTS: typeof MAILS = [
  ['executive Microsoft 365 account taken over, sending phishing in bulk', '役員のMicrosoft 365アカウント乗っ取りについて',
    'いつもお世話になっております。\n本日午前、役員のMicrosoft 365アカウントが乗っ取られ、取引先や社員宛てにフィッシングメールが大量送信されていることが分かりました。パスワードは変更済みです。\n今後の調査の進め方について教えてください。\nよろしくお願いいたします。',
    'account_compromise', 'high'],
  ['corporate site defaced with a malicious script', 'コーポレートサイトの改ざんについて',
    '本日、取引先からの連絡で当社コーポレートサイトが改ざんされていることが分かりました。トップページに不正なスクリプトが埋め込まれており、閲覧者が外部のサイトへ転送されるようです。サイトは公開を停止しています。今後の対応手順を教えてください。',
    'defacement', 'normal'],
  ['personal data of 500 customers sent to the wrong recipient', '【ご相談】個人情報の誤送信について',
    '本日、顧客500名分の氏名・住所・電話番号を含むファイルを、別の取引先宛てに誤送信したことが判明しました。先方には削除をお願いしています。個人情報保護委員会への報告が必要かどうか、ご教示ください。',
    'data_leak', 'normal'],
  ['member data leaked, asked as a question', '会員情報の漏えいについて質問です',
    'ECサイトの会員情報が漏えいした可能性があります。参考までに、公表の時期について一般的な考え方を教えてください。', 'data_leak', 'normal'],
  ['unauthorized VPN login, asked with every polite word', '不正ログインの件で質問です',
    'VPN装置に不正ログインされ、ファイルサーバーへの侵入の形跡がありました。参考までに、他社の対応事例をご教示ください。', 'unauthorized_access', 'normal'],
  ['ransomware that has happened: files encrypted, a ransom note', 'ランサムウェア感染の疑い（ファイルサーバ）',
    'いつもお世話になっております。本日朝、ファイルサーバのファイルが暗号化され、拡張子が変わっていました。脅迫文のテキストファイルも見つかりました。対応方法を教えてください。',
    'ransomware', 'high'],
  ['English: mailbox hacked, a question', 'Question about our mailbox', 'Our CEO mailbox was hacked yesterday. Could you tell us the usual next steps? FYI we reset the password.', 'unauthorized_access', 'normal'],
];

const GENERAL_QUESTIONS: typeof MAILS = [
  ['preventing account takeover', '不正ログイン対策について',
    'VPNへの不正ログインを防ぐため、多要素認証の導入を検討しています。おすすめの方式を教えてください。', 'unauthorized_access', 'low'],
  ['preventing misdirected mail', 'メールの誤送信対策の質問', '誤送信を防ぐツールについて、ほかの会員の事例を教えてください。', 'data_leak', 'low'],
];

const CATEGORY_FINDINGS: typeof MAILS = [
  ['a suspicious mail reported through the internal whistleblowing desk', '不審メールの報告（社内通報窓口より）',
    '社内通報窓口に、従業員から取引先を名乗る不審なメールを受信したとの連絡がありました。添付ファイルは開いていないとのことです。', 'phishing', 'normal'],
  ['an internal report with no incident category', '社内通報窓口の運用について', '社内通報窓口に寄せられたセキュリティ関連の連絡の扱い方について相談させてください。', 'general', 'normal'],
  ['a report from a security vendor', '外部からの指摘について', '契約しているセキュリティベンダーから、当社ドメインのメールアドレスが攻撃者のリストに載っていると通報を受けました。', 'external_report', 'normal'],
  ['the member\'s own 一般相談 label over a phishing topic', 'フィッシング対策の社員教育について（一般相談）',
    '最近、取引先を装ったフィッシングメールが増えています。社員向けの教育資料や訓練の進め方について、他社の事例を教えてください。', 'general', 'low'],
  ['the label in square brackets over a vulnerability topic', '【一般相談】脆弱性診断の頻度について', '外部公開サーバーの脆弱性診断はどのくらいの頻度で受けるのが一般的でしょうか。', 'general', 'normal'],
];

describe('DEFAULT_TRIAGE_RULES on members\' mail', () => {
  const compiled = compileTriageRules(DEFAULT_TRIAGE_RULES);

  it.each([...MAILS, ...POLITE_INCIDENTS, ...GENERAL_QUESTIONS, ...CATEGORY_FINDINGS])('%s', (_name, subject, body, category, priority) => {
    const result = scoreTriage(compiled, { subject, body });
    expect({ category: result.category, priority: result.priority }).toEqual({ category, priority });
  });
});

describe('DEFAULT_TRIAGE_RULES as data', () => {
  it('is all valid rows a manager could have saved', () => {
    for (const r of DEFAULT_TRIAGE_RULES) {
      expect(r.term.trim()).toBe(r.term);
      expect(r.term.length).toBeGreaterThan(0);
      expect(r.term.length).toBeLessThanOrEqual(100);
      expect(Number.isInteger(r.weight) && r.weight !== 0 && Math.abs(r.weight) <= 10).toBe(true);
      expect(r.category !== null || r.priority !== null).toBe(true);
      if (r.category) expect(CATEGORIES).toContain(r.category);
      if (r.priority) expect(PRIORITIES).toContain(r.priority);
    }
  });

  it('has no two rows with the same normalised term', () => {
    const terms = DEFAULT_TRIAGE_RULES.map((r) => normalizeForMatch(r.term));
    expect(terms.filter((t, i) => terms.indexOf(t) !== i)).toEqual([]);
  });

  it.each(CATEGORIES.filter((c) => c !== 'general'))('has 8–20 terms, Japanese and English, for %s', (category) => {
    const terms = DEFAULT_TRIAGE_RULES.filter((r) => r.category === category);
    expect(terms.length).toBeGreaterThanOrEqual(8);
    expect(terms.length).toBeLessThanOrEqual(20);
    expect(terms.some((r) => /^[\x20-\x7e]+$/.test(r.term))).toBe(true);
    expect(terms.some((r) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(r.term))).toBe(true);
    expect(terms.every((r) => r.weight >= 1 && r.weight <= 5)).toBe(true);
  });

  it.each(['メール', 'ウイルス', '添付', 'パスワード', 'アカウント', '相談', 'ロボット'])('does not let a lone %s decide the category', (word) => {
    const result = scoreTriage(compileTriageRules(DEFAULT_TRIAGE_RULES), { subject: word, body: '' });
    if (result.category !== 'general') expect(result.matches.every((m) => m.weight <= 2)).toBe(true);
    expect(['general', 'malware']).toContain(result.category);
  });
});
