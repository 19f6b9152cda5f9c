/**
 * Folding that keeps every UTF-16 offset: full-width ASCII (ＡＢＣ０１２＠－) becomes ASCII and the
 * ideographic space a space, one unit for one unit. Patterns run on the folded copy and their
 * offsets apply to the original text unchanged, so a replacement never shifts what is around it.
 */
export function foldWidth(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += text[i];
  }
  return out;
}
