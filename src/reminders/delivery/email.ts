import nodemailer, { type Transporter } from 'nodemailer';
import type { AttemptResult } from './webhook.ts';

export type Mailer = { send(to: string, subject: string, text: string): Promise<AttemptResult>; close(): void };

/** SMTP through nodemailer; a permanent SMTP reply (5xx) fails at once, anything else is retried. */
export function createMailer(smtpUrl: string, from: string): Mailer {
  let transport: Transporter | undefined;
  return {
    async send(to, subject, text) {
      transport ??= nodemailer.createTransport(smtpUrl);
      try {
        await transport.sendMail({ from, to, subject, text });
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
