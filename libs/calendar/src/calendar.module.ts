import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BusinessCalendar } from './business-calendar';
import { CompanyHolidaysService } from './company-holidays.service';
import { CompanyHolidayRow } from './entities/company-holiday-row.entity';

/** The business calendar, with the company closings managers keep in the database. */
@Module({
  imports: [TypeOrmModule.forFeature([CompanyHolidayRow])],
  providers: [{ provide: BusinessCalendar, useFactory: () => new BusinessCalendar() }, CompanyHolidaysService],
  exports: [BusinessCalendar, CompanyHolidaysService],
})
export class CalendarModule {}
