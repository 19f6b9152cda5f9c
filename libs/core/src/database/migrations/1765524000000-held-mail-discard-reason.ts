import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Why a held mail was discarded (optional, as the staff member wrote it). */
export class HeldMailDiscardReason1765524000000 implements MigrationInterface {
  name = 'HeldMailDiscardReason1765524000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('held_mails', new TableColumn({ name: 'discard_reason', type: 'text', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('held_mails', 'discard_reason');
  }
}
