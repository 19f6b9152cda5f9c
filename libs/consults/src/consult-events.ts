import type { Consult } from './entities/consult.entity';

declare module '@kkd/core' {
  interface DomainEventMap {
    /**
     * A member's mail opened a consult (intake, or held mail attached to a member): the consult as
     * just inserted in the emitter's transaction, its member loaded with their addresses.
     */
    'consult.opened': {
      consult: Consult;
      text: string;
      /** Paragraphs downstream steps add to the member's acknowledgement, by step (a re-run replaces its own). */
      acknowledgementNotes: Map<string, string>;
    };
    /**
     * Triage set the consult's category and priority: the opened consult with them and the text of
     * its first mail, carried so that the steps after triage need not read them again. Handlers
     * read the consult and never change it.
     */
    'consult.triaged': { consult: Readonly<Consult>; text: string };
    /** A duplicate's messages moved into another consult of the same member (the duplicate is closed). */
    'consult.merged': { sourceId: number; targetId: number };
  }
}
