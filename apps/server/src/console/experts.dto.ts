import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CATEGORIES, Category } from '@kkd/consults';
import { NEW_CONSULT_NOTICES, NewConsultNotice } from '@kkd/staff';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CAPACITY = '担当上限は 0〜1000 の整数で入力してください。';

/** An expert's profile form: unchecked boxes send nothing, so skills and active default in the controller. */
export class ExpertProfileForm {
  /** One checked box arrives as a string, several as an array. */
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' ? [value] : value))
  @IsArray({ message: '専門分野が正しくありません。' }) @IsIn(CATEGORIES, { each: true, message: '専門分野が正しくありません。' })
  skills?: Category[];

  /** An empty field is not 0: it is refused with a message. */
  @Transform(({ value }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN))
  @IsInt({ message: CAPACITY }) @Min(0, { message: CAPACITY }) @Max(1000, { message: CAPACITY })
  capacity: number;

  @IsOptional() @IsIn(['on'], { message: '有効の指定が正しくありません。' })
  active?: 'on';

  /** Left out (an older form): the choice stays as it was. */
  @IsOptional() @IsIn(NEW_CONSULT_NOTICES, { message: '新規相談の通知の指定が正しくありません。' })
  newConsultNotice?: NewConsultNotice;
}

export class AbsenceForm {
  @IsString({ message: '開始日を入力してください。' }) @IsNotEmpty({ message: '開始日を入力してください。' }) @Matches(DATE, { message: '開始日を YYYY-MM-DD で入力してください。' })
  starts_on: string;

  @IsString({ message: '終了日を入力してください。' }) @IsNotEmpty({ message: '終了日を入力してください。' }) @Matches(DATE, { message: '終了日を YYYY-MM-DD で入力してください。' })
  ends_on: string;

  @IsOptional() @IsString() @MaxLength(200, { message: 'メモは200文字以内で入力してください。' })
  note?: string;
}

export class ReassignAllForm {
  @IsString({ message: '再割当の理由を入力してください。' }) @IsNotEmpty({ message: '再割当の理由を入力してください。' }) @MaxLength(500, { message: '理由は500文字以内で入力してください。' })
  reason: string;
}
