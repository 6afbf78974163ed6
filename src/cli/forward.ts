/**
 * `listen --forward-to`: POSTs each expiry to a local URL exactly as Tickler's webhook delivery
 * does (same JSON body, same headers, X-Tickler-Signature with the account's webhook secret), so a
 * receiver can be developed against the listener and then pointed at the real thing.
 */
import { createHmac } from 'node:crypto';
import type { Expiry } from '../client/resume.ts';

/** `sha256=<hex HMAC-SHA256 of the raw body>`, as src/reminders/delivery/webhook.ts signs. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The webhook body, keys in the server's order; the expiry's cursor stands in for the delivery id. */
export function webhookBody(expiry: Expiry, attempt: number): string {
  return JSON.stringify({
    reminderId: expiry.reminder.id,
    message: expiry.reminder.message,
    occurrenceAt: new Date(expiry.occurrenceAt).toISOString(),
    firedAt: new Date(expiry.firedAt).toISOString(),
    attempt,
    deliveryId: `listen-${expiry.cursor}`,
  });
}

export type ForwardResult = { ok: true; status: number } | { ok: false; error: string };

export async function forwardExpiry(url: string, expiry: Expiry, secret: string, attempt: number, timeoutMs = 10_000): Promise<ForwardResult> {
  const body = webhookBody(expiry, attempt);
  try {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Tickler-Webhook/1',
        'x-tickler-signature': webhookSignature(body, secret),
        'x-tickler-delivery': `listen-${expiry.cursor}`,
      },
      body,
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, error: `HTTP ${response.status}` };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { ok: false, error: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
}
