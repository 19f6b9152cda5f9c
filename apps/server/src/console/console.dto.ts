import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CONSULT_STATUSES, ConsultStatus } from '@kkd/consults';

export class LoginForm {
  @IsString() @IsNotEmpty({ message: 'メールアドレスを入力してください。' }) @MaxLength(320)
  email: string;

  @IsString() @IsNotEmpty({ message: 'パスワードを入力してください。' }) @MaxLength(200)
  password: string;

  @IsOptional() @IsString() next?: string;
}

export class ReplyForm {
  @IsString() @IsNotEmpty({ message: '本文を入力してください。' }) @MaxLength(100_000, { message: '本文が長すぎます。' })
  body: string;

  @IsOptional() @IsIn(CONSULT_STATUSES, { message: '状態が正しくありません。' })
  status?: ConsultStatus;
}

export class NoteForm {
  @IsString() @IsNotEmpty({ message: 'メモを入力してください。' }) @MaxLength(100_000, { message: 'メモが長すぎます。' })
  body: string;
}

export class StatusForm {
  @IsIn(CONSULT_STATUSES, { message: '状態を選んでください。' })
  status: ConsultStatus;
}
