import { SettingDefinition, ValidationError } from '@kkd/core';

/** Whether anyone may read the FAQ pages without signing in (default: members only). */
export const FAQ_PUBLIC: SettingDefinition<boolean> = {
  key: 'faq.public',
  defaultValue: false,
  parse(text) {
    if (text !== 'true' && text !== 'false') throw new ValidationError('faq.public', '公開設定が正しくありません。');
    return text === 'true';
  },
  format: (value) => String(value),
};
