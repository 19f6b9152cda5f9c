import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Failed staff sign-ins in the database instead of each process's memory, so that the login
 * throttle counts attempts against one limit whichever instance they reach (issue 8: several
 * instances). A key is the SHA-256 of client address + account name tried, never the name itself.
 */
export class LoginFailures1765460000000 implements MigrationInterface {
  name = 'LoginFailures1765460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'login_failures',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'key_hash', type: 'varchar', length: '64' },
        { name: 'failed_at', type: 'bigint' },
      ],
      indices: [
        new TableIndex({ name: 'idx_login_failures_key', columnNames: ['key_hash', 'failed_at'] }),
        new TableIndex({ name: 'idx_login_failures_at', columnNames: ['failed_at'] }),
      ],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('login_failures');
  }
}
