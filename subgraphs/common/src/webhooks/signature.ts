import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a receiver knows a webhook comes from the hub and is fresh: the hub signs
 * `"<unix seconds>.<raw body>"` with HMAC-SHA256 under the subscription's secret and sends
 * `X-Agir-Signature: t=<unix seconds>,v1=<hex digest>` (the scheme Stripe made familiar, so
 * receivers can reuse what they know). Signing the timestamp with the body lets the receiver refuse
 * a captured request replayed later; the event id lets it drop the duplicates that at-least-once
 * delivery produces.
 */
export const SIGNATURE_HEADER = 'X-Agir-Signature';
/** The event id: the same for every delivery of one event, what receivers deduplicate on. */
export const EVENT_ID_HEADER = 'X-Agir-Event-Id';
/** The event type, so a receiver can route before parsing the body. */
export const EVENT_TYPE_HEADER = 'X-Agir-Event-Type';

/** How far a signature timestamp may be from the receiver's clock, by default (five minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

function digest(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * The `X-Agir-Signature` value for `rawBody` sent at `timestamp` (unix seconds). The body must be
 * the exact bytes sent: any re-serialisation on either side breaks the signature, on purpose.
 */
export function signWebhook(secret: string, timestamp: number, rawBody: string | Buffer): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new Error(`signWebhook: timestamp must be whole unix seconds (e.g. Math.floor(Date.now() / 1000)), got ${String(timestamp)}`);
  }
  return `t=${timestamp},v1=${digest(secret, timestamp, rawBody)}`;
}

export type WebhookVerification =
  | { ok: true; timestamp: number }
  | {
      ok: false;
      /**
       * MALFORMED: no header, or not `t=<seconds>,v1=<hex>`; STALE: the timestamp is outside the
       * tolerance (a replay, or a badly wrong clock); BAD_SIGNATURE: no v1 matches this body.
       */
      reason: 'MALFORMED' | 'STALE' | 'BAD_SIGNATURE';
      message: string;
    };

export interface VerifyOptions {
  /** Largest accepted distance between the signed timestamp and `now`, either way. */
  toleranceSeconds?: number;
  /** The receiver's clock (tests inject one). */
  now?: Date | number;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Checks an `X-Agir-Signature` header against the raw body as received. Several `v1=` entries are
 * accepted (any one matching is enough) so the hub can sign with two secrets while a subscriber
 * rotates its own. The comparison runs in constant time so that response timing does not leak
 * how much of a forged signature was right.
 */
export function verifyWebhook(secret: string, header: string | undefined | null, rawBody: string | Buffer, options: VerifyOptions = {}): WebhookVerification {
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowMs = options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime();
  if (!header) return { ok: false, reason: 'MALFORMED', message: `${SIGNATURE_HEADER} header missing` };

  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && HEX_SHA256.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) {
    return { ok: false, reason: 'MALFORMED', message: `${SIGNATURE_HEADER} must read t=<unix seconds>,v1=<64 hex digits>, got "${header.slice(0, 120)}"` };
  }
  const age = Math.abs(nowMs / 1000 - timestamp);
  if (age > toleranceSeconds) {
    return { ok: false, reason: 'STALE', message: `signature timestamp ${timestamp} is ${Math.round(age)} s away from now (tolerance ${toleranceSeconds} s): refused as a possible replay` };
  }
  const expected = Buffer.from(digest(secret, timestamp, rawBody), 'hex');
  const matches = signatures.some((candidate) => timingSafeEqual(Buffer.from(candidate, 'hex'), expected));
  if (!matches) return { ok: false, reason: 'BAD_SIGNATURE', message: 'no v1 signature matches this body and secret' };
  return { ok: true, timestamp };
}
