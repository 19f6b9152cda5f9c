import { IsNotEmpty, IsString, MaxLength, ValidateBy, ValidationArguments } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '@kkd/staff';

const CURRENT = '現在のパスワードを入力してください。';
const NEW = '新しいパスワードを入力してください。';
const TOO_LONG = `パスワードは${PASSWORD_MAX_LENGTH}文字以内にしてください。`;

/** A staff member's own password change; the strength rules are checked by StaffService. */
export class AccountPasswordForm {
  @IsString({ message: CURRENT }) @IsNotEmpty({ message: CURRENT }) @MaxLength(PASSWORD_MAX_LENGTH, { message: TOO_LONG })
  currentPassword: string;

  @IsString({ message: NEW }) @IsNotEmpty({ message: NEW })
  newPassword: string;

  @ValidateBy({
    name: 'sameAsNewPassword',
    validator: { validate: (value: unknown, args?: ValidationArguments) => value === (args?.object as AccountPasswordForm).newPassword },
  }, { message: '確認用のパスワードが新しいパスワードと一致しません。' })
  confirmPassword: string;
}
