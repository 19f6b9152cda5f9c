/** Where finished mail goes: the SMTP relay, or .eml files when no relay is set. */
export interface MailTransport {
  /** How many mails the outbox hands over at once (each call of `deliver` settles on its own). */
  readonly concurrency: number;
  /** Delivers the raw message (`id` is the outbox row's); throws to be retried. */
  deliver(raw: Buffer, envelope: { from: string; to: string[] }, id: number): Promise<void>;
  /** Lets go of open connections; called at shutdown, after the last batch has finished. */
  close(): Promise<void>;
}
