import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables of the webhook outbox, created in the database of each subgraph that emits events:
 *
 * - `webhook_subscription`: a member tool's endpoint, the event types it wants and the secret its
 *   deliveries are signed with. The secret is stored as given because the hub needs it in clear to
 *   sign (a hash would not do); it must be protected at rest by the database or its volume
 *   (encrypted storage, encrypted backups), like the rest of the subgraph's personal data.
 *   `active = false` with `paused_at` set means paused by the worker after repeated failures (its
 *   deliveries keep queueing and wait); `active = false` without `paused_at` means switched off.
 * - `outbox_event`: one row per event, written in the transaction of the change it describes; its
 *   id is the event id receivers deduplicate on. Events are immutable: the application role may
 *   not UPDATE them.
 * - `webhook_delivery`: one row per (event, subscription), the unit the worker claims, retries and
 *   reports on. `attempts` counts the claims, so a delivery that keeps crashing its worker still
 *   reaches DEAD; `locked_until` and `lease_token` are the worker's lease on it.
 */
export const WEBHOOK_SUBSCRIPTION_TABLE = 'webhook_subscription';
export const OUTBOX_EVENT_TABLE = 'outbox_event';
export const WEBHOOK_DELIVERY_TABLE = 'webhook_delivery';

export function webhooksMigration(timestamp: number): new () => MigrationInterface {
  const name = `Webhooks${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await q.query(`
        CREATE TABLE ${WEBHOOK_SUBSCRIPTION_TABLE} (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          structure_id uuid NOT NULL,
          url text NOT NULL,
          secret text NOT NULL,
          event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
          active boolean NOT NULL DEFAULT true,
          paused_at timestamptz,
          consecutive_failures integer NOT NULL DEFAULT 0,
          created_at timestamptz NOT NULL DEFAULT now()
        )`);
      await q.query(`CREATE INDEX ${WEBHOOK_SUBSCRIPTION_TABLE}_structure_idx ON ${WEBHOOK_SUBSCRIPTION_TABLE} (structure_id, created_at)`);
      // enqueueEvent looks subscriptions up by event type inside every emitting transaction.
      await q.query(`CREATE INDEX ${WEBHOOK_SUBSCRIPTION_TABLE}_event_types_idx ON ${WEBHOOK_SUBSCRIPTION_TABLE} USING gin (event_types)`);

      await q.query(`
        CREATE TABLE ${OUTBOX_EVENT_TABLE} (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          type text NOT NULL,
          parcours_id uuid,
          payload jsonb NOT NULL DEFAULT '{}'::jsonb,
          occurred_at timestamptz NOT NULL DEFAULT now(),
          created_at timestamptz NOT NULL DEFAULT now()
        )`);
      await q.query(`CREATE INDEX ${OUTBOX_EVENT_TABLE}_parcours_idx ON ${OUTBOX_EVENT_TABLE} (parcours_id, occurred_at)`);

      await q.query(`
        CREATE TABLE ${WEBHOOK_DELIVERY_TABLE} (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          event_id uuid NOT NULL REFERENCES ${OUTBOX_EVENT_TABLE} (id) ON DELETE CASCADE,
          subscription_id uuid NOT NULL REFERENCES ${WEBHOOK_SUBSCRIPTION_TABLE} (id) ON DELETE CASCADE,
          status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED', 'DEAD')),
          attempts integer NOT NULL DEFAULT 0,
          next_attempt_at timestamptz NOT NULL DEFAULT now(),
          last_error text,
          last_status_code integer,
          delivered_at timestamptz,
          locked_until timestamptz,
          lease_token uuid,
          created_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (event_id, subscription_id)
        )`);
      // The worker's claim scans only the rows still to deliver, oldest due first; the partial
      // index stays small however many DELIVERED rows accumulate.
      await q.query(`
        CREATE INDEX ${WEBHOOK_DELIVERY_TABLE}_due_idx ON ${WEBHOOK_DELIVERY_TABLE} (next_attempt_at)
        WHERE status IN ('PENDING', 'FAILED')`);
      // Listing a subscription's deliveries (newest first) and the cascade from a subscription.
      await q.query(`CREATE INDEX ${WEBHOOK_DELIVERY_TABLE}_subscription_idx ON ${WEBHOOK_DELIVERY_TABLE} (subscription_id, created_at DESC)`);
      await q.query(`CREATE INDEX ${WEBHOOK_DELIVERY_TABLE}_status_idx ON ${WEBHOOK_DELIVERY_TABLE} (status, created_at DESC)`);

      // An event, once committed, is what receivers were (or will be) told: the application role
      // (granted through the owner's default privileges) may not rewrite it.
      await q.query(`
        DO $$ DECLARE r record; BEGIN
          FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
                   WHERE table_name = '${OUTBOX_EVENT_TABLE}' AND grantee <> current_user LOOP
            EXECUTE format('REVOKE UPDATE, TRUNCATE ON ${OUTBOX_EVENT_TABLE} FROM %I', r.grantee);
          END LOOP;
        END $$`);
    }
    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP TABLE ${WEBHOOK_DELIVERY_TABLE}`);
      await q.query(`DROP TABLE ${OUTBOX_EVENT_TABLE}`);
      await q.query(`DROP TABLE ${WEBHOOK_SUBSCRIPTION_TABLE}`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}
