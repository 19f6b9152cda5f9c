import { normalizeClubId } from './club-id.util';

describe('normalizeClubId', () => {
  it.each([
    ['as stored', 'CST-00201', 'CST-00201'],
    ['lower case', 'cst-00201', 'CST-00201'],
    ['surrounding blanks', '  CST-00201\t', 'CST-00201'],
    ['full-width lower case (IME)', 'ｃｓｔ－００２０１', 'CST-00201'],
    ['full-width upper case with an ideographic space', '　ＣＳＴ－００２０１　', 'CST-00201'],
    ['mixed widths', 'CSＴ-００201', 'CST-00201'],
  ])('%s: %s → %s', (_name, typed, stored) => expect(normalizeClubId(typed)).toBe(stored));
});
