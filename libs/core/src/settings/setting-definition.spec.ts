import { ValidationError } from '../core.exception';
import { integerSetting, textSetting } from './setting-definition';

describe('typed setting definitions', () => {
  const count = integerSetting('x.count', 3, 1, 99, '件数');
  const note = textSetting('x.note', '既定', 5, '通知文');

  it.each([['3', 3], [' 12 ', 12], ['1', 1], ['99', 99]])('reads %j as the whole number %i', (text, value) => {
    expect(count.parse(text)).toBe(value);
    expect(count.parse(count.format(value))).toBe(value);
  });

  it.each(['0', '100', '1.5', '', 'abc', '1e1', '-3', '9999999999999999'])('refuses %j, naming the setting', (text) => {
    expect(() => count.parse(text)).toThrow(ValidationError);
    expect(() => count.parse(text)).toThrow('件数は 1〜99 の整数で入力してください。');
  });

  it.each([['  お知らせ ', 'お知らせ'], ['12345', '12345'], ['🙂🙂🙂🙂🙂', '🙂🙂🙂🙂🙂']])('trims text %j and counts characters, not bytes', (text, value) => {
    expect(note.parse(text)).toBe(value);
  });

  it.each([['   ', '通知文を入力してください。'], ['123456', '通知文は5文字以内で入力してください。']])('refuses text %j', (text, message) => {
    expect(() => note.parse(text)).toThrow(message);
  });

  it('keeps its key and default', () => {
    expect([count.key, count.defaultValue, note.key, note.defaultValue]).toEqual(['x.count', 3, 'x.note', '既定']);
  });
});
