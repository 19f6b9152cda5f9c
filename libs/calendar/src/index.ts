import './calendar-events'; // the calendar events of DomainEventMap
export { CalendarModule } from './calendar.module';
export { BusinessCalendar } from './business-calendar';
export { CompanyHolidaysService } from './company-holidays.service';
export { CompanyHolidayRow } from './entities/company-holiday-row.entity';
export { nationalHolidaysOf } from './business-calendar';
export { addDays, jstDateOf } from './utils/civil-date.util';
export { CALENDAR_RANGE_TEXT } from './utils/calendar-range.util';
export type { CompanyHoliday } from './utils/company-holidays.util';
export type { CompanyHolidayInput } from './utils/validate-company-holiday.util';
export type { DueExplanation } from './utils/business-time.util';
