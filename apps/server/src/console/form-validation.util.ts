import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

export type FieldErrors = Record<string, string>;

/**
 * Validates a console form; instead of a 400 the page is shown again with a message per field.
 * `_csrf` is checked by the AccessGuard and ignored here.
 */
export function validateForm<T extends object>(dto: new () => T, body: unknown): { value: T; errors: FieldErrors | null } {
  const { _csrf, ...fields } = (body ?? {}) as Record<string, unknown>;
  void _csrf;
  const value = plainToInstance(dto, fields);
  const errors: FieldErrors = {};
  for (const e of validateSync(value, { whitelist: true })) errors[e.property] = Object.values(e.constraints ?? { x: '入力が正しくありません。' })[0];
  return { value, errors: Object.keys(errors).length ? errors : null };
}
