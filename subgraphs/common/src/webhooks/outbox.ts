import type { EntityManager } from 'typeorm';
import { isUuid } from '../ids';
import { OUTBOX_EVENT_TABLE, WEBHOOK_DELIVERY_TABLE, WEBHOOK_SUBSCRIPTION_TABLE } from './migration';

/**
 * The events member tools can subscribe to, named in the programme's vocabulary like the API's
 * enum values. Adding one is adding a name here; subscriptions to unknown names are refused.
 */
export const WEBHOOK_EVENT_TYPES = [
  'PARCOURS_ORIENTE',
  'DIAGNOSTIC_REALISE',
  'COMMISSION_REALISEE',
  'PARCOURS_CONTRACTUALISE',
  'REFERENT_CHANGE',
  'PARCOURS_SORTI',
  'PARCOURS_EXCLU',
  'PARCOURS_ABANDON',
  'SUIVI_REALISE',
  'ACCES_EXCEPTIONNEL_OUVERT',
  'LOGEMENT_ENTREE',
  'PROPOSITION_LOGEMENT',
  'DEMARCHE_DROIT_ABOUTIE',
  'CONTRAT_SIGNE',
  'FORMATION_ENTREE',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

export interface OutboxEventInput {
  type: WebhookEventType;
  parcoursId?: string | null;
  /**
   * What receivers get as `data`. Keep it to ids and domain facts: never names, birth dates or
   * other identity, which receivers read through the gateway under their own access rules.
   */
  payload: Record<string, unknown>;
  /** When the change happened; defaults to the transaction's time. */
  occurredAt?: Date;
  /**
   * Only the subscriptions of these structures receive the event. A domain's facts are for the
   * structure that accompanies the person in that domain (the one whose referent wrote them),
   * not for every member association subscribed to the type. Absent: every subscription to the
   * type (Coordination's events).
   */
  structureIds?: readonly string[];
}

export interface EnqueuedEvent {
  id: string;
  occurredAt: Date;
  /** How many deliveries were queued (one per subscription to this type). */
  deliveries: number;
}

/**
 * Records an event and queues one PENDING delivery per subscription to its type (among the
 * subscriptions of `structureIds`, when given), inside the caller's transaction: if the change is
 * rolled back, so is the event, and nothing is sent; if it commits, the event is durable before
 * anyone is told (the transactional outbox). Subscriptions paused after failures get their
 * delivery too (it waits for the resume); switched-off ones do not.
 *
 * Must be called with the manager of an open transaction (`dataSource.transaction(m => ...)`):
 * anything else would let the change and its event commit separately.
 */
export async function enqueueEvent(manager: EntityManager, event: OutboxEventInput): Promise<EnqueuedEvent> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('enqueueEvent must run inside the transaction of the change it announces: call it with the manager given by dataSource.transaction(async (manager) => ...), got a manager outside any transaction');
  }
  if (!isWebhookEventType(event.type)) {
    throw new Error(`enqueueEvent: unknown event type "${String(event.type)}"; expected one of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  }
  if (event.parcoursId != null && !isUuid(event.parcoursId)) {
    throw new Error(`enqueueEvent: parcoursId must be a UUID or null, got "${event.parcoursId}"`);
  }
  const badStructure = event.structureIds?.find((id) => !isUuid(id));
  if (badStructure !== undefined) {
    throw new Error(`enqueueEvent: structureIds must be UUIDs (the structures allowed to receive the event), got "${badStructure}"`);
  }
  // One statement: the event, its deliveries, and the count, with no round trip per subscriber.
  const rows = (await manager.query(
    `WITH event AS (
       INSERT INTO ${OUTBOX_EVENT_TABLE} (type, parcours_id, payload, occurred_at)
       VALUES ($1, $2, $3, coalesce($4::timestamptz, now()))
       RETURNING id, occurred_at
     ), queued AS (
       INSERT INTO ${WEBHOOK_DELIVERY_TABLE} (event_id, subscription_id)
       SELECT event.id, s.id FROM event, ${WEBHOOK_SUBSCRIPTION_TABLE} s
       WHERE s.event_types @> ARRAY[$1::text] AND (s.active OR s.paused_at IS NOT NULL)
         AND ($5::uuid[] IS NULL OR s.structure_id = ANY($5::uuid[]))
       RETURNING 1
     )
     SELECT event.id, event.occurred_at, (SELECT count(*) FROM queued)::int AS deliveries FROM event`,
    [event.type, event.parcoursId ?? null, JSON.stringify(event.payload ?? {}), event.occurredAt ?? null, event.structureIds ? event.structureIds.map((id) => id.toLowerCase()) : null],
  )) as { id: string; occurred_at: Date; deliveries: number }[];
  const row = rows[0]!;
  return { id: row.id, occurredAt: row.occurred_at, deliveries: row.deliveries };
}
