import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, LessThanOrEqual, MoreThanOrEqual, Repository } from 'typeorm';
import { Clock, NotFoundError, toJstIso, TransactionRunner, ValidationError } from '@kkd/core';
import { StaffAbsence } from './entities/staff-absence.entity';
import { StaffUser } from './entities/staff-user.entity';

/** The Japan calendar date of an instant (YYYY-MM-DD): absences are whole Japan days. */
export function japanDateOf(instant: Date): string {
  return toJstIso(instant).slice(0, 10);
}

function isCivilDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

/** Staff absences (holidays, training, sick days): assignment skips an absent expert. */
@Injectable()
export class AbsenceService {
  constructor(
    @InjectRepository(StaffAbsence) private readonly absences: Repository<StaffAbsence>,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async add(userId: number, startsOn: string, endsOn: string, note: string | null): Promise<StaffAbsence> {
    if (!isCivilDate(startsOn)) throw new ValidationError('startsOn', '開始日を YYYY-MM-DD で入力してください。');
    if (!isCivilDate(endsOn)) throw new ValidationError('endsOn', '終了日を YYYY-MM-DD で入力してください。');
    if (endsOn < startsOn) throw new ValidationError('endsOn', '終了日は開始日以降にしてください。');
    return this.tx.run(async (em) => {
      if (!(await em.getRepository(StaffUser).exists({ where: { id: userId } }))) throw new NotFoundError('staff user', userId);
      const repo = em.getRepository(StaffAbsence);
      return repo.save(repo.create({ userId, startsOn, endsOn, note: note?.trim() || null, createdAt: this.clock.now() }));
    });
  }

  async remove(id: number): Promise<StaffAbsence> {
    return this.tx.run(async (em) => {
      const absence = await em.getRepository(StaffAbsence).findOne({ where: { id } });
      if (!absence) throw new NotFoundError('absence', id);
      await em.getRepository(StaffAbsence).delete(id);
      return absence;
    });
  }

  /** Absences not over yet (ending today or later), soonest first. */
  current(userIds?: number[]): Promise<StaffAbsence[]> {
    return this.absences.find({
      where: { endsOn: MoreThanOrEqual(japanDateOf(this.clock.now())), ...(userIds ? { userId: In(userIds) } : {}) },
      order: { startsOn: 'ASC', id: 'ASC' },
    });
  }

  /** Who is absent at `at` (its Japan date), with the day each absence ends. */
  async absentAt(at: Date, em: EntityManager = this.absences.manager): Promise<Map<number, string>> {
    const day = japanDateOf(at);
    const rows = await em.getRepository(StaffAbsence).find({ where: { startsOn: LessThanOrEqual(day), endsOn: MoreThanOrEqual(day) } });
    const absent = new Map<number, string>();
    for (const r of rows) if ((absent.get(r.userId) ?? '') < r.endsOn) absent.set(r.userId, r.endsOn);
    return absent;
  }
}
