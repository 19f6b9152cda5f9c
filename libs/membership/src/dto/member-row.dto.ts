import { IsIn, IsNotEmpty, IsOptional, Matches, MaxLength } from 'class-validator';
import { MEMBER_STATUSES, MemberStatus } from '../entities/member.entity';

/** What a required cell left empty is told (the parser names row and column with it). */
export const REQUIRED_MESSAGES = {
  club_id: '会員IDは必須です', nickname: 'ニックネームは必須です', email: 'メールアドレスは必須です', company: '会社名は必須です',
  contract_start: '契約開始日は必須です',
} as const;

/** One row of the members CSV (INTERFACES.md), property names are the column names. */
export class MemberRowDto {
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, { message: 'must be letters, digits, - or _ (at most 32)' })
  club_id: string;

  @IsNotEmpty({ message: REQUIRED_MESSAGES.nickname }) @MaxLength(100)
  nickname: string;

  @IsNotEmpty({ message: REQUIRED_MESSAGES.email })
  email: string;

  @IsNotEmpty({ message: REQUIRED_MESSAGES.company }) @MaxLength(200)
  company: string;

  @IsOptional() @MaxLength(200) department?: string;
  @IsOptional() @MaxLength(100) contact_name?: string;
  @IsOptional() @Matches(/^[0-9０-９+()\- ー－]{6,20}$/, { message: 'must be a phone number' }) phone?: string;
  @IsOptional() @Matches(/^〒?\s?\d{3}-?\d{4}$/, { message: 'must be a postal code like 100-0001' }) postal_code?: string;
  @IsOptional() @MaxLength(500) address?: string;

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  contract_start: string;

  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  contract_end?: string;

  @IsOptional() @IsIn(MEMBER_STATUSES as unknown as string[], { message: `must be one of ${MEMBER_STATUSES.join(', ')}` })
  status?: MemberStatus;
}

export const MEMBER_CSV_COLUMNS = [
  'club_id', 'nickname', 'email', 'company', 'department', 'contact_name', 'phone', 'postal_code', 'address',
  'contract_start', 'contract_end', 'status',
] as const;
