import { ValidationError } from '../core.exception';

/**
 * A typed setting: its key, its default (used while nothing is stored), and how its value is read
 * from and written to the settings table. Each lib defines its own settings beside its rules.
 */
export interface SettingDefinition<T> {
  readonly key: string;
  readonly defaultValue: T;
  /** The stored text as a value; throws ValidationError (field = key) when it breaks the rules. */
  parse(text: string): T;
  format(value: T): string;
}

/** A whole number in [min, max]. */
export function integerSetting(key: string, defaultValue: number, min: number, max: number, what: string): SettingDefinition<number> {
  return {
    key, defaultValue,
    parse(text) {
      const value = /^-?\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : NaN;
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        throw new ValidationError(key, `${what}は ${min.toLocaleString('ja-JP')}〜${max.toLocaleString('ja-JP')} の整数で入力してください。`);
      }
      return value;
    },
    format: (value) => String(value),
  };
}

/** Text of 1 to maxLength characters (surrounding blanks removed). */
export function textSetting(key: string, defaultValue: string, maxLength: number, what: string): SettingDefinition<string> {
  return {
    key, defaultValue,
    parse(text) {
      const value = text.trim();
      if (!value) throw new ValidationError(key, `${what}を入力してください。`);
      if ([...value].length > maxLength) throw new ValidationError(key, `${what}は${maxLength}文字以内で入力してください。`);
      return value;
    },
    format: (value) => value,
  };
}
