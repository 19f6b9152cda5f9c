import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { USAGE_DECISIONS, UsageDecisionKind } from '@kkd/usage';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const MONTH_MESSAGE = '月は YYYY-MM の形式で指定してください。';

/** A manager's decision on one billing candidate. */
export class UsageDecisionForm {
  @IsString() @Matches(MONTH, { message: MONTH_MESSAGE })
  month: string;

  @Type(() => Number) @IsInt({ message: '相談番号が正しくありません。' }) @Min(1, { message: '相談番号が正しくありません。' })
  consultNumber: number;

  @IsIn(USAGE_DECISIONS, { message: '「請求対象」か「免除」を選んでください。' })
  decision: UsageDecisionKind;

  @ValidateIf((o: UsageDecisionForm) => o.decision === 'waived' || !!o.reason)
  @IsString() @IsNotEmpty({ message: '免除する理由を入力してください。' }) @MaxLength(500, { message: '理由は500文字以内で入力してください。' })
  reason?: string;
}

export class UsageMonthForm {
  @IsString() @Matches(MONTH, { message: MONTH_MESSAGE })
  month: string;
}

export class UsageReopenForm extends UsageMonthForm {
  @IsString() @IsNotEmpty({ message: '再開する理由を入力してください。' }) @MaxLength(500, { message: '理由は500文字以内で入力してください。' })
  reason: string;
}

/** The usage settings; each value is checked again by its setting's rules when saved. */
export class UsageSettingsForm {
  @IsOptional() @IsString() @Matches(MONTH, { message: MONTH_MESSAGE })
  month?: string;

  @IsString() @Matches(/^\s*\d{1,2}\s*$/, { message: 'しきい値は 1〜99 の整数で入力してください。' })
  threshold: string;

  @IsString() @IsNotEmpty({ message: '通知文を入力してください。' }) @MaxLength(1000, { message: '通知文は1000文字以内で入力してください。' })
  notice: string;

  @IsString() @Matches(/^\s*\d{1,8}\s*$/, { message: '単価（円）は 0〜10,000,000 の整数で入力してください。' })
  unitPrice: string;

  @IsString() @Matches(/^\s*\d{1,3}(\.\d{1,2})?\s*$/, { message: '消費税率は 0〜100 の数（小数第2位まで）で入力してください。' })
  taxRate: string;
}
