import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CATEGORIES, Category } from '@kkd/consults';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The entry edit form (experts and managers). Keep terms: one indicator per line. */
export class FaqEntryForm {
  @Transform(trimmed) @IsString({ message: 'タイトルを入力してください。' }) @IsNotEmpty({ message: 'タイトルを入力してください。' })
  @MaxLength(200, { message: 'タイトルは200文字以内で入力してください。' })
  title: string;

  @Transform(trimmed) @IsString({ message: '質問を入力してください。' }) @IsNotEmpty({ message: '質問を入力してください。' })
  @MaxLength(20_000, { message: '質問は20,000文字以内で入力してください。' })
  question: string;

  @Transform(trimmed) @IsString({ message: '回答を入力してください。' }) @IsNotEmpty({ message: '回答を入力してください。' })
  @MaxLength(50_000, { message: '回答は50,000文字以内で入力してください。' })
  answer: string;

  @IsIn(CATEGORIES, { message: '分類を選んでください。' })
  category: Category;

  @IsOptional() @IsString() @MaxLength(2_000, { message: '残す指標は2,000文字以内で入力してください。' })
  keep?: string;
}

/** 「作り直す」: the indicators to keep when drafting again from the consult. */
export class FaqRedraftForm {
  @IsOptional() @IsString() @MaxLength(2_000, { message: '残す指標は2,000文字以内で入力してください。' })
  keep?: string;
}

export const keepLines = (keep: string | undefined): string[] => (keep ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean).slice(0, 50);
