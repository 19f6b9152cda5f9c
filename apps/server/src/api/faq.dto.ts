import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CATEGORIES, Category } from '@kkd/consults';

/** Past any real FAQ, and small enough to stay an exact integer in SQL. */
const MAX_FAQ_OFFSET = 1_000_000;

export class FaqSearchQuery {
  @IsOptional() @IsString() @MaxLength(200) q?: string;
  @IsOptional() @IsIn(CATEGORIES) category?: Category;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(50) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_FAQ_OFFSET) offset?: number;
}

/** Optional body of a promotion: public indicators of compromise to keep in the text. */
export class FaqPromoteBody {
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(500, { each: true }) keep?: string[];
}
