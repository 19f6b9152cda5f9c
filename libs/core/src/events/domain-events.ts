import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RunAgainCarefully, TransactionRunner } from '../database/transaction-runner';

/**
 * The events work moves downstream by (intake → triage → assignment), with their payloads. A lib
 * whose model an event carries declares it beside that model (module augmentation of this map):
 * the consult events are in libs/consults/src/consult-events.ts.
 */
export interface DomainEventMap {
  /** A member's identity details or mail addresses changed: texts masked with the old ones are out of date. */
  'member.identity_changed': { memberId: number };
}
export type DomainEventName = keyof DomainEventMap;
type Handler<K extends DomainEventName> = (em: EntityManager, payload: DomainEventMap[K]) => Promise<void>;

/**
 * In-transaction events: a lib subscribes on start, the emitter never imports it. Handlers run
 * inside the emitter's transaction, so their writes commit with the consult, and a handler that
 * fails is undone alone and logged: the consult is never lost or delayed by a downstream step.
 *
 * An emit runs all its handlers (and the events they emit in turn) as one step the runner can
 * undo alone (TransactionRunner.undoAlone: a savepoint, or none in a SQLite work's first try).
 * Only if something fails is that undone and every handler run again under a savepoint of its
 * own, so the steps that work are kept. Handlers therefore must be safe to run again (they only
 * touch the database); the common case costs no statement, or two, instead of two per handler.
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger(DomainEvents.name);
  private readonly handlers = new Map<DomainEventName, { name: string; handle: Handler<DomainEventName> }[]>();
  /** Transactions in the shared-savepoint pass: events emitted there run directly. */
  private readonly sharing = new WeakSet<object>();

  constructor(private readonly tx: TransactionRunner) {}

  on<K extends DomainEventName>(event: K, name: string, handle: Handler<K>): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), { name, handle: handle as Handler<DomainEventName> }]);
  }

  async emit<K extends DomainEventName>(em: EntityManager, event: K, payload: DomainEventMap[K]): Promise<void> {
    const handlers = this.handlers.get(event) ?? [];
    if (handlers.length === 0) return;
    const runner = em.queryRunner;
    if (runner && this.sharing.has(runner)) {
      for (const { handle } of handlers) await handle(em, payload);
      return;
    }
    if (runner) {
      try {
        this.sharing.add(runner);
        await this.tx.undoAlone(em, async (inner) => {
          for (const { handle } of handlers) await handle(inner, payload);
        });
        return;
      } catch (err) {
        if (err instanceof RunAgainCarefully) throw err;
        // Undone; run again below, one savepoint per handler, to keep what works.
      } finally {
        this.sharing.delete(runner);
      }
    }
    for (const { name, handle } of handlers) {
      try {
        await em.transaction((inner) => handle(inner, payload));
      } catch (err) {
        this.logger.error(`${event} → ${name} failed (undone, the rest is kept): ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
