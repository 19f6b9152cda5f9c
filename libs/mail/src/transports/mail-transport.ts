/** Where finished mail goes: the SMTP relay, or .eml files when no relay is set. */
export interface MailTransport {
  /** Delivers the raw message (`id` is the outbox row's); throws to be retried. */
  deliver(raw: Buffer, envelope: { from: string; to: string[] }, id: number): Promise<void>;
}
