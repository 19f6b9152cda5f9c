import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { CATEGORIES, Category, CONSULT_STATUSES, ConsultStatus, PRIORITIES, Priority } from '@kkd/consults';

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

  /** The newest message the page showed: a reply sent after it is warned about. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  seenMessageId?: number;

  /** "1": send although another reply was sent meanwhile. */
  @IsOptional() @IsString()
  confirmDouble?: string;
}

export class NoteForm {
  @IsString() @IsNotEmpty({ message: 'メモを入力してください。' }) @MaxLength(100_000, { message: 'メモが長すぎます。' })
  body: string;
}

export class StatusForm {
  @IsIn(CONSULT_STATUSES, { message: '状態を選んでください。' })
  status: ConsultStatus;
}

export class ClassificationForm {
  @IsIn(CATEGORIES, { message: '分類を選んでください。' })
  category: Category;

  @IsIn(PRIORITIES, { message: '優先度を選んでください。' })
  priority: Priority;
}

export class ReassignForm {
  /** A staff email, "none" (unassign) or "rule" (the assignment rule, current assignee left out). */
  @IsString() @IsNotEmpty({ message: '担当者を選んでください。' }) @MaxLength(320)
  assignee: string;

  @IsString() @IsNotEmpty({ message: '再割当の理由を入力してください。' }) @MaxLength(500, { message: '理由は500文字以内で入力してください。' })
  reason: string;
}

export class MergeForm {
  @Type(() => Number) @IsInt({ message: '統合先の相談番号を入力してください。' }) @Min(1, { message: '統合先の相談番号を入力してください。' })
  target: number;

  @IsString() @IsNotEmpty({ message: '統合の理由を入力してください。' }) @MaxLength(500, { message: '理由は500文字以内で入力してください。' })
  reason: string;
}
