import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const str = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length) });
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable });
const text = (name: string): TableColumnOptions => ({ name, type: 'text' });
const instant = (name: string): TableColumnOptions => ({ name, type: 'bigint' });
const fk = (column: string, table: string, onDelete: 'CASCADE' | 'SET NULL') =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });

/**
 * The FAQ: entries (working copy + live version), every published version, and the search table
 * holding the live text NFKC-normalised. Japanese has no word spaces, so search is by substring:
 * an FTS5 trigram index on SQLite (external content, kept in sync by triggers), pg_trgm GIN
 * indexes on PostgreSQL. On SQLite every indexed text ends in two spaces, so that each
 * occurrence of a 1–2 character term begins some trigram (found through faq_fts_terms).
 */
export class KnowledgeBase1764900000000 implements MigrationInterface {
  name = 'KnowledgeBase1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'faq_entries',
      columns: [
        id(), str('status', 16), str('category', 32), text('title'), text('question'), text('answer'), text('keep_terms'), text('replacements'),
        int('source_consult_id', true), int('source_member_id', true), int('live_version', true), int('created_by', true), int('updated_by', true),
        instant('created_at'), instant('updated_at'),
      ],
      indices: [new TableIndex({ name: 'idx_faq_entries_status', columnNames: ['status', 'updated_at'] }), new TableIndex({ name: 'idx_faq_entries_source', columnNames: ['source_consult_id'] })],
      foreignKeys: [
        fk('source_consult_id', 'consults', 'SET NULL'), fk('source_member_id', 'members', 'SET NULL'),
        fk('created_by', 'staff_users', 'SET NULL'), fk('updated_by', 'staff_users', 'SET NULL'),
      ],
    }));
    await q.createTable(new Table({
      name: 'faq_versions',
      columns: [id(), int('entry_id'), int('version'), str('category', 32), text('title'), text('question'), text('answer'), int('published_by', true), instant('published_at')],
      indices: [new TableIndex({ name: 'uq_faq_versions', columnNames: ['entry_id', 'version'], isUnique: true })],
      foreignKeys: [fk('entry_id', 'faq_entries', 'CASCADE'), fk('published_by', 'staff_users', 'SET NULL')],
    }));
    // One row per entry members can read: its live version, normalised (see normaliseForSearch).
    await q.createTable(new Table({
      name: 'faq_search',
      columns: [{ name: 'entry_id', type: 'integer', isPrimary: true }, str('category', 32), text('question'), text('answer'), instant('published_at')],
      indices: [new TableIndex({ name: 'idx_faq_search_category', columnNames: ['category', 'published_at'] })],
      foreignKeys: [fk('entry_id', 'faq_entries', 'CASCADE')],
    }));
    // Members sign in to the FAQ with a one-time link mailed to a registered address (only hashes kept).
    await q.createTable(new Table({
      name: 'member_login_tokens',
      columns: [id(), int('member_id'), str('token_hash', 64), str('address', 254), instant('expires_at'), { ...instant('used_at'), isNullable: true }, instant('created_at')],
      indices: [new TableIndex({ name: 'uq_member_login_tokens', columnNames: ['token_hash'], isUnique: true }), new TableIndex({ columnNames: ['member_id', 'created_at'] })],
      foreignKeys: [fk('member_id', 'members', 'CASCADE')],
    }));
    await q.createTable(new Table({
      name: 'member_sessions',
      columns: [id(), int('member_id'), str('token_hash', 64), str('csrf_token', 64), instant('expires_at'), instant('created_at')],
      indices: [new TableIndex({ name: 'uq_member_sessions', columnNames: ['token_hash'], isUnique: true })],
      foreignKeys: [fk('member_id', 'members', 'CASCADE')],
    }));
    if (q.connection.options.type === 'postgres') {
      await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await q.query('CREATE INDEX idx_faq_search_question_trgm ON faq_search USING gin (question gin_trgm_ops)');
      await q.query('CREATE INDEX idx_faq_search_answer_trgm ON faq_search USING gin (answer gin_trgm_ops)');
      return;
    }
    await q.query(`CREATE VIRTUAL TABLE faq_fts USING fts5(question, answer, content='faq_search', content_rowid='entry_id', tokenize='trigram')`);
    // The index's trigrams, for 1–2 character terms: they match the trigrams that begin with them.
    await q.query(`CREATE VIRTUAL TABLE faq_fts_terms USING fts5vocab(faq_fts, 'row')`);
    await q.query(`CREATE TRIGGER faq_search_ai AFTER INSERT ON faq_search BEGIN
      INSERT INTO faq_fts(rowid, question, answer) VALUES (new.entry_id, new.question, new.answer); END`);
    await q.query(`CREATE TRIGGER faq_search_ad AFTER DELETE ON faq_search BEGIN
      INSERT INTO faq_fts(faq_fts, rowid, question, answer) VALUES ('delete', old.entry_id, old.question, old.answer); END`);
    await q.query(`CREATE TRIGGER faq_search_au AFTER UPDATE ON faq_search BEGIN
      INSERT INTO faq_fts(faq_fts, rowid, question, answer) VALUES ('delete', old.entry_id, old.question, old.answer);
      INSERT INTO faq_fts(rowid, question, answer) VALUES (new.entry_id, new.question, new.answer); END`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') {
      for (const trigger of ['faq_search_ai', 'faq_search_ad', 'faq_search_au']) await q.query(`DROP TRIGGER IF EXISTS ${trigger}`);
      await q.query('DROP TABLE IF EXISTS faq_fts_terms');
      await q.query('DROP TABLE IF EXISTS faq_fts');
    }
    for (const table of ['member_sessions', 'member_login_tokens', 'faq_search', 'faq_versions', 'faq_entries']) await q.dropTable(table);
  }
}
