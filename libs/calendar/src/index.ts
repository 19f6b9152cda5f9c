export { CalendarModule } from './calendar.module';
export { BusinessCalendar } from './business-calendar';
export type { CompanyHoliday } from './utils/company-holidays.util';
export type { DueExplanation } from './utils/business-time.util';
