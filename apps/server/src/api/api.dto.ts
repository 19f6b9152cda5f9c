import { Transform, Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { CATEGORIES, Category, CONSULT_STATUSES, ConsultStatus, Priority, PRIORITIES, SlaState } from '@kkd/consults';

/** A query parameter given empty (`?status=&page=`, as INTERFACES.md writes the route) is no filter. */
const EmptyIsAbsent = () => Transform(({ value, obj, key }) => ((obj as Record<string, unknown>)[key] === '' ? undefined : value));

/** Past any real list, and small enough that its offset stays an exact integer in SQL (as the console's page numbers). */
const MAX_PAGE = 100_000;

export class TicketListQuery {
  @EmptyIsAbsent() @IsOptional() @IsIn(CONSULT_STATUSES) status?: ConsultStatus;
  /** Staff email, `me`, or `none` for unassigned. */
  @EmptyIsAbsent() @IsOptional() @IsString() @MaxLength(320) assignee?: string;
  @EmptyIsAbsent() @IsOptional() @IsString() @MaxLength(200) q?: string;
  @EmptyIsAbsent() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) page?: number;
  @EmptyIsAbsent() @IsOptional() @IsIn(['at_risk', 'breached', 'on_track', 'met', 'met_late']) sla?: SlaState;
  /** Default: best match first with `q`, else newest. */
  @EmptyIsAbsent() @IsOptional() @IsIn(['newest', 'oldest', 'due', 'relevance']) order?: 'newest' | 'oldest' | 'due' | 'relevance';
}

export class ReplyBody {
  @IsString() @IsNotEmpty() @MaxLength(100_000) body: string;
  @IsOptional() @IsIn(CONSULT_STATUSES) status?: ConsultStatus;
}

export class NoteBody {
  @IsString() @IsNotEmpty() @MaxLength(100_000) body: string;
}

export class TicketPatchBody {
  @IsOptional() @IsIn(CONSULT_STATUSES) status?: ConsultStatus;
  @ValidateIf((_o, v) => v !== null && v !== undefined) @IsEmail({ require_tld: false }) assignee?: string | null;
  @IsOptional() @IsIn(CATEGORIES) category?: Category;
  @IsOptional() @IsIn(PRIORITIES) priority?: Priority;
  /** Why a manager reassigns (recorded on the timeline). */
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class DueQuery {
  @IsString() @IsNotEmpty({ message: 'received must be an ISO-8601 instant' }) received: string;
}

export class AssignmentPreviewQuery {
  @IsIn(CATEGORIES, { message: `category must be one of ${CATEGORIES.join(', ')}` }) category: Category;
}
