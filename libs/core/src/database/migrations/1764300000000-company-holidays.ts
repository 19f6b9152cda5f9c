import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Company closings managers edit; the terms' default closing 12/29–1/3 every year. */
export class CompanyHolidays1764300000000 implements MigrationInterface {
  name = 'CompanyHolidays1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'company_holidays',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'start_date', type: 'varchar', length: '10' },
        { name: 'end_date', type: 'varchar', length: '10' },
        { name: 'reason', type: 'varchar', length: '100' },
        { name: 'yearly', type: 'boolean', default: false },
        { name: 'created_at', type: 'bigint' },
      ],
    }));
    await q.query(`INSERT INTO company_holidays (start_date, end_date, reason, yearly, created_at) VALUES ('12-29', '01-03', '年末年始休業', true, ${Date.UTC(2026, 0, 1)})`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('company_holidays');
  }
}
