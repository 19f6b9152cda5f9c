const WIDE = /[\uff01-\uff5e\u3000]+/g;
/** A string of UTF-16 code units, in chunks (a spread of a long array overflows the stack). */
function fromCodes(codes: Uint16Array): string {
  if (codes.length <= 4096) return String.fromCharCode(...codes);
  let out = '';
  for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode(...codes.subarray(i, i + 4096));
  return out;
}
function narrow(run: string): string {
  const codes = new Uint16Array(run.length);
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    codes[i] = c === 0x3000 ? 0x20 : c - 0xfee0;
  }
  return fromCodes(codes);
}

/**
 * Folding that keeps every UTF-16 offset: full-width ASCII (ＡＢＣ０１２＠－) becomes ASCII and the
 * ideographic space a space, one unit for one unit. Patterns run on the folded copy and their
 * offsets apply to the original text unchanged, so a replacement never shifts what is around it.
 */
export function foldWidth(text: string): string {
  return text.replace(WIDE, narrow);
}

/** ヶ, ケ, が and ガ between two kanji: one place name written four ways (霞が関, 霞ヶ関, 霞ケ関, 市ヶ谷). */
const KANA_GA_BETWEEN_KANJI = /(?<=[\u4e00-\u9fff\uf900-\ufaff\u3005])[ヶケがガ](?=[\u4e00-\u9fff\uf900-\ufaff\u3005])/g;

/** One spelling (ヶ) for that family, one unit for one unit: offsets stay, as with foldWidth. */
export function foldPlaceKana(text: string): string {
  return text.replace(KANA_GA_BETWEEN_KANJI, 'ヶ');
}

/**
 * Old and variant forms of kanji that names and companies are registered with (髙﨑, 渡邊, 齋藤),
 * each with the everyday form members type instead (高崎, 渡辺, 斎藤). Both sides fold to the
 * everyday form, so a registered variant matches the text's everyday form and back.
 */
const KANJI_VARIANTS: Array<[string, string]> = [
  ['髙', '高'], ['﨑嵜碕', '崎'], ['德', '徳'], ['邊邉', '辺'], ['齋齊斉', '斎'], ['濵濱', '浜'], ['澤', '沢'], ['櫻', '桜'], ['廣', '広'],
  ['國', '国'], ['瀨', '瀬'], ['槇', '槙'], ['藪', '薮'], ['冨', '富'], ['嶋嶌', '島'], ['眞', '真'], ['曻', '昇'], ['槗', '橋'], ['峯', '峰'],
  ['惠', '恵'], ['榮', '栄'], ['壽', '寿'], ['實', '実'], ['藏', '蔵'], ['關', '関'], ['澁', '渋'], ['淺', '浅'], ['條', '条'], ['靜', '静'],
  ['舘', '館'], ['栁', '柳'], ['桒', '桑'], ['黑', '黒'], ['增', '増'], ['龜', '亀'],
];

/**
 * Each folded character: the variants above, and the compatibility ideographs and radicals that
 * NFKC maps to one unified kanji (隆 U+F9DC → 隆, 塚 U+FA10 → 塚, ⼭ → 山). Only one UTF-16 unit
 * for one, so offsets stay; a variant outside the BMP (𠮷) is not folded. A table by code unit
 * (0: unchanged), as a regex class of some 700 characters costs ten times more per character.
 */
const KANJI_FOLD: Uint16Array = (() => {
  const variant = new Map<number, number>();
  for (const [from, to] of KANJI_VARIANTS) for (const c of from) variant.set(c.charCodeAt(0), to.charCodeAt(0));
  const fold = new Uint16Array(0x10000);
  for (const [from, to] of variant) fold[from] = to;
  for (const [first, last] of [[0x2e80, 0x2eff], [0x2f00, 0x2fdf], [0xf900, 0xfaff]]) {
    for (let code = first; code <= last; code++) {
      const unified = String.fromCharCode(code).normalize('NFKC');
      if (unified.length === 1 && unified.charCodeAt(0) !== code) fold[code] = variant.get(unified.charCodeAt(0)) ?? unified.charCodeAt(0);
    }
  }
  return fold;
})();

/** One spelling for a kanji's variant forms (髙﨑 → 高崎, 隆 → 隆), one unit for one unit: offsets stay, as with foldWidth. */
export function foldKanjiVariants(text: string): string {
  let i = 0;
  while (i < text.length && KANJI_FOLD[text.charCodeAt(i)] === 0) i++;
  if (i === text.length) return text;
  const codes = new Uint16Array(text.length);
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j);
    codes[j] = KANJI_FOLD[c] || c;
  }
  return fromCodes(codes);
}
