import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

type Work<T> = (manager: EntityManager) => Promise<T>;
interface Queued {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}
/** A running work: the steps it left for its end, and whether a failing step gets a savepoint. */
interface WorkState {
  steps: { key: string; step: Work<unknown> }[];
  careful: boolean;
  /** A step failed in the savepoint-free try: the work must run again, carefully. */
  stepFailed: boolean;
}

/**
 * Thrown by a step that failed in a SQLite work's first, savepoint-free try; the runner undoes the
 * work and runs it again with a savepoint per step. Code between must let it pass.
 */
export class RunAgainCarefully extends Error {
  constructor(cause: unknown) {
    super(`a step failed; the work runs again with savepoints: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Works committed together at most (a burst of mail shares one commit and its fsync). */
const MAX_GROUP = 32;
/** Taken first, so another process on the same file waits (busy timeout) instead of failing. */
const TAKE_WRITE_LOCK = "UPDATE counters SET value = value WHERE name = 'consult_number'";
/**
 * Tries at the write lock, each up to the busy timeout. SQLite's busy handler polls, so a writer
 * in another process that commits group after group can keep winning for longer than one timeout.
 */
const LOCK_TRIES = 3;

/**
 * The one way to write. PostgreSQL gets a real transaction each.
 *
 * SQLite has one connection and one writer, so works queue, and the works waiting when the writer
 * frees up are committed together (group commit); one that fails is undone alone and only its
 * caller sees the error (a work must therefore be safe to run again: it only touches the
 * database). Every caller's promise settles after the shared COMMIT, so nothing is reported done
 * before it is durable. A transaction takes
 * the write lock with its first statement: another process on the same file (the parts of the
 * server run apart) then waits instead of failing with SQLITE_BUSY on a stale read snapshot.
 *
 * A step that takes a lock other transactions wait on can ask to run last (atEnd), so the lock is
 * held only from there to the COMMIT.
 *
 * A step whose failure must not undo the work (an event handler, an end step) runs through
 * `undoAlone`. On SQLite a work first runs with no savepoint for them (two statements saved per
 * step, and the common case never fails); if one fails, the work is undone and runs once more with
 * a savepoint per step, keeping what works.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly queue: Queued[] = [];
  private draining = false;
  /** Each running work's state, by the transaction's query runner. */
  private readonly states = new WeakMap<QueryRunner, WorkState>();

  constructor(private readonly dataSource: DataSource) {}

  /** For reads outside a transaction. */
  get readManager(): EntityManager {
    return this.dataSource.manager;
  }

  run<T>(work: Work<T>): Promise<T> {
    if (this.dataSource.options.type !== 'sqlite') return this.dataSource.transaction((em) => this.withState(em, work, true));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work: work as Work<unknown>, resolve: resolve as (value: unknown) => void, reject });
      void this.drain();
    });
  }

  /**
   * Runs `step` so that its failure can be undone alone: under a savepoint, or, in a SQLite work's
   * first try, directly (a failure then throws RunAgainCarefully, and the work runs again).
   */
  async undoAlone<T>(em: EntityManager, step: Work<T>): Promise<T> {
    const state = em.queryRunner && this.states.get(em.queryRunner);
    if (!state || state.careful) return em.transaction(step);
    try {
      return await step(em);
    } catch (error) {
      state.stepFailed = true;
      throw error instanceof RunAgainCarefully ? error : new RunAgainCarefully(error);
    }
  }

  /**
   * Runs `step` after the rest of the current work, just before its COMMIT (at once outside a work
   * of this runner), under a savepoint of its own: one that fails is undone alone and logged, and
   * the work is kept. PostgreSQL's row lock on a shared counter is then held for the end only.
   * A step left again under the same key (an event handler run again after a savepoint was
   * undone) replaces the earlier one.
   */
  async atEnd(em: EntityManager, key: string, step: Work<unknown>): Promise<void> {
    const steps = em.queryRunner && this.states.get(em.queryRunner)?.steps;
    if (!steps) {
      await step(em);
      return;
    }
    const i = steps.findIndex((s) => s.key === key);
    if (i >= 0) steps.splice(i, 1);
    steps.push({ key, step });
  }

  private async withState<T>(em: EntityManager, work: Work<T>, careful: boolean): Promise<T> {
    const runner = em.queryRunner!;
    const state: WorkState = { steps: [], careful, stepFailed: false };
    this.states.set(runner, state);
    try {
      const value = await work(em);
      // A step may leave another one for the end.
      for (let next = state.steps.shift(); next; next = state.steps.shift()) {
        try {
          await this.undoAlone(em, next.step);
        } catch (err) {
          if (err instanceof RunAgainCarefully) throw err;
          this.logger.error(`${next.key} failed (undone, the rest is kept): ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      // Also when the work caught the failure: the failed step's writes must not be committed.
      if (state.stepFailed) throw new RunAgainCarefully('a step failed');
      return value;
    } finally {
      // SQLite's works of a group share the runner: the next one starts with a state of its own.
      this.states.delete(runner);
    }
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length) await this.commitGroup(this.queue.splice(0, MAX_GROUP));
    } finally {
      this.draining = false;
    }
  }

  private async commitGroup(group: Queued[]): Promise<void> {
    if (group.length > 1) {
      // Optimistic: the works one after the other, with no savepoint each (two statements saved
      // per work). If one of them fails, the whole transaction is undone and every work of the
      // group runs again alone, so only the failing one's caller sees its error. A failure of the
      // transaction itself (the lock, the commit) is everybody's.
      let workFailed = false;
      try {
        const values = await this.locked(async (em) => {
          const done: unknown[] = [];
          for (const item of group) {
            try {
              done.push(await this.withState(em, item.work, false));
            } catch (error) {
              workFailed = true;
              throw error;
            }
          }
          return done;
        });
        group.forEach((item, i) => item.resolve(values[i]));
      } catch (error) {
        if (!workFailed) group.forEach((item) => item.reject(error));
        else for (const item of group) await this.commitGroup([item]);
      }
      return;
    }
    const [item] = group;
    try {
      item.resolve(await this.locked((em) => this.withState(em, item.work, false)));
    } catch (error) {
      if (!(error instanceof RunAgainCarefully)) return item.reject(error);
      try {
        item.resolve(await this.locked((em) => this.withState(em, item.work, true)));
      } catch (again) {
        item.reject(again);
      }
    }
  }

  /** A SQLite transaction that takes the write lock first, trying again while another process holds it. */
  private async locked<T>(work: Work<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      let lockTaken = false;
      try {
        return await this.dataSource.transaction(async (em) => {
          await em.query(TAKE_WRITE_LOCK);
          lockTaken = true;
          return work(em);
        });
      } catch (error) {
        if (lockTaken || tries >= LOCK_TRIES || (error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        this.logger.warn(`the SQLite write lock is busy (another process writes); try ${tries + 1} of ${LOCK_TRIES}`);
      }
    }
  }
}
