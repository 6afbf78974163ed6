import { createHmac } from 'node:crypto';
import { OutboundRefusedError, type OutboundGuard } from '../../platform/outbound.ts';

export type AttemptResult = { ok: true } | { ok: false; retryable: boolean; error: string };

export const WEBHOOK_TIMEOUT_MS = 10_000;

/** `sha256=<hex HMAC-SHA256 of the raw body with the account's webhook secret>`. */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs the JSON body. 2xx succeeds; 4xx other than 408 and 429 fails for good (the receiver refuses
 * it); a target inside the server's network fails for good too (the outbound guard refuses it,
 * whatever DNS says by now); anything else — 3xx, 408, 429, 5xx, a timeout, a network error — is
 * worth retrying. Redirects are not followed: a 3xx could point anywhere, the guard's check included.
 */
export async function postWebhook(outbound: OutboundGuard, url: string, body: string, secret: string, deliveryId: string): Promise<AttemptResult> {
  try {
    const response = await outbound.fetch(url, {
      method: 'POST',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Tickler-Webhook/1',
        'x-tickler-signature': signature(body, secret),
        'x-tickler-delivery': deliveryId,
      },
      body,
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true };
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
    return { ok: false, retryable: !permanent, error: `HTTP ${response.status}` };
  } catch (error) {
    if (error instanceof OutboundRefusedError) return { ok: false, retryable: false, error: error.message };
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { ok: false, retryable: true, error: timedOut ? `no response within ${WEBHOOK_TIMEOUT_MS / 1000} s` : `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
}
