import nodemailer, { type Transporter } from 'nodemailer';
import type { AttemptResult } from './webhook.ts';

/** Who the e-mail is and which attempt it is: the Message-ID and the X-Tickler-* headers come from it. */
export type MailAttempt = { deliveryId: string; attempt: number };

export type Mailer = {
  send(to: string, subject: string, text: string, attempt: MailAttempt): Promise<AttemptResult>;
  /** How long one send can take at most with these timeouts: the delivery's lease on its attempt. */
  readonly attemptBoundMs: number;
  close(): void;
};

/**
 * nodemailer's own defaults wait minutes (2 min to connect, 30 s for the greeting, 10 min of socket
 * silence), longer than a delivery job's 120 s expiry: pg-boss would hand the job out again while
 * the first send still runs. These bound an attempt at well under a minute against a server that
 * connects and never answers. SMTP_URL's query string overrides each
 * (`smtp://host:587?greetingTimeout=5000`, milliseconds), as nodemailer reads it.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as const;

/** The bound of one send with these timeouts: connect, greeting, then the commands (each within the socket timeout). */
function attemptBound(smtpUrl: string): number {
  const query = new URL(smtpUrl).searchParams;
  const ms = (key: keyof typeof SMTP_TIMEOUTS) => {
    const value = Number(query.get(key));
    return query.has(key) && Number.isFinite(value) && value > 0 ? value : SMTP_TIMEOUTS[key];
  };
  // The socket timeout is one of silence, not of the whole exchange: allow it twice, plus a margin.
  return ms('connectionTimeout') + ms('greetingTimeout') + 2 * ms('socketTimeout') + 10_000;
}

/** The right-hand side of our Message-IDs: the sender's domain, so that they are unique to us. */
function messageIdDomain(from: string): string {
  return /@([A-Za-z0-9.-]+)/.exec(from)?.[1] ?? 'tickler.invalid';
}

/** SMTP through nodemailer; a permanent SMTP reply (5xx) fails at once, anything else is retried. */
export function createMailer(smtpUrl: string, from: string): Mailer {
  let transport: Transporter | undefined;
  const domain = messageIdDomain(from);
  return {
    attemptBoundMs: attemptBound(smtpUrl),
    async send(to, subject, text, { deliveryId, attempt }) {
      transport ??= nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
      try {
        await transport.sendMail({
          from, to, subject, text,
          // The delivery's id, the same on every attempt (like a webhook's X-Tickler-Delivery): a
          // retry after an attempt whose answer was lost is the same message to the receiver.
          messageId: `<${deliveryId}@${domain}>`,
          headers: { 'X-Tickler-Delivery': deliveryId, 'X-Tickler-Attempt': String(attempt) },
        });
        return { ok: true };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        return { ok: false, retryable: !(code !== undefined && code >= 500), error: error instanceof Error ? error.message : String(error) };
      }
    },
    close() {
      transport?.close();
    },
  };
}
