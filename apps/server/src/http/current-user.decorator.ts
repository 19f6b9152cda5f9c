import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthedRequest } from './request-context';

/** The signed-in staff member (the AccessGuard has already required one). */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthedRequest>().user);
