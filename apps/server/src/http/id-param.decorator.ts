import { createParamDecorator, ExecutionContext, PipeTransform } from '@nestjs/common';
import { NotFoundError } from '@kkd/core';

/** The largest id a 4-byte integer column holds (PostgreSQL refuses a larger one with a 500). */
const MAX_ID = 2_147_483_647;

/**
 * A record's number or id in the path. Anything but a whole number from 1 up names no record:
 * 404 (the console's 見つかりません page, the API's `not_found`), not ParseIntPipe's English 400.
 */
export class ParseIdPipe implements PipeTransform<string, number> {
  constructor(private readonly what: string) {}

  transform(value: string): number {
    const id = /^[1-9]\d{0,9}$/.test(value) ? Number(value) : NaN;
    if (!(id <= MAX_ID)) throw new NotFoundError(this.what, value);
    return id;
  }
}

/**
 * The path parameter as it came. Not `@Param`: the global ValidationPipe turns a `number` param into
 * a number before this pipe runs, so `abc` would arrive as NaN ("faq entry NaN not found") and `0x10` as 16.
 */
const RawPathParam = createParamDecorator((name: string, ctx: ExecutionContext): string => ctx.switchToHttp().getRequest<{ params: Record<string, string> }>().params[name]);

/** `@IdParam('number', 'consult')`: the path parameter as a record id, 404 when it cannot be one. */
export const IdParam = (name: string, what: string): ParameterDecorator => RawPathParam(name, new ParseIdPipe(what));
