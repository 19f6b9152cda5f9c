const WIDE = /[\uff01-\uff5e\u3000]+/g;
function narrow(run: string): string {
  const codes = new Array<number>(run.length);
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    codes[i] = c === 0x3000 ? 0x20 : c - 0xfee0;
  }
  if (codes.length <= 4096) return String.fromCharCode(...codes);
  let out = '';
  for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode(...codes.slice(i, i + 4096));
  return out;
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
