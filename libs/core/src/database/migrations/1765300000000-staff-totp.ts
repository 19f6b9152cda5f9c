import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * Two-factor sign-in for staff (TOTP, RFC 6238): the secret and when it was confirmed, the last
 * time step used (a code works once), one-time recovery codes (hashes only), and whether a console
 * session still waits for its second factor.
 */
export class StaffTotp1765300000000 implements MigrationInterface {
  name = 'StaffTotp1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('staff_users', [
      new TableColumn({ name: 'totp_secret', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'totp_enabled_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'totp_last_step', type: 'bigint', isNullable: true }),
    ]);
    await q.addColumn('sessions', new TableColumn({ name: 'awaiting_second_factor', type: 'boolean', isNullable: false, default: false }));
    await q.createTable(new Table({
      name: 'staff_recovery_codes',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'user_id', type: 'integer' },
        { name: 'code_hash', type: 'varchar', length: '64' },
        { name: 'used_at', type: 'bigint', isNullable: true },
        { name: 'created_at', type: 'bigint' },
      ],
      indices: [new TableIndex({ columnNames: ['user_id'] }), new TableIndex({ name: 'uq_recovery_code_hash', columnNames: ['code_hash'], isUnique: true })],
      foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'staff_users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('staff_recovery_codes');
    await q.dropColumn('sessions', 'awaiting_second_factor');
    for (const column of ['totp_last_step', 'totp_enabled_at', 'totp_secret']) await q.dropColumn('staff_users', column);
  }
}
