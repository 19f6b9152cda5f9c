import { Module } from '@nestjs/common';
import { BusinessCalendar } from './business-calendar';

@Module({
  providers: [{ provide: BusinessCalendar, useFactory: () => new BusinessCalendar() }],
  exports: [BusinessCalendar],
})
export class CalendarModule {}
