import SMTPConnection from 'nodemailer/lib/smtp-connection';

export interface SmtpResult {
  /** The server's final reply code for the message (250 when accepted). */
  code: number;
  response: string;
}

/**
 * Delivers one raw message over a real SMTP conversation and reports the server's answer,
 * including refusals (5xx/4xx) as results rather than exceptions.
 */
export async function deliverOverSmtp(port: number, raw: Buffer | string, envelope: { from: string; to: string[] }): Promise<SmtpResult> {
  const connection = new SMTPConnection({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 10_000, socketTimeout: 60_000 });
  await new Promise<void>((resolve, reject) => {
    connection.once('error', reject);
    connection.connect(() => resolve());
  });
  try {
    const info = await new Promise<{ response: string }>((resolve, reject) =>
      connection.send(envelope, typeof raw === 'string' ? Buffer.from(raw) : raw, (err, result) => (err ? reject(err) : resolve(result))),
    );
    return { code: Number(info.response.slice(0, 3)), response: info.response };
  } catch (err) {
    const e = err as { responseCode?: number; response?: string; message: string };
    if (e.responseCode) return { code: e.responseCode, response: e.response ?? e.message };
    throw err;
  } finally {
    connection.quit();
  }
}

/** Sends several messages over one connection (as a mail server does), in order. */
export async function deliverManyOverOneConnection(port: number, messages: { raw: Buffer | string; from: string; to: string[] }[]): Promise<SmtpResult[]> {
  const connection = new SMTPConnection({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, socketTimeout: 60_000 });
  await new Promise<void>((resolve, reject) => {
    connection.once('error', reject);
    connection.connect(() => resolve());
  });
  const results: SmtpResult[] = [];
  try {
    for (const m of messages) {
      results.push(await new Promise<SmtpResult>((resolve) => {
        connection.send({ from: m.from, to: m.to }, typeof m.raw === 'string' ? Buffer.from(m.raw) : m.raw, (err, info) => {
          if (err) {
            const e = err as { responseCode?: number; response?: string; message: string };
            resolve({ code: e.responseCode ?? 0, response: e.response ?? e.message });
          } else resolve({ code: Number(info.response.slice(0, 3)), response: info.response });
        });
      }));
      await new Promise<void>((resolve) => connection.reset(() => resolve()));
    }
  } finally {
    connection.quit();
  }
  return results;
}
