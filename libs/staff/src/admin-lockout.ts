import { EntityManager, Not } from 'typeorm';
import { ValidationError } from '@kkd/core';
import { StaffUser } from './entities/staff-user.entity';

/**
 * Refuses a change that would leave no active admin (nobody could manage staff accounts again
 * from the console). On PostgreSQL the admins' rows are locked first, so two admins demoting or
 * disabling each other at the same moment cannot both pass; SQLite runs one writer at a time.
 */
export async function assertAnotherActiveAdmin(em: EntityManager, exceptId: number, field: string): Promise<void> {
  const lock = em.connection.options.type === 'sqlite' ? {} : { lock: { mode: 'pessimistic_write' as const } };
  const others = await em.getRepository(StaffUser).find({ where: { role: 'admin', active: true, id: Not(exceptId) }, order: { id: 'ASC' }, ...lock });
  if (others.length === 0) {
    throw new ValidationError(field, '有効な管理者がいなくなるため変更できません。先に別の管理者を有効にしてください。');
  }
}
