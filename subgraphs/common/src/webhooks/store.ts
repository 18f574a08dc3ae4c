import { randomBytes } from 'node:crypto';
import { badUserInput } from '../errors';
import { isUuid } from '../ids';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES, type WebhookEventType } from './outbox';
import { OUTBOX_EVENT_TABLE, WEBHOOK_DELIVERY_TABLE, WEBHOOK_SUBSCRIPTION_TABLE } from './migration';

/**
 * The queries behind the webhook API: subscriptions (create, list, resume) and the delivery log
 * (what was sent, what failed and why). Every function takes a data source or an entity manager,
 * so the API can run them in its own transaction.
 */

/** Anything that runs SQL: a DataSource or an EntityManager. */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(query: string, parameters?: any[]): Promise<any>;
}

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED' | 'DEAD';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['PENDING', 'DELIVERED', 'FAILED', 'DEAD'];

/** A subscription as listed: never with its secret, which is shown once, at creation. */
export interface WebhookSubscription {
  id: string;
  structureId: string;
  url: string;
  eventTypes: WebhookEventType[];
  active: boolean;
  pausedAt: Date | null;
  consecutiveFailures: number;
  createdAt: Date;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: WebhookEventType;
  parcoursId: string | null;
  subscriptionId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  lastStatusCode: number | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

interface SubscriptionRow {
  id: string;
  structure_id: string;
  url: string;
  event_types: WebhookEventType[];
  active: boolean;
  paused_at: Date | null;
  consecutive_failures: number;
  created_at: Date;
}

const SUBSCRIPTION_COLUMNS = 'id, structure_id, url, event_types, active, paused_at, consecutive_failures, created_at';

function toSubscription(row: SubscriptionRow): WebhookSubscription {
  return {
    id: row.id,
    structureId: row.structure_id,
    url: row.url,
    eventTypes: row.event_types,
    active: row.active,
    pausedAt: row.paused_at,
    consecutiveFailures: row.consecutive_failures,
    createdAt: row.created_at,
  };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Checks a subscriber URL and returns it normalised. https is required: the body carries
 * parcours facts and the signature proves origin, not confidentiality. Plain http is accepted
 * only on the loopback interface, for tests and local development. Credentials in the URL are
 * refused because URLs end up in logs and in the delivery log.
 */
export function validateWebhookUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badUserInput(`L'URL du webhook doit être une URL absolue, ex. https://outil.example.org/agir/webhooks, reçu « ${value.slice(0, 200)} ».`, 'url');
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw badUserInput(`L'URL du webhook doit être en https:// (http:// n'est admis que vers 127.0.0.1 ou localhost, pour les tests), reçu « ${url.protocol}//${url.host} ».`, 'url');
  }
  if (url.username || url.password) {
    throw badUserInput("L'URL du webhook ne doit pas contenir d'identifiants (utilisateur:motdepasse@) : l'authenticité est assurée par la signature X-Agir-Signature.", 'url');
  }
  if (url.hash) throw badUserInput("L'URL du webhook ne doit pas contenir de fragment (#...).", 'url');
  const normalised = url.toString();
  if (normalised.length > 2048) throw badUserInput(`L'URL du webhook dépasse 2048 caractères (${normalised.length}).`, 'url');
  return normalised;
}

function validateEventTypes(eventTypes: readonly string[]): WebhookEventType[] {
  if (eventTypes.length === 0) {
    throw badUserInput(`Un abonnement doit porter sur au moins un type d'événement parmi ${WEBHOOK_EVENT_TYPES.join(', ')}.`, 'eventTypes');
  }
  const unknown = eventTypes.filter((type) => !isWebhookEventType(type));
  if (unknown.length > 0) {
    throw badUserInput(`Type(s) d'événement inconnu(s) : ${unknown.join(', ')}. Types possibles : ${WEBHOOK_EVENT_TYPES.join(', ')}.`, 'eventTypes');
  }
  return [...new Set(eventTypes as WebhookEventType[])].sort();
}

/** A fresh signing secret: 256 random bits, prefixed so that it is recognisable in a leak scan. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export interface CreateSubscriptionInput {
  structureId: string;
  url: string;
  eventTypes: readonly string[];
  /** The signing secret; generated when absent (the usual case). At least 32 characters. */
  secret?: string;
}

/**
 * Creates an active subscription and returns it with its secret, which the member tool must keep:
 * it is not shown again. Input errors are BAD_USER_INPUT naming the field.
 */
export async function createSubscription(db: Queryable, input: CreateSubscriptionInput): Promise<WebhookSubscription & { secret: string }> {
  if (!isUuid(input.structureId)) throw badUserInput(`structureId doit être un UUID, reçu « ${input.structureId} ».`, 'structureId');
  const url = validateWebhookUrl(input.url);
  const eventTypes = validateEventTypes(input.eventTypes);
  const secret = input.secret ?? generateWebhookSecret();
  if (secret.length < 32) throw badUserInput(`Le secret de signature doit compter 32 caractères au moins (reçu ${secret.length}) ; omettez-le pour qu'il soit généré.`, 'secret');
  const rows = (await db.query(
    `INSERT INTO ${WEBHOOK_SUBSCRIPTION_TABLE} (structure_id, url, secret, event_types) VALUES ($1, $2, $3, $4) RETURNING ${SUBSCRIPTION_COLUMNS}`,
    [input.structureId.toLowerCase(), url, secret, eventTypes],
  )) as SubscriptionRow[];
  return { ...toSubscription(rows[0]!), secret };
}

