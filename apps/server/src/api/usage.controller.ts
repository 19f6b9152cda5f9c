import { Controller, Get, Query } from '@nestjs/common';
import { UsageService } from '@kkd/usage';
import { Access } from '../http/access.decorator';
import { MonthQuery } from './reports.controller';

/** Monthly usage per member (INTERFACES.md): managers and admins. */
@Controller('api/usage')
export class UsageApiController {
  constructor(private readonly usage: UsageService) {}

  @Get()
  @Access('manager')
  async month(@Query() query: MonthQuery) {
    const usage = await this.usage.month(query.month);
    return { items: usage.members.map((m) => ({ clubId: m.clubId, nickname: m.nickname, count: m.count, billingCandidates: m.candidates })) };
  }
}
