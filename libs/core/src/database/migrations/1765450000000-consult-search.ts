import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Search across consults: one row per consult with its subject and the text of its messages
 * (inbound, outbound, notes), the member's identity masked, NFKC-normalised as the FAQ search
 * reads it (same engine: an FTS5 trigram index on SQLite kept in sync by triggers, with a
 * two-space tail on every indexed text; pg_trgm GIN indexes on PostgreSQL). `heading` and
 * `excerpt` hold the masked subject and messages as written, for the highlights and snippets. The indexer fills the table from a watermark (the last
 * message id it indexed, in search_watermarks), off the intake's path; `stale` marks consults to
 * rebuild (a merge moved messages).
 */
export class ConsultSearch1765450000000 implements MigrationInterface {
  name = 'ConsultSearch1765450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'consult_search',
      columns: [
        { name: 'consult_id', type: 'integer', isPrimary: true },
        { name: 'subject', type: 'text' },
        { name: 'body', type: 'text' },
        { name: 'heading', type: 'text' },
        { name: 'excerpt', type: 'text' },
        { name: 'stale', type: 'integer', default: 0 },
        { name: 'indexed_at', type: 'bigint' },
      ],
      indices: [new TableIndex({ name: 'idx_consult_search_stale', columnNames: ['stale'] })],
      foreignKeys: [new TableForeignKey({ columnNames: ['consult_id'], referencedTableName: 'consults', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
    }));
    await q.createTable(new Table({
      name: 'search_watermarks',
      columns: [{ name: 'name', type: 'varchar', length: '64', isPrimary: true }, { name: 'last_id', type: 'bigint' }],
    }));
    if (q.connection.options.type === 'postgres') {
      await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await q.query('CREATE INDEX idx_consult_search_subject_trgm ON consult_search USING gin (subject gin_trgm_ops)');
      await q.query('CREATE INDEX idx_consult_search_body_trgm ON consult_search USING gin (body gin_trgm_ops)');
      return;
    }
    await q.query(`CREATE VIRTUAL TABLE consult_fts USING fts5(subject, body, content='consult_search', content_rowid='consult_id', tokenize='trigram')`);
    await q.query(`CREATE VIRTUAL TABLE consult_fts_terms USING fts5vocab(consult_fts, 'row')`);
    await q.query(`CREATE TRIGGER consult_search_ai AFTER INSERT ON consult_search BEGIN
      INSERT INTO consult_fts(rowid, subject, body) VALUES (new.consult_id, new.subject, new.body); END`);
    await q.query(`CREATE TRIGGER consult_search_ad AFTER DELETE ON consult_search BEGIN
      INSERT INTO consult_fts(consult_fts, rowid, subject, body) VALUES ('delete', old.consult_id, old.subject, old.body); END`);
    await q.query(`CREATE TRIGGER consult_search_au AFTER UPDATE OF subject, body ON consult_search BEGIN
      INSERT INTO consult_fts(consult_fts, rowid, subject, body) VALUES ('delete', old.consult_id, old.subject, old.body);
      INSERT INTO consult_fts(rowid, subject, body) VALUES (new.consult_id, new.subject, new.body); END`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') {
      for (const trigger of ['consult_search_ai', 'consult_search_ad', 'consult_search_au']) await q.query(`DROP TRIGGER IF EXISTS ${trigger}`);
      await q.query('DROP TABLE IF EXISTS consult_fts_terms');
      await q.query('DROP TABLE IF EXISTS consult_fts');
    }
    await q.dropTable('search_watermarks');
    await q.dropTable('consult_search');
  }
}
