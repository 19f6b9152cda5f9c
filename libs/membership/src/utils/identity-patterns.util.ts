/**
 * Patterns of personal and organisational data in Japanese mail, written for the width-folded
 * text (foldWidth): full-width digits, letters, ＠ and （） arrive as ASCII. All are linear.
 */
// With the compatibility ideographs that names use (髙 is unified, 﨑 of 山﨑 is not).
const KANJI = '[\\u4e00-\\u9fff\\uf900-\\ufaff\\u3005\\u3006\\u30f6]';
const KANA = '[\\u3041-\\u3096\\u30a1-\\u30fa\\u30fc]';
const KATAKANA = '[\\u30a1-\\u30fa\\u30fc]';
export const NAME_KANJI = `${KANJI}{1,4}(?:[ \\t]${KANJI}{1,4})?`;
export const NAME_KATA = `${KATAKANA}{2,10}(?:[ ・]${KATAKANA}{2,10})?`;
export const NAME_LATIN = '[A-Z][a-z]+(?:[ ][A-Z][a-zA-Z]+)?';
/** A name as a signature line writes it: "山田 太郎", "山田太郎", "山田 たろう", "Taro Yamada". */
const SIGNATURE_NAME = `${KANJI}{1,4}[ \\t]?(?:${KANJI}|${KANA}){1,5}|[A-Z][a-zA-Z]+[ ][A-Z][a-zA-Z]+`;

