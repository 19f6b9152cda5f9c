import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { STAFF_ROLES, StaffRole } from '@kkd/staff';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const ROLE = '役割を選んでください。';
const REASON = '理由を入力してください。';
const REASON_MAX = '理由は500文字以内で入力してください。';

/** A new staff account; the password is generated and shown once. */
export class NewStaffForm {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString({ message: 'メールアドレスを入力してください。' }) @IsNotEmpty({ message: 'メールアドレスを入力してください。' })
  @MaxLength(254, { message: 'メールアドレスは254文字以内で入力してください。' })
  @Matches(/^[^\s@]+@[^\s@]+$/, { message: 'メールアドレスの形式が正しくありません。' })
  email: string;

  @Transform(trimmed) @IsString({ message: '氏名を入力してください。' }) @IsNotEmpty({ message: '氏名を入力してください。' })
  @MaxLength(100, { message: '氏名は100文字以内で入力してください。' })
  name: string;

  @IsIn(STAFF_ROLES, { message: ROLE })
  role: StaffRole;
}

/** Why an account was changed: kept in the audit log. */
export class StaffChangeForm {
  @Transform(trimmed) @IsString({ message: REASON }) @IsNotEmpty({ message: REASON }) @MaxLength(500, { message: REASON_MAX })
  reason: string;
}

export class StaffRoleForm extends StaffChangeForm {
  @IsIn(STAFF_ROLES, { message: ROLE })
  role: StaffRole;
}
