/** Where finished mail goes: the SMTP relay, or .eml files when no relay is set. */
export interface MailTransport {
  /** Delivers the raw message; returns the file written, if any. Throws to be retried. */
  deliver(raw: Buffer, envelope: { from: string; to: string[] }, id: number): Promise<{ emlPath?: string }>;
}
