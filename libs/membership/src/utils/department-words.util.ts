/**
 * Departments the member did not register, as their own mail writes them: a Japanese unit noun
 * in the text (経理部の担当者が, 情報システム部門から, 総務課に) and an English unit in their
 * signature or beside their company (Information Systems Dept., CSIRT Team). Patterns run on
 * the width-folded text after the contact pass, so that 〔会社名〕 marks where the company was.
 */
import { MaskHit } from './text-mask.util';

type Hit = MaskHit<'department'>;

const KANJI = '\\u4e00-\\u9fff\\uf900-\\ufaff\\u3005\\u30f6';
const KATAKANA = '\\u30a1-\\u30fa\\u30fc';
/**
 * A unit noun after a stem of kanji and katakana, or of capitals (IT部門, DX推進室), standing
 * as a word: no kanji or katakana around it (経理部の, not 経理部品 nor the title in 営業部長).
 */
const JA_DEPARTMENT = new RegExp(
  `(?<![${KANJI}${KATAKANA}A-Za-z0-9])((?:[A-Z]{2,6}[ ]?)?[${KANJI}${KATAKANA}]{0,14}?(?:部門|部|課|室|センター|グループ|チーム))(?=[^${KANJI}${KATAKANA}A-Za-z]|$)`,
  'gdm',
);

/** Words before a unit that are no unit's name: each, all, other, this, the one concerned (各部門, 関係部門, 弊社経理部 → 経理部). */
const LEADING_GENERIC = /^(?:弊社|当社|自社|貴社|御社|各|全|他|同|某|当|諸|両|別)/;
const GENERIC_STEM = new Set([
  '関係', '関連', '担当', '該当', '複数', '当該', '所属', '対象', '所管', '主管', '管轄', '管理', '利用', 'ユーザー', 'ユーザ', '事業', '間接', '現場', '社内',
  '社外', '上位', '下位', '主要', '特定', '全社', '本社', '支社', '一部', '大部', '上層', '下層', '中心', '周辺',
]);
/**
 * Unit nouns that are rooms, parts of a thing or of a place, other organisations, or groups of
 * accounts and attackers: 会議室, ヘッダ部, 都心部, 県警のサイバー犯罪対策課, セキュリティグループ.
 */
const NOT_DEPARTMENT = new RegExp([
  '(?:会議|応接|サーバー?|マシン|電算|休憩|更衣|倉庫|役員|控|機械|実験|医務|待合|地下|図書|執務|金庫|喫煙|面談|面接|書庫|宿直|当直|仮眠|研究|教|通信|電気|空調)室$',
  '(?:ヘッダー?|ボディ|データ|ペイロード|本文|先頭|末尾|冒頭|後半|前半|中央|表層|深層|境界|接続|都市|都心|山間|沿岸|首脳|執行|指導|司令|表示|入力|出力|制御)部$',
  '(?:セキュリティ|リソース|ユーザー?|ワーク|ログ|管理者|配布|アクセス|メール|配信|ターゲット|スケーリング|ポート|ホスト|デバイス|ネットワーク|攻撃|犯行|ハッカー|ランサムウェア|グローバル|ローカル|ドメイン)グループ$',
  '(?:レッド|ブルー|パープル|ホワイト|攻撃|専門家)チーム$',
  '(?:データ|コール|コンタクト|サポート|ヘルプ|国民生活|消費生活|サービス|バックアップ)センター$',
  '警察|警視|県警|府警|道警|犯罪|捜査|内閣|総務省|経産省|経済産業省|厚生労働省|保健所|消防|JPCERT|コーディネーション|IPA|NISC|NICT|JC3',
].join('|'));

/** The unit noun itself, without a leading generic word, when it names a department. */
function departmentSpan(word: string): [number, number] | null {
  const lead = LEADING_GENERIC.exec(word)?.[0].length ?? 0;
  const unit = word.slice(lead);
  const stem = unit.replace(/(?:部門|部|課|室|センター|グループ|チーム)$/, '').trim();
  // A one-character stem is a common word (全部, 一部, 内部, 本部, 幹部, 教室), not a department.
  if (stem.length < 2 || GENERIC_STEM.has(stem) || NOT_DEPARTMENT.test(unit)) return null;
  return [lead, word.length];
}

/** Japanese unit nouns in the member's own text: 経理部の担当者が, 情報システム部門から, 総務課に. */
export function japaneseDepartmentHits(folded: string): Hit[] {
  if (!/[部課室]|センター|グループ|チーム/.test(folded)) return [];
  const out: Hit[] = [];
  for (const m of folded.matchAll(JA_DEPARTMENT)) {
    const span = departmentSpan(m[1]);
    if (span) out.push({ start: m.index + span[0], end: m.index + span[1], kind: 'department' });
  }
  return out;
}

const EN_UNIT = '(?:Dept\\.?|Department|Division|Div\\.|Section|Sect\\.|Team|Group|Office|Center|Centre|Unit|Bureau|Lab(?:oratory)?|Headquarters|HQ)';
const EN_WORD = "(?:[A-Z][A-Za-z&'/-]*|&|and|of|for)";
/**
 * An English unit: capitalised words before Dept., Division, Team … (Information Systems Dept.,
 * IT Security Division), or after Department of (Department of Information Systems).
 */
const EN_DEPARTMENT = new RegExp(
  `(?<![A-Za-z])(?:(?:[A-Z][A-Za-z&'/-]*[ ])(?:${EN_WORD}[ ]){0,4}${EN_UNIT}|(?:Department|Division)[ ]of[ ](?:${EN_WORD}[ ]?){1,4})(?![A-Za-z])`,
  'gd',
);
/** Units that are no department of the member: a Microsoft 365 group, a vendor's or the police's centre. */
const NOT_EN_DEPARTMENT = /^(?:Security|Resource|User|Work|Log|Admin|Distribution|Access|Target|Domain|Global|Local|Red|Blue|Purple|Data|Call|Help|Support|Service) (?:Group|Team|Center|Centre)$|Police|Cyber Crime|JPCERT|NISC|IPA\b/;

/** English units in the member's signature blocks, and on the lines that hold their company or touch one that does. */
export function englishDepartmentHits(folded: string, inSignature: (line: number) => boolean): Hit[] {
  if (!/Dept|Department|Division|Div\.|Section|Sect\.|Team|Group|Office|Center|Centre|Unit|Bureau|Lab|Headquarters|HQ/.test(folded)) return [];
  const lines = folded.split('\n');
  const hasCompany = lines.map((l) => l.includes('〔会社名〕'));
  const out: Hit[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i].length + 1, i++) {
    if (!inSignature(i) && !hasCompany[i] && !hasCompany[i - 1] && !hasCompany[i + 1]) continue;
    for (const m of lines[i].matchAll(EN_DEPARTMENT)) {
      const word = m[0].replace(/[ ]+$/, '');
      if (!NOT_EN_DEPARTMENT.test(word)) out.push({ start: at + m.index, end: at + m.index + word.length, kind: 'department' });
    }
  }
  return out;
}
