import { normaliseForSearch } from '@kkd/core';

/**
 * The consult number a search box query names, if it is one: `123`, `#123`, `KKD#123`,
 * `[KKD#123]`, full-width `ＫＫＤ＃１２３` alike; null for anything else.
 */
export function consultNumberQuery(q: string): number | null {
  const m = /^\[?(?:kkd)?#?0*(\d{1,9})\]?$/.exec(normaliseForSearch(q).trim());
  return m ? Number(m[1]) : null;
}