export const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}[ ]?(?:@|\[at\]|\(at\))[ ]?[A-Za-z0-9-]+(?:(?:\.|\[\.\]|\[dot\])[A-Za-z0-9-]+){1,8}/gdi;
export const URL = /(?:h(?:tt|xx)ps?|ftp):\/\/[^\s<>"'「」()、。]+|(?<![\w.@-])www(?:\.|\[\.\])[a-z0-9-]+(?:(?:\.|\[\.\])[a-z0-9-]+)+(?:\/[^\s<>"'「」()、。]*)?/gdi;
export const HOST = /(?<![\w.@/-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.|\[\.\])){1,8}[a-z]{2,}(?![\w.-])/gdi;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
export const IPV4 = new RegExp(`(?<![\\d.])${OCTET}(?:(?:\\.|\\[\\.\\])${OCTET}){3}(?:/\\d{1,2})?(?![\\d]|\\.\\d)`, 'gd');
const HEX16 = '[0-9a-f]{1,4}';
/**
 * IPv6: eight groups, or fewer around one "::" (an IPv4 tail allowed), with a zone (%eth0) or a
 * prefix (/64). Times (10:00, 12:30:45) and MAC addresses have neither eight groups nor "::".
 * A bare "::" and more than eight groups are refused by isIpv6.
 */
export const IPV6 = new RegExp(
  `(?<![\\w:.])(?:(?:${HEX16}:){7}${HEX16}|(?:${HEX16}(?::${HEX16}){0,6})?::(?:(?:${HEX16}:){0,6}(?:${OCTET}(?:\\.${OCTET}){3}|${HEX16}))?)(?:%[\\w.-]+)?(?:/\\d{1,3})?(?![\\w:]|\\.\\w)`,
  'gdi',
);
/** Whether an IPV6 match is an address: not a bare "::", and at most eight groups. */
export function isIpv6(match: string): boolean {
  const address = match.replace(/[%/].*$/, '');
  if (address === '::') return false;
  const groups = address.split(':').filter(Boolean).reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  return address.includes('::') ? groups <= 7 : groups === 8;
}
export const POSTAL = /〒[ ]?\d{3}[-ー‐−―]?\d{4}|(?<=郵便番号[ ]?[:：]?[ ]?)\d{3}-?\d{4}/gd;
const SEP = '[-ー‐−―. ]?';
export const PHONE = new RegExp(
  `(?<![\\d-])(?:\\+81${SEP}\\(?0?\\)?\\d{1,4}|\\(0\\d{1,4}\\)|0\\d{1,4})${SEP}\\(?\\d{1,4}\\)?${SEP}\\d{3,4}(?![\\d])`, 'gd',
);

export const PREFECTURES = '北海道|青森県|岩手県|宮城県|秋田県|山形県|福島県|茨城県|栃木県|群馬県|埼玉県|千葉県|東京都|神奈川県|新潟県|富山県|石川県|福井県|山梨県|長野県|岐阜県|静岡県|愛知県|三重県|滋賀県|京都府|大阪府|兵庫県|奈良県|和歌山県|鳥取県|島根県|岡山県|広島県|山口県|徳島県|香川県|愛媛県|高知県|福岡県|佐賀県|長崎県|熊本県|大分県|宮崎県|鹿児島県|沖縄県';
const ADDRESS_TAIL = `(?:${KANJI}|[0-9\\-ー－−丁目番地号のノ])*(?:[ ]?[^\\s、。,]{1,20}?(?:ビル|タワー|ハイツ|マンション|会館|[0-9]+F|[0-9]+階|号室)(?:[ ]?[0-9]+(?:F|階))?)?`;
/** A town written with kana before its block number (みなとみらい2-3-1), not a particle (大阪市では3件). */
const TOWN_IN_KANA = `(?:[ ]?(?![のでにはがをともへやか])(?:${KANJI}|${KANA}){1,10}?[ ]?(?=[0-9]|[一二三四五六七八九十]+丁目))?`;
/** An address: a prefecture and its municipality, or a city or ward with a town and a block number (a space may part them). */
export const ADDRESS = new RegExp(
  `(?:${PREFECTURES})[ ]?(?:${KANJI}{1,8}?[市区町村郡]){1,3}${TOWN_IN_KANA}${ADDRESS_TAIL}|${KANJI}{1,5}[市区][ ]?(?:${KANJI}|${KANA}){1,8}[ ]?[0-9]+(?:[-ー－−丁目番地号][0-9]*)+${ADDRESS_TAIL}`,
  'gd',
);

const LEGAL_FORMS = [
  '株式会社', '有限会社', '合同会社', '合資会社', '合名会社', '一般社団法人', '一般財団法人', '公益社団法人', '公益財団法人',
  '特定非営利活動法人', 'NPO法人', '学校法人', '医療法人', '社会福祉法人', '独立行政法人', '国立大学法人',
];
export const LEGAL_FORM = `(?:${LEGAL_FORMS.join('|')}|\\(株\\)|㈱|\\(有\\)|㈲|co\\.,?[ ]?ltd\\.?|inc\\.?|corp(?:oration)?\\.?|k\\.k\\.)`;
const COMPANY_WORD = `(?:${KANJI}|${KATAKANA}|[A-Za-z0-9&＆・])`;
/** Hiragana inside a company's name (さくら工業, ひまわり精機): not a particle, nor an honorific after it. */
const COMPANY_KANA = '(?![のはがをにへとでやもかよ]|さん|さま)[\\u3041-\\u3096]';
const COMPANY_NAME_CHAR = `(?:${COMPANY_WORD}|${COMPANY_KANA})`;
const SHORT_FORM = `(?:${LEGAL_FORMS.slice(0, 5).join('|')}|\\(株\\)|㈱|\\(有\\)|㈲)`;
/**
 * A company that is not a member's: a legal form with a name of two or more characters beside it,
 * as a whole: after the form the name runs to the next space, particle or punctuation
 * (㈱東洋システム開発, 株式会社さくら工業の); before it, hiragana count only from a word's start
 * (【さくら工業株式会社), else the name is its kanji and katakana. ㈱ beside one kanji or digit,
 * as in a line of test characters, is none.
 */
export const OTHER_COMPANY = new RegExp(
  `${SHORT_FORM}[ ]?${COMPANY_NAME_CHAR}{2,15}|(?<=^|[\\s、。,()「」『』【】〔〕<>:：])${COMPANY_NAME_CHAR}{2,15}[ ]?${SHORT_FORM}|${COMPANY_WORD}{2,15}[ ]?${SHORT_FORM}`,
  'gdm',
);

/** Strips a legal form so that ひまわり精機株式会社, (株)ひまわり精機 and ひまわり精機㈱ share a core. */
export function companyCore(company: string): string {
  return company.replace(new RegExp(LEGAL_FORM, 'gi'), '').replace(/[ \t]+/g, ' ').trim();
}

const HONORIFIC_WORD = '(?:様|さま|さん|殿|氏|君|くん|ちゃん)';
/**
 * Kanji before an honorific that are no name, matched first so that no name is read inside them:
 * a word after the prefix お/ご (ご苦労様, お世話様, お寺さん; not なお), and one kanji ending a word
 * written with kana (駆け込み寺さん). Kept narrow: a name follows particles, titles and other kana
 * (担当の林様, リーダー林さん, 引き続き林さん, 取り急ぎ林さん).
 */
const NOT_NAME_KANJI = `(?<!な)[おご]${KANJI}{1,2}|${KANJI}み${KANJI}`;
/** Titles and roles written before a name (営業部長佐藤様, セキュリティ担当 鈴木様): left outside the name, which follows them. */
const TITLE_WORDS = [
  '代表取締役', '取締役', '副社長', '社長', '会長', '専務', '常務', '本部長', '支店長', '部長', '次長', '課長', '室長', '係長', '所長', '局長', '主任', '主査',
  '理事長', '理事', '顧問', '担当者', '担当', '責任者', '管理者',
];
const TITLE_BEFORE_NAME = `(?:(?:${TITLE_WORDS.join('|')})[ ]?){0,2}`;
/** Name + honorific: 山田様, 田中 太郎 様, ヤマダさん, 鈴木殿, 佐藤氏, Tanaka-san, Mr. Tanaka (no group: not a name). */
export const HONORIFIC = new RegExp(
  `(?:${NOT_NAME_KANJI})[ ]?${HONORIFIC_WORD}|${TITLE_BEFORE_NAME}(${NAME_KANJI}|${NAME_KATA}|${NAME_LATIN})[ ]?${HONORIFIC_WORD}(?![式子相々名堂])|\\b([A-Z][a-z]+)-san\\b|\\b(?:Mr|Ms|Mrs|Dr)\\.?[ ](${NAME_LATIN})`,
  'gd',
);
/** Self-introductions: 〔会社名〕の山田です, 〔部署名〕の部長 山田です, 情報システム部の鈴木と申します. */
export const SELF_INTRO = new RegExp(
  `(?:〔(?:会社名|部署名)〕|[部課室係]|センター|チーム|グループ)[ ]?の?[ ]?${TITLE_BEFORE_NAME}(${NAME_KANJI})(?:です|でございます|と申します)|(${NAME_KANJI})[ ]?と申します`,
  'gd',
);
/** Labelled names: 担当：山田, 氏名: 山田 太郎, 報告者：ヤマダ. */
export const LABELLED_NAME = new RegExp(`(?:担当者?|氏名|お?名前|報告者|記入者|連絡者|ご担当)[ ]*[:：][ ]*(${NAME_KANJI}|${NAME_KATA}|${NAME_LATIN})`, 'gd');
/** A signature line holding a name, after any department and title: 情報システム部 課長 山田 太郎 (Taro Yamada), 佐藤 次郎（さとう じろう）. */
export const SIGNATURE_NAME_LINE = new RegExp(
  `^[ \\t]*(?:\\S+(?:部|課|室|係|グループ|センター|チーム|本部|支店)[ \\t]+)*(?:(?:部長|課長|室長|係長|主任|主査|リーダー|マネージャー|担当|代表取締役|取締役)[ \\t]+)?(${SIGNATURE_NAME}|〔氏名〕)(?:[ \\t]*[(\\[]([A-Za-z][A-Za-z .,-]+|${KANA}[\\u3041-\\u3096\\u30a1-\\u30fa\\u30fc ・]*)[)\\]])?[ \\t]*(?:<?〔メールアドレス〕>?)?[ \\t]*$`,
  'd',
);
/** A closing name alone on the last line: 山田, 山田 太郎. */
export const SIGN_OFF = new RegExp(`^[ \\t]*(${KANJI}{2,4}|${KANJI}{1,4}[ \\t]${KANJI}{1,4})[ \\t]*$`, 'd');

/** Words before an honorific that are no one's name: 皆様, お客様, ご担当者様, 同様, 仕様, 貴社様, 委託先様, 株主様, 社員様 … */
const NOT_NAME_LAST = new Set([...'同仕模多異左有態両別何神王皆客者社奥貴殿各父母兄姉妹弟方位先主員当業察構件例']);
const NOT_NAME_WORDS = new Set([
  'ユーザー', 'ユーザ', 'クライアント', 'ベンダー', 'メンバー', 'ゲスト', 'オーナー', 'パートナー', 'スタッフ', 'サポート', 'センター', 'チーム',
  'お客', '以上', '敬具', '草々', '早々', '不一', '取急ぎ', '宜敷', '乱文失礼', 'Dear', 'Hello',
]);
/**
 * Words of business and incident mail that the name patterns read like a name (〔部署名〕の事例です,
 * 担当：未定, 現地調査様, 部長様), alone or joined (対応状況, 調査中, 事例共有, 調査報告書). None is a family name.
 */
const COMMON_NOUNS = [
  '事例', '事案', '事象', '案件', '本件', '別件', '件名', '対応', '対策', '担当', '調査', '報告', '窓口', '各位', '御中', '情報', '確認', '検討', '連絡',
  '相談', '回答', '依頼', '共有', '被害', '感染', '侵害', '攻撃', '通信', '検知', '解析', '分析', '復旧', '作業', '結果', '内容', '状況', '詳細', '概要',
  '原因', '影響', '範囲', '経緯', '記録', '資料', '設定', '環境', '端末', '機器', '製品', '社内', '社外', '弊社', '当社', '御社', '貴社', '不明', '未定',
  '未詳', '全員', '関係', '総務', '人事', '経理', '法務', '広報', '営業', '開発', '製造', '品質', '監査', '運用', '保守', '管理', '推進', '企画', '業務',
  '技術', '現地', '現場', '緊急', '至急', '重要', '注意', '警告', '参考', '上記', '下記', '別紙', '添付', '本文', '宛先', '送信', '受信', '対象', '予定',
  '完了', '終了', '開始', '実施', '発生', '申請', '承認', '手順', '方針', '規程', '体制', '組織', '委員会', '法人', '会社', '弁護士', '警察', '新人',
  '社員', '職員', '当方', '先方', '本日', '今回', '前回', '次回', '事務', '担当者', '責任者', '管理者', '代理', '補佐', ...TITLE_WORDS,
];
const COMMON_NOUN_RUN = new RegExp(`^(?:${[...new Set(COMMON_NOUNS)].sort((a, b) => b.length - a.length).join('|')})+(?:中|済み?|等|後|書)?(?:様|さん|殿)?$`);
/** Latin words of mail headers and signatures that the name patterns read like a name: E-mail <…>, Security Team, IT Security. */
const LATIN_NOT_NAME = /^(?:e-?mail|mail(?:to)?|tel|fax|phone|mobile|from|to|cc|bcc|sent|reply-to|sender|contact|address)$|\b(?:team|security|section|dept|department|division|group|center|centre|office|desk|unit|systems?|information|support|services?|manager|director|engineer|officer|branch|headquarters|corp|inc|ltd|co)\b/i;
/** Endings of words that are no one's name: ヘルプデスク, ベンダーサポート, お問い合わせ窓口, 関係機関. */
const NOT_NAME_TAIL = /(?:ユーザー?|ベンダー|メーカー|サポート|センター|チーム|デスク|窓口|機関)$/;
/** Name-looking words that are departments, offices or places: 情報システム部, 事務局, 西区, 神奈川県 (not 町 or 村: 中村). */
const DEPARTMENT_LAST = new Set([...'部課室係所社院局会店館庁省区県府']);

/** Whether a name found by a pattern is one; a match without a name (HONORIFIC's NOT_NAME_KANJI) is not. */
export function isPlausibleName(name: string | undefined): boolean {
  const n = (name ?? '').trim();
  if (n.length === 0 || NOT_NAME_WORDS.has(n) || NOT_NAME_TAIL.test(n) || COMMON_NOUN_RUN.test(n.replace(/[ \t]/g, '')) || LATIN_NOT_NAME.test(n)) return false;
  const last = n[n.length - 1];
  // A city: 横浜市, not the family name 高市.
  return !NOT_NAME_LAST.has(last) && !DEPARTMENT_LAST.has(last) && !(last === '市' && n.length >= 3);
}

const PRIVATE_V4: Array<[number, number]> = [[0x0a000000, 8], [0xac100000, 12], [0xc0a80000, 16]];

export function ipv4ToInt(ip: string): number | null {
  const parts = ip.replace(/\[\.\]/g, '.').replace(/\/\d+$/, '').split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/** 10/8, 172.16/12, 192.168/16 (RFC 1918). */
export function isPrivateIpv4(ip: string): boolean {
  const n = ipv4ToInt(ip);
  return n !== null && PRIVATE_V4.some(([base, bits]) => (n >>> (32 - bits)) === (base >>> (32 - bits)));
}

/** Digits of a phone-number match: 10 or 11 from a leading 0, 9 or 10 after +81. */
export function isPhoneDigits(match: string): boolean {
  const digits = match.replace(/\D/g, '');
  if (digits.startsWith('81') && match.trim().startsWith('+')) return digits.length >= 11 && digits.length <= 13;
  return digits.startsWith('0') && digits.length >= 10 && digits.length <= 11;
}

/** An indicator as an expert writes it, compared without defanging: hxxp, [.], case, width. */
export function normaliseIndicator(value: string): string {
  return value.trim().toLowerCase().replace(/\[\.\]|\[dot\]/g, '.').replace(/\[at\]|\(at\)/g, '@').replace(/^hxxp/, 'http').replace(/\/+$/, '');
}

/**
 * A host at one of the domains, or holding one as a run of whole labels anywhere in it: an attacker's
 * look-alike (login.member.example.jp.evil.example) names the member as much as their own host does.
 */
export function isMemberDomainHost(host: string, domains: string[]): boolean {
  const dotted = `.${host.toLowerCase()}.`;
  return domains.some((d) => d.length > 0 && dotted.includes(`.${d.toLowerCase()}.`));
}

export function hostOfUrl(url: string): string {
  const normal = normaliseIndicator(url).replace(/^[a-z]+:\/\//, '');
  return normal.split(/[/:?#]/)[0];
}
