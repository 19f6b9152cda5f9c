import { Controller, Get, Query } from '@nestjs/common';
import { BusinessCalendar, CALENDAR_RANGE_TEXT } from '@kkd/calendar';
import { parseInstant, toJstIso, ValidationError } from '@kkd/core';
import { Access } from '../http/access.decorator';
import { DueQuery } from './api.dto';

@Controller('api/sla')
export class SlaController {
  constructor(private readonly calendar: BusinessCalendar) {}

  @Get('due')
  @Access('expert')
  due(@Query() query: DueQuery) {
    // An offset's `+` sent unencoded arrives as a space (`…18:30:00 09:00`): read it as the `+` it was.
    const received = parseInstant(query.received.replace(/ (\d{2}:?\d{2})$/, '+$1'));
    if (!received) throw new ValidationError('received', `received must be an ISO-8601 instant, got ${JSON.stringify(query.received)}`);
    const dueAt = this.calendar.dueAtWithinCalendar(received);
    if (!dueAt) throw new ValidationError('received', `received must be from ${CALENDAR_RANGE_TEXT}, the holiday calendar's range, got ${JSON.stringify(query.received)}`);
    return { dueAt: toJstIso(dueAt) };
  }
}
