import { Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock, DomainEvents, NotFoundError, TransactionRunner, ValidationError } from '@kkd/core';
import './calendar-events';
import { BusinessCalendar } from './business-calendar';
import { CompanyHolidayRow } from './entities/company-holiday-row.entity';
import { CompanyHolidayInput, validateCompanyHoliday } from './utils/validate-company-holiday.util';

const holidaysOf = (rows: CompanyHolidayRow[]) => rows.map((r) => ({ start: r.startDate, end: r.endDate, reason: r.reason, yearly: r.yearly }));

/** Other instances pick up a manager's edit within this time. */
const REFRESH_MS = 60_000;

/** Company closings in the database, kept loaded in the BusinessCalendar. */
@Injectable()
export class CompanyHolidaysService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectRepository(CompanyHolidayRow) private readonly rows: Repository<CompanyHolidayRow>,
    private readonly calendar: BusinessCalendar,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  list(): Promise<CompanyHolidayRow[]> {
    return this.rows.find({ order: { yearly: 'DESC', startDate: 'ASC', id: 'ASC' } });
  }

  /** Adds a closing; a bad entry throws ValidationError naming the field. */
  async add(input: CompanyHolidayInput): Promise<CompanyHolidayRow> {
    const { holiday, errors } = validateCompanyHoliday(input);
    if (!holiday) {
      const [field, message] = Object.entries(errors)[0];
      throw new ValidationError(field, message);
    }
    const row = await this.tx.run(async (em) => {
      const saved = await em.getRepository(CompanyHolidayRow).save(em.getRepository(CompanyHolidayRow).create({
        startDate: holiday.start, endDate: holiday.end, reason: holiday.reason, yearly: holiday.yearly ?? false, createdAt: this.clock.now(),
      }));
      await this.changed(em);
      return saved;
    });
    await this.refresh();
    return row;
  }

  async remove(id: number): Promise<void> {
    await this.tx.run(async (em) => {
      const result = await em.getRepository(CompanyHolidayRow).delete({ id });
      if (!result.affected) throw new NotFoundError('company holiday', id);
      await this.changed(em);
    });
    await this.refresh();
  }

  async refresh(): Promise<void> {
    this.calendar.setCompanyHolidays(holidaysOf(await this.rows.find()));
  }

  /** Due times already stored follow the new closings, in the same transaction (the SLA lib listens). */
  private async changed(em: EntityManager): Promise<void> {
    const calendar = new BusinessCalendar(holidaysOf(await em.getRepository(CompanyHolidayRow).find()));
    await this.events.emit(em, 'calendar.company_holidays_changed', { calendar });
  }
}
