/** Where finished mail goes: the SMTP relay, or .eml files when no relay is set. */
export interface MailTransport {
  /** How many mails the outbox hands over at once (each call of `deliver` settles on its own). */
  readonly concurrency: number;
  /**
   * Delivers the raw message (`id` is the outbox row's); throws to be retried, or throws
   * PermanentDeliveryError when sending it again would get the same refusal.
   */
  deliver(raw: Buffer, envelope: { from: string; to: string[] }, id: number): Promise<void>;
  /** Lets go of open connections; called at shutdown, after the last batch has finished. */
  close(): Promise<void>;
}

/** The relay refused this mail for good (its reply, with the SMTP code, is the message): not retried. */
export class PermanentDeliveryError extends Error {
  constructor(readonly reply: string) {
    super(reply);
    this.name = 'PermanentDeliveryError';
  }
}
