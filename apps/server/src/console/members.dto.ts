import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** An empty optional field is absent, not an empty string. */
const optional = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trimmed({ value }));

/** The admin's edit form of a member (terms art. 12 details, nickname, sender addresses, term). */
export class MemberEditForm {
  @Transform(trimmed) @IsString({ message: 'ニックネームを入力してください。' }) @IsNotEmpty({ message: 'ニックネームを入力してください。' })
  @MaxLength(100, { message: 'ニックネームは100文字以内で入力してください。' })
  nickname: string;

  @Transform(trimmed) @IsString({ message: '会社名を入力してください。' }) @IsNotEmpty({ message: '会社名を入力してください。' })
  @MaxLength(200, { message: '会社名は200文字以内で入力してください。' })
  company: string;

  @Transform(optional) @IsOptional() @IsString() @MaxLength(200, { message: '部署名は200文字以内で入力してください。' })
  department?: string;

  @Transform(optional) @IsOptional() @IsString() @MaxLength(100, { message: '担当者名は100文字以内で入力してください。' })
  contact_name?: string;

  @Transform(optional) @IsOptional() @Matches(/^[0-9０-９+()\- ー－]{6,20}$/, { message: '電話番号は数字とハイフンで入力してください。' })
  phone?: string;

  @Transform(optional) @IsOptional() @Matches(/^〒?\s?\d{3}-?\d{4}$/, { message: '郵便番号は 100-0001 の形で入力してください。' })
  postal_code?: string;

  @Transform(optional) @IsOptional() @IsString() @MaxLength(500, { message: '住所は500文字以内で入力してください。' })
  address?: string;

  /** One address a line (or separated by ";" or ","), stored lower-cased. */
  @Transform(({ value }) => (typeof value === 'string' ? value.split(/[\s;,]+/).map((e) => e.trim().toLowerCase()).filter(Boolean) : value))
  @IsArray({ message: 'メールアドレスを入力してください。' }) @ArrayMinSize(1, { message: 'メールアドレスを1つ以上入力してください。' })
  @ArrayMaxSize(20, { message: 'メールアドレスは20件までです。' }) @IsEmail({}, { each: true, message: 'メールアドレスの形式が正しくありません。' })
  emails: string[];

  @Transform(trimmed) @IsString({ message: '契約開始日を入力してください。' }) @Matches(DATE, { message: '契約開始日を YYYY-MM-DD で入力してください。' })
  contract_start: string;

  /** Empty: one year from the start. */
  @Transform(optional) @IsOptional() @Matches(DATE, { message: '契約終了日を YYYY-MM-DD で入力してください。' })
  contract_end?: string;
}

/** Suspend, resume or cancel at once: the reason goes into the contract history and the audit log. */
export class ContractChangeForm {
  @Transform(trimmed) @IsString({ message: '理由を入力してください。' }) @IsNotEmpty({ message: '理由を入力してください。' })
  @MaxLength(500, { message: '理由は500文字以内で入力してください。' })
  reason: string;
}

/** A member's notice of cancellation (art. 14). */
export class CancelNoticeForm extends ContractChangeForm {
  @Transform(trimmed) @IsString({ message: '申出日を入力してください。' }) @Matches(DATE, { message: '申出日を YYYY-MM-DD で入力してください。' })
  notice_on: string;

  /** Empty: at the end of the notice period. */
  @Transform(optional) @IsOptional() @Matches(DATE, { message: '希望日を YYYY-MM-DD で入力してください。' })
  requested_on?: string;
}