/** A structure's subscriptions, oldest first. */
export async function listSubscriptions(db: Queryable, structureId: string): Promise<WebhookSubscription[]> {
  if (!isUuid(structureId)) throw badUserInput(`structureId doit être un UUID, reçu « ${structureId} ».`, 'structureId');
  const rows = (await db.query(
    `SELECT ${SUBSCRIPTION_COLUMNS} FROM ${WEBHOOK_SUBSCRIPTION_TABLE} WHERE structure_id = $1 ORDER BY created_at, id`,
    [structureId.toLowerCase()],
  )) as SubscriptionRow[];
  return rows.map(toSubscription);
}

/**
 * Reactivates a subscription (paused after failures, or switched off) and makes its waiting
 * deliveries due at once rather than at the end of their back-off, since whoever resumes it has
 * just fixed the endpoint. With `structureId`, only that structure's subscription is touched.
 * Returns null when there is no such subscription.
 */
export async function resumeSubscription(
  db: Queryable,
  subscriptionId: string,
  options: { structureId?: string; now?: Date } = {},
): Promise<WebhookSubscription | null> {
  if (!isUuid(subscriptionId)) throw badUserInput(`subscriptionId doit être un UUID, reçu « ${subscriptionId} ».`, 'subscriptionId');
  const rows = (await db.query(
    `WITH resumed AS (
       UPDATE ${WEBHOOK_SUBSCRIPTION_TABLE}
       SET active = true, paused_at = NULL, consecutive_failures = 0
       WHERE id = $1 AND ($2::uuid IS NULL OR structure_id = $2::uuid)
       RETURNING ${SUBSCRIPTION_COLUMNS}
     ), due AS (
       UPDATE ${WEBHOOK_DELIVERY_TABLE} d SET next_attempt_at = $3
       FROM resumed
       WHERE d.subscription_id = resumed.id AND d.status IN ('PENDING', 'FAILED') AND d.next_attempt_at > $3
       RETURNING 1
     )
     SELECT * FROM resumed`,
    [subscriptionId, options.structureId ?? null, options.now ?? new Date()],
  )) as SubscriptionRow[];
  return rows[0] ? toSubscription(rows[0]) : null;
}

export interface ListDeliveriesFilter {
  subscriptionId?: string;
  /** Restricts to the subscriptions of one structure: what an API caller may see. */
  structureId?: string;
  status?: DeliveryStatus;
  /** 1 to 500. */
  limit: number;
}

/** The delivery log, newest first. */
export async function listDeliveries(db: Queryable, filter: ListDeliveriesFilter): Promise<WebhookDelivery[]> {
  if (!Number.isInteger(filter.limit) || filter.limit < 1 || filter.limit > 500) {
    throw badUserInput(`limit doit être un entier entre 1 et 500, reçu ${String(filter.limit)}.`, 'limit');
  }
  if (filter.status !== undefined && !DELIVERY_STATUSES.includes(filter.status)) {
    throw badUserInput(`status doit valoir ${DELIVERY_STATUSES.join(', ')}, reçu « ${String(filter.status)} ».`, 'status');
  }
  for (const field of ['subscriptionId', 'structureId'] as const) {
    const value = filter[field];
    if (value !== undefined && !isUuid(value)) throw badUserInput(`${field} doit être un UUID, reçu « ${value} ».`, field);
  }
  const rows = (await db.query(
    `SELECT d.id, d.event_id, e.type AS event_type, e.parcours_id, d.subscription_id, d.status, d.attempts, d.next_attempt_at,
            d.last_error, d.last_status_code, d.delivered_at, d.created_at
     FROM ${WEBHOOK_DELIVERY_TABLE} d
     JOIN ${OUTBOX_EVENT_TABLE} e ON e.id = d.event_id
     JOIN ${WEBHOOK_SUBSCRIPTION_TABLE} s ON s.id = d.subscription_id
     WHERE ($1::uuid IS NULL OR d.subscription_id = $1::uuid)
       AND ($2::uuid IS NULL OR s.structure_id = $2::uuid)
       AND ($3::text IS NULL OR d.status = $3::text)
     ORDER BY d.created_at DESC, d.id
     LIMIT $4`,
    [filter.subscriptionId ?? null, filter.structureId ?? null, filter.status ?? null, filter.limit],
  )) as {
    id: string;
    event_id: string;
    event_type: WebhookEventType;
    parcours_id: string | null;
    subscription_id: string;
    status: DeliveryStatus;
    attempts: number;
    next_attempt_at: Date;
    last_error: string | null;
    last_status_code: number | null;
    delivered_at: Date | null;
    created_at: Date;
  }[];
  return rows.map((row) => ({
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    parcoursId: row.parcours_id,
    subscriptionId: row.subscription_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    lastStatusCode: row.last_status_code,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  }));
}
