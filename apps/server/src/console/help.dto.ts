import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The member sign-in form: the address the link goes to. */
export class HelpLoginForm {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'メールアドレスを入力してください。' }) @IsNotEmpty({ message: 'メールアドレスを入力してください。' })
  @MaxLength(254, { message: 'メールアドレスが長すぎます。' }) @IsEmail({ require_tld: false }, { message: 'メールアドレスの形式が正しくありません。' })
  email: string;
}
