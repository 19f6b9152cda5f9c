import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

// Column helpers: the same migration creates the schema on SQLite and PostgreSQL.
const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const text = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const int = (name: string, nullable = false, dflt?: number): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable, default: dflt });
const instant = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const bool = (name: string, dflt: boolean): TableColumnOptions => ({ name, type: 'boolean', isNullable: false, default: dflt });
const fk = (column: string, table: string, onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT' = 'RESTRICT') =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'members',
      columns: [
        id(), str('club_id', 32), str('nickname', 100), str('company', 200), str('department', 200, true),
        str('contact_name', 100, true), str('phone', 50, true), str('postal_code', 16, true), text('address'),
        str('contract_start', 10), str('contract_end', 10), str('status', 16), instant('created_at'), instant('updated_at'),
      ],
      indices: [new TableIndex({ columnNames: ['club_id'], isUnique: true })],
    }));
    await q.createTable(new Table({
      name: 'member_emails',
      columns: [id(), int('member_id'), str('address', 320)],
      indices: [new TableIndex({ columnNames: ['address'], isUnique: true }), new TableIndex({ columnNames: ['member_id'] })],
      foreignKeys: [fk('member_id', 'members', 'CASCADE')],
    }));
    await q.createTable(new Table({
      name: 'staff_users',
      columns: [
        id(), str('email', 320), str('name', 100), str('role', 16), str('password_hash', 100, true),
        { name: 'skills', type: 'varchar', length: '500', isNullable: false, default: "''" }, bool('active', true),
        instant('created_at'),
      ],
      indices: [new TableIndex({ columnNames: ['email'], isUnique: true })],
    }));
    await q.createTable(new Table({
      name: 'api_tokens',
      columns: [id(), int('user_id'), str('token_hash', 64), instant('created_at'), instant('last_used_at', true)],
      indices: [new TableIndex({ columnNames: ['token_hash'], isUnique: true })],
      foreignKeys: [fk('user_id', 'staff_users', 'CASCADE')],
    }));
    await q.createTable(new Table({
      name: 'sessions',
      columns: [
        { name: 'id', type: 'varchar', length: '64', isPrimary: true }, int('user_id'), str('csrf_token', 64),
        instant('expires_at'), instant('created_at'),
      ],
      indices: [new TableIndex({ columnNames: ['user_id'] })],
      foreignKeys: [fk('user_id', 'staff_users', 'CASCADE')],
    }));
    await q.createTable(new Table({
      name: 'counters',
      columns: [{ name: 'name', type: 'varchar', length: '32', isPrimary: true }, int('value', false, 0)],
    }));
    await q.query(`INSERT INTO counters (name, value) VALUES ('consult_number', 0)`);
    await q.createTable(new Table({
      name: 'consults',
      columns: [
        id(), int('number'), int('member_id'), text('subject', false), str('status', 20), str('category', 32),
        str('priority', 16), int('assignee_id', true), str('reply_address', 320), instant('received_at'),
        instant('first_due_at', true), instant('due_at', true), instant('first_response_at', true), instant('last_message_at'),
        instant('created_at'), instant('updated_at'),
      ],
      indices: [
        new TableIndex({ columnNames: ['number'], isUnique: true }),
        new TableIndex({ columnNames: ['status', 'received_at'] }),
        new TableIndex({ columnNames: ['received_at'] }),
        new TableIndex({ columnNames: ['member_id', 'received_at'] }),
        new TableIndex({ columnNames: ['assignee_id'] }),
      ],
      foreignKeys: [fk('member_id', 'members'), fk('assignee_id', 'staff_users', 'SET NULL')],
    }));
    await q.createTable(new Table({
      name: 'messages',
      columns: [
        id(), int('consult_id'), str('direction', 10), int('author_id', true), str('from_address', 320, true),
        text('message_id_header'), text('in_reply_to'), text('references_header'), text('subject', false),
        text('text', false), text('html'), text('headers_json'), str('raw_path', 500, true), text('parse_error'),
        instant('occurred_at'), instant('created_at'),
      ],
      indices: [
        new TableIndex({ columnNames: ['consult_id', 'occurred_at'] }),
        new TableIndex({ columnNames: ['message_id_header'] }),
      ],
      foreignKeys: [fk('consult_id', 'consults', 'CASCADE'), fk('author_id', 'staff_users', 'SET NULL')],
    }));
    await q.createTable(new Table({
      name: 'attachments',
      columns: [
        id(), int('message_id'), str('filename', 500), str('content_type', 200), int('size'), str('sha256', 64),
        str('storage_path', 500), bool('encrypted', false),
      ],
      indices: [new TableIndex({ columnNames: ['message_id'] })],
      foreignKeys: [fk('message_id', 'messages', 'CASCADE')],
    }));
    await q.createTable(new Table({
      name: 'outbound_mails',
      columns: [
        id(), int('consult_id', true), int('message_row_id', true), str('kind', 20), str('to_address', 320),
        text('subject', false), text('body_text', false), text('message_id_header', false), text('in_reply_to'),
        text('references_header'), str('status', 10), int('attempts', false, 0), instant('next_attempt_at'),
        text('last_error'), instant('sent_at', true), str('eml_path', 500, true), instant('created_at'),
      ],
      indices: [
        new TableIndex({ columnNames: ['status', 'next_attempt_at'] }),
        new TableIndex({ columnNames: ['consult_id'] }),
      ],
      foreignKeys: [fk('consult_id', 'consults', 'CASCADE'), fk('message_row_id', 'messages', 'SET NULL')],
    }));
    await q.createTable(new Table({
      name: 'held_mails',
      columns: [
        id(), str('from_address', 320, true), text('subject', false), str('reason', 32), str('raw_path', 500),
        text('message_id_header'), str('status', 16), instant('received_at'), instant('created_at'),
      ],
      indices: [new TableIndex({ columnNames: ['status', 'received_at'] })],
    }));
    await q.createTable(new Table({
      name: 'leases',
      columns: [{ name: 'name', type: 'varchar', length: '64', isPrimary: true }, str('holder', 100), instant('expires_at')],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['leases', 'held_mails', 'outbound_mails', 'attachments', 'messages', 'consults', 'counters', 'sessions', 'api_tokens', 'staff_users', 'member_emails', 'members']) {
      await q.dropTable(table);
    }
  }
}
