import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable });
const text = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const instant = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const fk = (column: string, table: string, onDelete: 'CASCADE' | 'SET NULL') =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });

/**
 * Run-time product settings (key/value), and monthly usage: decisions per billing candidate, the
 * history of decisions, closes and reopens, and the frozen snapshot of each closed month.
 * Counting itself needs no column: a consult's ordinal is computed from consults(member_id,
 * received_at), which the initial schema indexes.
 */
export class Usage1764700000000 implements MigrationInterface {
  name = 'Usage1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'settings',
      columns: [{ name: 'key', type: 'varchar', length: '64', isPrimary: true }, text('value', false), instant('updated_at'), int('updated_by', true)],
      foreignKeys: [fk('updated_by', 'staff_users', 'SET NULL')],
    }));
    // The current decision per candidate consult ("billable" or "waived", with the reason).
    await q.createTable(new Table({
      name: 'usage_decisions',
      columns: [
        { name: 'consult_id', type: 'integer', isPrimary: true }, str('month', 7), str('decision', 16), text('reason'),
        int('decided_by', true), instant('decided_at'),
      ],
      indices: [new TableIndex({ name: 'idx_usage_decisions_month', columnNames: ['month'] })],
      foreignKeys: [fk('consult_id', 'consults', 'CASCADE'), fk('decided_by', 'staff_users', 'SET NULL')],
    }));
    // Append-only: every decision, close, reopen and settings change, with who and why.
    await q.createTable(new Table({
      name: 'usage_history',
      columns: [
        id(), str('month', 7, true), str('kind', 16), int('consult_id', true), int('consult_number', true), str('decision', 16, true),
        text('reason'), text('summary', false), int('actor_id', true), instant('occurred_at'),
      ],
      indices: [new TableIndex({ name: 'idx_usage_history_month', columnNames: ['month', 'occurred_at'] })],
      foreignKeys: [fk('actor_id', 'staff_users', 'SET NULL')],
    }));
    // A month that was closed at least once; "reopened" months take decisions again.
    await q.createTable(new Table({
      name: 'usage_months',
      columns: [
        { name: 'month', type: 'varchar', length: '7', isPrimary: true }, str('status', 16),
        int('threshold'), int('unit_price_yen'), int('tax_rate_bp'),
        instant('closed_at'), int('closed_by', true), instant('reopened_at', true), int('reopened_by', true), text('reopen_reason'),
      ],
      foreignKeys: [fk('closed_by', 'staff_users', 'SET NULL'), fk('reopened_by', 'staff_users', 'SET NULL')],
    }));
    // The closed month as it stood at close: every counted consult with its ordinal and decision.
    await q.createTable(new Table({
      name: 'usage_closed_consults',
      columns: [
        { name: 'month', type: 'varchar', length: '7', isPrimary: true }, { name: 'consult_id', type: 'integer', isPrimary: true },
        int('consult_number'), int('member_id'), str('club_id', 32), str('nickname', 100), instant('received_at'),
        int('ordinal'), { name: 'candidate', type: 'boolean', isNullable: false, default: false },
        str('decision', 16, true), text('reason'),
      ],
      indices: [
        new TableIndex({ name: 'idx_usage_closed_consult', columnNames: ['consult_id'] }),
        new TableIndex({ name: 'idx_usage_closed_member', columnNames: ['month', 'member_id', 'ordinal'] }),
      ],
      foreignKeys: [fk('consult_id', 'consults', 'CASCADE')],
    }));
    // Decisions, closes and reopens take this row's lock first, so a decision never slips past a close.
    await q.query(`INSERT INTO counters (name, value) VALUES ('usage', 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM counters WHERE name = 'usage'`);
    for (const table of ['usage_closed_consults', 'usage_months', 'usage_history', 'usage_decisions', 'settings']) await q.dropTable(table);
  }
}
