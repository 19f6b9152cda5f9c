import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { Consult } from '@kkd/consults';
import { DomainEvents, LeaseService, TransactionRunner } from '@kkd/core';
import { realDbModule } from './support/real-db';

describe('database on a real migrated file', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  beforeEach(async () => { db = await realDbModule([]); });
  afterEach(async () => { await db.close(); });
  /** A counter row of the tests' own (on PostgreSQL the consult number is a sequence, not a row). */
  const serialCounter = () => db.module.get(DataSource).query("INSERT INTO counters (name, value) VALUES ('serial', 0)");

  it('runs SQLite in WAL mode with a busy timeout (PostgreSQL: the server the URL names)', async () => {
    const ds = db.module.get(DataSource);
    if (db.config.databaseKind === 'postgres') {
      expect((await ds.query('SELECT current_database() AS name'))[0].name).toBe(new URL(db.config.DATABASE_URL).pathname.slice(1));
      return;
    }
    expect((await ds.query('PRAGMA journal_mode'))[0].journal_mode).toBe('wal');
    expect(Object.values((await ds.query('PRAGMA busy_timeout'))[0])[0]).toBe(10000);
  });

  it('queues concurrent transactions on the single SQLite connection instead of interleaving them', async () => {
    const tx = db.module.get(TransactionRunner);
    await serialCounter();
    const numbers = await Promise.all(Array.from({ length: 50 }, (_, i) => tx.run(async (em) => {
      await em.query(`UPDATE counters SET value = value + 1 WHERE name = 'serial'`);
      await new Promise((r) => setTimeout(r, i % 3)); // yield inside the transaction
      const [row] = await em.query(`SELECT value FROM counters WHERE name = 'serial'`);
      return Number(row.value);
    })));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('rolls back a failed transaction without blocking the next one', async () => {
    const tx = db.module.get(TransactionRunner);
    await serialCounter();
    await expect(tx.run(async (em) => {
      await em.query(`UPDATE counters SET value = 100 WHERE name = 'serial'`);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    const [row] = await tx.run((em) => em.query(`SELECT value FROM counters WHERE name = 'serial'`));
    expect(Number(row.value)).toBe(0);
  });

  it('undoes a failed work alone when works are committed together, and settles each after the commit', async () => {
    const tx = db.module.get(TransactionRunner);
    const ds = db.module.get(DataSource);
    const insert = (name: string, fail = false) => tx.run(async (em) => {
      await em.query(`INSERT INTO counters (name, value) VALUES ('${name}', 1)`);
      if (fail) throw new Error(`${name} failed`);
      // Settled only after the COMMIT: another connection already sees the row.
      return name;
    });
    const results = await Promise.allSettled([insert('group_a'), insert('group_b', true), insert('group_c'), insert('group_a')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('group_b failed');
    const rows: { name: string }[] = await ds.query("SELECT name FROM counters WHERE name LIKE 'group_%' ORDER BY name");
    expect(rows.map((r) => r.name)).toEqual(['group_a', 'group_c']);
  });

  it('waits out another process that holds the SQLite write lock for longer than one busy timeout', async () => {
    if (db.config.databaseKind === 'postgres') return; // row locks wait without a timeout there
    const tx = db.module.get(TransactionRunner);
    const ds = db.module.get(DataSource);
    await ds.query('PRAGMA busy_timeout = 150');
    // Another process's writer: a connection of its own that keeps the lock for 2.5 timeouts.
    const other = await new Promise<sqlite3.Database>((resolve, reject) => {
      const conn = new sqlite3.Database(ds.options.database as string, (err) => (err ? reject(err) : resolve(conn)));
    });
    const exec = (sql: string) => new Promise<void>((resolve, reject) => other.exec(sql, (err) => (err ? reject(err) : resolve())));
    try {
      await exec('BEGIN IMMEDIATE');
      const released = new Promise((r) => setTimeout(r, 375)).then(() => exec('COMMIT'));
      await expect(tx.run((em) => em.query("INSERT INTO counters (name, value) VALUES ('after_wait', 1)"))).resolves.toBeDefined();
      await released;
      expect(await ds.query("SELECT value FROM counters WHERE name = 'after_wait'")).toEqual([{ value: 1 }]);
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  it('keeps the downstream steps that work when one fails, also in a step emitted by another step', async () => {
    const tx = db.module.get(TransactionRunner);
    const ds = db.module.get(DataSource);
    const events = new DomainEvents(tx);
    const mark = (em: import('typeorm').EntityManager, name: string) => em.query(`INSERT INTO counters (name, value) VALUES ('${name}', 1)`);
    // Only the ids matter to these handlers.
    const consultOf = (id: number) => Object.assign(new Consult(), { id });
    events.on('consult.opened', 'first', async (em, { consult }) => {
      await mark(em, `first_${consult.id}`);
      await events.emit(em, 'consult.triaged', { consult, text: '' });
    });
    events.on('consult.opened', 'second', async (em, { consult }) => {
      await mark(em, `second_${consult.id}`);
      if (consult.id === 2) throw new Error('second fails on 2');
    });
    events.on('consult.triaged', 'nested', async (em, { consult }) => {
      await mark(em, `nested_${consult.id}`);
      if (consult.id === 3) throw new Error('nested fails on 3');
    });
    await Promise.all([1, 2, 3].map((consultId) => tx.run(async (em) => {
      await mark(em, `opened_${consultId}`);
      await events.emit(em, 'consult.opened', { consult: consultOf(consultId), text: '', acknowledgementNotes: new Map() });
    })));
    const rows: { name: string }[] = await ds.query('SELECT name FROM counters ORDER BY name');
    expect(rows.map((r) => r.name).filter((n) => /^(first|second|nested|opened)_\d$/.test(n))).toEqual([
      'first_1', 'first_2', 'first_3', 'nested_1', 'nested_2', 'opened_1', 'opened_2', 'opened_3', 'second_1', 'second_3',
    ]);
  });

  it('runs event handlers and end steps without savepoints while nothing fails, and undoes a failed one even when the work swallowed its error (SQLite)', async () => {
    if (db.config.databaseKind !== 'sqlite') return;
    const tx = db.module.get(TransactionRunner);
    const ds = db.module.get(DataSource);
    const events = new DomainEvents(tx);
    const mark = (em: import('typeorm').EntityManager, name: string) => em.query(`INSERT INTO counters (name, value) VALUES ('${name}', 1)`);
    events.on('consult.triaged', 'handler', async (em, { consult }) => {
      await mark(em, `handled_${consult.id}`);
      if (consult.id === 2) throw new Error('the handler fails on 2');
    });
    // SQLite's one connection has one query runner: every statement of the works passes here.
    const runner = ds.driver.createQueryRunner('master');
    const query = jest.spyOn(runner, 'query');
    const work = (consultId: number) => tx.run(async (em) => {
      await mark(em, `body_${consultId}`);
      await tx.atEnd(em, 'end', (last) => mark(last, `end_${consultId}`));
      // A careless caller that swallows the handler's failure.
      await events.emit(em, 'consult.triaged', { consult: Object.assign(new Consult(), { id: consultId }), text: '' }).catch(() => undefined);
    });
    await work(1);
    expect(query.mock.calls.map(([sql]) => sql).filter((sql) => /SAVEPOINT/.test(sql))).toEqual([]);
    await work(2);
    expect(query.mock.calls.map(([sql]) => sql).filter((sql) => /SAVEPOINT/.test(sql)).length).toBeGreaterThan(0);
    query.mockRestore();
    const rows: { name: string }[] = await ds.query("SELECT name FROM counters WHERE name LIKE 'body_%' OR name LIKE 'end_%' OR name LIKE 'handled_%' ORDER BY name");
    expect(rows.map((r) => r.name)).toEqual(['body_1', 'body_2', 'end_1', 'end_2', 'handled_1']);
  });

  it('runs the steps left for the end after the rest of their own work, each undone alone if it fails, once per key', async () => {
    const tx = db.module.get(TransactionRunner);
    const ds = db.module.get(DataSource);
    await ds.query("INSERT INTO counters (name, value) VALUES ('order', 0)");
    // Each row records when it was written (the counter's next value), so the order is visible.
    const mark = async (em: import('typeorm').EntityManager, name: string) => {
      await em.query(`INSERT INTO counters (name, value) SELECT 'seen-${name}', value FROM counters WHERE name = 'order'`);
      await em.query("UPDATE counters SET value = value + 1 WHERE name = 'order'");
    };
    const work = (w: number) => tx.run(async (em) => {
      await tx.atEnd(em, `last_${w}`, (last) => mark(last, `last_${w}_replaced`));
      await tx.atEnd(em, `last_${w}`, (last) => mark(last, `last_${w}`));
      await tx.atEnd(em, `failing_${w}`, async (last) => {
        await mark(last, `failing_${w}`);
        throw new Error('the step fails');
      });
      await mark(em, `body_${w}`);
    });
    // SQLite commits both works in one group, each with its own steps. PostgreSQL gives each its
    // own transaction, whose order against the other is not the runner's: one after the other.
    if (db.config.databaseKind === 'sqlite') await Promise.all([1, 2].map(work));
    else for (const w of [1, 2]) await work(w);
    // Outside a work of the runner, a step runs at once.
    await ds.transaction((em) => tx.atEnd(em, 'now', (now) => mark(now, 'now')));
    const rows: { name: string }[] = await ds.query("SELECT name FROM counters WHERE name LIKE 'seen-%' ORDER BY value");
    expect(rows.map((r) => r.name)).toEqual(['seen-body_1', 'seen-last_1', 'seen-body_2', 'seen-last_2', 'seen-now']);
  });

  it('holds a lock a step takes at the end only from there to the COMMIT (PostgreSQL)', async () => {
    if (db.config.databaseKind !== 'postgres') return;
    const tx = db.module.get(TransactionRunner);
    const ds = db.module.get(DataSource);
    await serialCounter();
    let bodyDone!: () => void;
    const otherCommitted = new Promise<void>((resolve) => { bodyDone = resolve; });
    const work = tx.run(async (em) => {
      await tx.atEnd(em, 'lock', (last) => last.query("UPDATE counters SET value = value + 10 WHERE name = 'serial'"));
      // While this work is still under way, another transaction takes the same row and commits:
      // with the lock taken here and now, it would wait for this COMMIT, which waits for it.
      await otherCommitted;
    });
    await ds.transaction(async (em) => {
      await em.query("SET LOCAL lock_timeout = '5s'");
      await em.query("UPDATE counters SET value = value + 1 WHERE name = 'serial'");
    });
    bodyDone();
    await work;
    const [row] = await ds.query("SELECT value FROM counters WHERE name = 'serial'");
    expect(Number(row.value)).toBe(11);
  });

  it('gives a lease to one holder at a time until it expires', async () => {
    const a = db.module.get(LeaseService);
    const b = new LeaseService(db.module.get(TransactionRunner));
    const t0 = new Date('2026-11-24T00:00:00Z');
    expect(await a.acquire('sweep', 60_000, t0)).toBe(true);
    expect(await b.acquire('sweep', 60_000, new Date(t0.getTime() + 1000))).toBe(false);
    expect(await a.acquire('sweep', 60_000, new Date(t0.getTime() + 2000))).toBe(true); // renewal
    expect(await b.acquire('sweep', 60_000, new Date(t0.getTime() + 62_001))).toBe(true);
    await b.release('sweep');
    expect(await a.acquire('sweep', 60_000, new Date(t0.getTime() + 63_000))).toBe(true);
  });

  it('hands every lease this process holds back at shutdown, so another instance takes them at once, and takes none after', async () => {
    const tx = db.module.get(TransactionRunner);
    const [stopping, other, third] = [new LeaseService(tx), new LeaseService(tx), new LeaseService(tx)];
    const now = new Date();
    expect(await stopping.acquire('handover-outbox', 30_000, now)).toBe(true);
    expect(await stopping.acquire('handover-sla', 180_000, now)).toBe(true);
    expect(await third.acquire('handover-third', 180_000, now)).toBe(true);
    expect(await other.acquire('handover-outbox', 30_000, now)).toBe(false);

    await stopping.beforeApplicationShutdown();
    expect(await other.acquire('handover-outbox', 30_000, now)).toBe(true);
    expect(await other.acquire('handover-sla', 180_000, now)).toBe(true);
    expect(await other.acquire('handover-third', 180_000, now)).toBe(false); // another holder's lease stays
    expect(await stopping.acquire('handover-new', 30_000, now)).toBe(false);
  });
});
