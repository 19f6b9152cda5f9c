import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CATEGORIES, Category, PRIORITIES, Priority } from '@kkd/consults';

/** An empty select option means "none". */
const emptyToNull = ({ value }: { value: unknown }) => (value === '' ? null : value);

/** A triage rule's add or edit form; `action` says whether to preview the change or save it. */
export class TriageRuleForm {
  @IsString({ message: '語句を入力してください。' }) @IsNotEmpty({ message: '語句を入力してください。' }) @MaxLength(100, { message: '語句は100文字以内で入力してください。' })
  term: string;

  @Transform(emptyToNull) @IsOptional() @IsIn(CATEGORIES, { message: '分類が正しくありません。' })
  category?: Category | null;

  @Transform(emptyToNull) @IsOptional() @IsIn(PRIORITIES, { message: '優先度が正しくありません。' })
  priority?: Priority | null;

  @Type(() => Number) @IsInt({ message: '重みを整数で入力してください。' })
  weight: number;

  @IsOptional() @IsIn(['preview', 'save'], { message: '操作が正しくありません。' })
  action?: 'preview' | 'save';
}
