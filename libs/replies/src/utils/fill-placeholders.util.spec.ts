import { fillPlaceholders, PLACEHOLDERS, placeholderValues, unknownPlaceholders } from './fill-placeholders.util';

describe('canned reply placeholders', () => {
  // 2026-11-26 17:00 in Japan: a Thursday.
  const facts = { nickname: 'ひまわり', clubId: 'CST-00123', consultNumber: 42, dueAt: new Date('2026-11-26T08:00:00Z'), expertName: '専門 太郎' };
  const values = placeholderValues(facts);

  it('derives each value from the consult facts (the due time in Japan time)', () => {
    expect(values).toEqual({ ニックネーム: 'ひまわり', 会員ID: 'CST-00123', 受付番号: 'KKD#42', 回答期限: '2026/11/26(木) 17:00', 担当者名: '専門 太郎' });
  });

  it('says なし for a consult that waits for no answer', () => {
    expect(placeholderValues({ ...facts, dueAt: null }).回答期限).toBe('なし');
  });

  it('documents every placeholder it fills', () => {
    expect(PLACEHOLDERS.map((p) => p.name).sort()).toEqual(Object.keys(values).sort());
  });

  it.each([
    ['every placeholder', '{ニックネーム}（{会員ID}）様 {受付番号} 期限 {回答期限} 担当 {担当者名}', 'ひまわり（CST-00123）様 KKD#42 期限 2026/11/26(木) 17:00 担当 専門 太郎'],
    ['the same placeholder twice', '{ニックネーム}様、{ニックネーム}様', 'ひまわり様、ひまわり様'],
    ['full-width braces from a Japanese input method', '｛ニックネーム｝様 ｛受付番号}', 'ひまわり様 KKD#42'],
    ['full-width letters in a name', '{会員ＩＤ}', 'CST-00123'],
    ['no placeholder at all', 'いつもお世話になっております。', 'いつもお世話になっております。'],
    ['an unknown placeholder, left for the expert to see', '{会社名}の{ニックネーム}様', '{会社名}のひまわり様'],
    ['braces around code, not a placeholder', 'if (x) { return 1; }', 'if (x) { return 1; }'],
    ['an empty pair of braces', '{}{ニックネーム}', '{}ひまわり'],
    ['multiple lines', '{ニックネーム}様\n\n受付番号 {受付番号} について', 'ひまわり様\n\n受付番号 KKD#42 について'],
    ['a placeholder split over two lines', '{ニック\nネーム}', '{ニック\nネーム}'],
  ])('fills %s', (_name, text, expected) => {
    expect(fillPlaceholders(text, values)).toBe(expected);
  });

  it.each([
    ['a value that looks like a placeholder is not filled again', { ...facts, nickname: '{担当者名}' }, '{ニックネーム}', '{担当者名}'],
    ['replacement patterns in a value are kept as typed', { ...facts, expertName: '$& $1 $$' }, '{担当者名}', '$& $1 $$'],
  ])('%s', (_name, f, text, expected) => {
    expect(fillPlaceholders(text, placeholderValues(f))).toBe(expected);
  });

  it.each([
    ['none in a text with known ones', '{ニックネーム}様 {受付番号}', []],
    ['each unknown one once, as written', '{会社名} {氏名} {会社名} ｛メール｝', ['{会社名}', '{氏名}', '｛メール｝']],
    ['not code braces', 'function () { return 1; }', []],
  ])('finds unknown placeholders: %s', (_name, text, expected) => {
    expect(unknownPlaceholders(text)).toEqual(expected);
  });
});
