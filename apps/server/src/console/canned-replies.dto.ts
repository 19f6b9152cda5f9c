import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { CATEGORIES, Category } from '@kkd/consults';

/** An empty select option means "every category" (共通). */
const emptyToNull = ({ value }: { value: unknown }) => (value === '' ? null : value);

/** A canned reply's add or edit form (managers). */
export class CannedReplyForm {
  @Transform(emptyToNull) @IsOptional() @IsIn(CATEGORIES, { message: '分類が正しくありません。' })
  category?: Category | null;

  @IsString({ message: '題名を入力してください。' }) @IsNotEmpty({ message: '題名を入力してください。' }) @MaxLength(100, { message: '題名は100文字以内で入力してください。' })
  title: string;

  @IsString({ message: '本文を入力してください。' }) @IsNotEmpty({ message: '本文を入力してください。' }) @MaxLength(10_000, { message: '本文は10,000文字以内で入力してください。' })
  body: string;
}

/** The secretariat's signature (its length is the setting's own rule). */
export class SignatureForm {
  @IsString({ message: '署名を入力してください。' }) @MaxLength(5_000, { message: '署名が長すぎます。' })
  signature: string;
}

/**
 * The reply form's other buttons: insert a canned reply (「定型文を挿入」) or show the mail as the
 * member will receive it (「プレビュー」); `send` (or no action) is the reply itself (ReplyForm).
 */
export class ReplyComposeForm {
  @IsOptional() @IsIn(['send', 'preview', 'insert'], { message: '操作が正しくありません。' })
  action?: 'send' | 'preview' | 'insert';

  /** The canned reply chosen to insert; an empty choice is 0 (refused by the controller with a message). */
  @IsOptional() @Type(() => Number) @IsInt({ message: '挿入する定型文を選んでください。' }) @Min(0)
  template?: number;

  /** Canned replies already inserted into this draft, comma-separated: each counts as used when it is sent. */
  @IsOptional() @IsString() @Matches(/^(\d{1,9}(,\d{1,9}){0,19})?$/, { message: '定型文の指定が正しくありません。' })
  cannedReplyIds?: string;

  /** The draft as typed, kept when the page is shown again (its rules are ReplyForm's). */
  @IsOptional() @IsString() @MaxLength(100_000, { message: '本文が長すぎます。' })
  body?: string;

  @IsOptional() @IsString()
  status?: string;
}
