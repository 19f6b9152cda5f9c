import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The events work moves downstream by (intake → triage → assignment), with their payloads. */
export interface DomainEventMap {
  /** A member's mail opened a consult (intake, or held mail attached to a member). */
  'consult.opened': { consultId: number; subject: string; text: string };
  /** Triage set the consult's category and priority. */
  'consult.triaged': { consultId: number };
}
export type DomainEventName = keyof DomainEventMap;
type Handler<K extends DomainEventName> = (em: EntityManager, payload: DomainEventMap[K]) => Promise<void>;

/**
 * In-transaction events: a lib subscribes on start, the emitter never imports it. Each handler
 * runs inside the emitter's transaction under a savepoint of its own, so its writes commit with
 * the consult, and a handler that fails is undone alone and logged: the consult is never lost
 * or delayed by a downstream step.
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger(DomainEvents.name);
  private readonly handlers = new Map<DomainEventName, { name: string; handle: Handler<DomainEventName> }[]>();

  on<K extends DomainEventName>(event: K, name: string, handle: Handler<K>): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), { name, handle: handle as Handler<DomainEventName> }]);
  }

  async emit<K extends DomainEventName>(em: EntityManager, event: K, payload: DomainEventMap[K]): Promise<void> {
    for (const { name, handle } of this.handlers.get(event) ?? []) {
      try {
        await em.transaction((inner) => handle(inner, payload));
      } catch (err) {
        this.logger.error(`${event} → ${name} failed (undone, the rest is kept): ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
