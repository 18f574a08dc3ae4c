/**
 * What the fault suite counts after each fault, read from the subgraphs' databases (not through
 * the hub, which is what is under test): acknowledged writes lost, writes doubled, history rows
 * inconsistent with the statut, webhook events lost or sent more often than their attempts.
 */
import { Client } from 'pg';
import type { WriteKind, WriteRecord } from './load';

export type Databases = Record<'coordination' | 'droits-logement' | 'emploi-formation', string>;

/** Where each kind of write lands, and the column holding its marker. */
const STORAGE: Record<WriteKind, { database: keyof Databases; table: string; marker: string }> = {
  atelier: { database: 'coordination', table: 'atelier', marker: 'intitule' },
  contrat: { database: 'emploi-formation', table: 'contrat_travail', marker: 'employeur' },
  demarche: { database: 'droits-logement', table: 'demarche_droit', marker: 'organisme' },
};

export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface WriteCounts {
  sent: number;
  acked: number;
  /** Acknowledged, and not in the database. */
  lost: number;
  /** Rows beyond the first for one write (one marker, one key). */
  doubled: number;
  /** Answered with a refusal (not a fault: a rule of the domain said no). */
  refused: number;
  /** Written, but the answer was lost with the process (the key's retry says so). */
  answerLost: number;
  /** Never answered within the grace period. */
  unresolved: number;
  /** Requests with no answer within 10 s. */
  hung: number;
  /** Requests sent again with their key. */
  retried: number;
}

export async function countWrites(databases: Databases, records: WriteRecord[]): Promise<WriteCounts> {
  const counts: WriteCounts = { sent: records.length, acked: 0, lost: 0, doubled: 0, refused: 0, answerLost: 0, unresolved: 0, hung: 0, retried: 0 };
  for (const r of records) {
    if (r.outcome === 'ACK') counts.acked += 1;
    if (r.outcome === 'REFUSED') counts.refused += 1;
    if (r.outcome === 'ANSWER_LOST') counts.answerLost += 1;
    if (r.outcome === 'UNRESOLVED') counts.unresolved += 1;
    counts.hung += r.hung;
    counts.retried += Math.max(0, r.attempts - 1);
  }
  for (const [kind, where] of Object.entries(STORAGE) as [WriteKind, (typeof STORAGE)[WriteKind]][]) {
    const mine = records.filter((r) => r.kind === kind);
    if (mine.length === 0) continue;
    await withClient(databases[where.database], async (c) => {
      const rows = (await c.query(`SELECT id::text, ${where.marker} AS marker FROM ${where.table} WHERE ${where.marker} = ANY($1)`, [mine.map((r) => r.marker)])).rows as { id: string; marker: string }[];
      const ids = new Set(rows.map((row) => row.id));
      const perMarker = new Map<string, number>();
      for (const row of rows) perMarker.set(row.marker, (perMarker.get(row.marker) ?? 0) + 1);
      for (const r of mine) {
        if (r.outcome === 'ACK' && !ids.has(r.id!)) counts.lost += 1;
        counts.doubled += Math.max(0, (perMarker.get(r.marker) ?? 0) - 1);
      }
    });
  }
  return counts;
}

/**
 * Parcours whose history does not tell their statut: a move whose "before" is not the previous
 * move's "after", or a last move whose "after" is not the parcours's statut.
 */
export async function inconsistentHistories(coordinationUrl: string): Promise<number> {
  return withClient(coordinationUrl, async (c) => {
    const { rows } = await c.query(`
      WITH h AS (
        SELECT parcours_id, statut_avant, statut_apres,
               lag(statut_apres) OVER (PARTITION BY parcours_id ORDER BY sequence) AS precedent,
               row_number() OVER (PARTITION BY parcours_id ORDER BY sequence DESC) AS depuis_la_fin
        FROM transition_parcours)
      SELECT count(DISTINCT parcours_id)::int AS n FROM (
        SELECT parcours_id FROM h WHERE precedent IS NOT NULL AND statut_avant IS DISTINCT FROM precedent
        UNION ALL
        SELECT h.parcours_id FROM h JOIN parcours p ON p.id = h.parcours_id WHERE h.depuis_la_fin = 1 AND h.statut_apres <> p.statut
      ) x`);
    return (rows[0] as { n: number }).n;
  });
}

export interface WebhookCounts {
  events: number;
  /** Events of the subscription never received (after the worker drained its queue). */
  lost: number;
  /** Receipts beyond the attempts the worker recorded: a delivery sent without its claim. */
  duplicatedBeyondAtLeastOnce: number;
  /** Receipts beyond the first (allowed by at-least-once when a worker died mid-delivery). */
  redelivered: number;
}

/** Waits until the subscription's deliveries are all settled (or `timeoutMs`), then counts. */
export async function countWebhooks(coordinationUrl: string, subscriptionId: string, since: Date, receipts: Map<string, number>, timeoutMs = 60_000): Promise<WebhookCounts> {
  return withClient(coordinationUrl, async (c) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await c.query(
        `SELECT count(*)::int AS n FROM webhook_delivery d JOIN outbox_event e ON e.id = d.event_id
         WHERE d.subscription_id = $1 AND e.created_at >= $2 AND d.status NOT IN ('DELIVERED', 'DEAD')`,
        [subscriptionId, since],
      );
      if ((rows[0] as { n: number }).n === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const { rows } = await c.query(
      `SELECT d.event_id::text AS event_id, d.attempts, d.status FROM webhook_delivery d JOIN outbox_event e ON e.id = d.event_id
       WHERE d.subscription_id = $1 AND e.created_at >= $2`,
      [subscriptionId, since],
    );
    const counts: WebhookCounts = { events: rows.length, lost: 0, duplicatedBeyondAtLeastOnce: 0, redelivered: 0 };
    for (const row of rows as { event_id: string; attempts: number; status: string }[]) {
      const received = receipts.get(row.event_id) ?? 0;
      if (received === 0) counts.lost += 1;
      counts.redelivered += Math.max(0, received - 1);
      counts.duplicatedBeyondAtLeastOnce += Math.max(0, received - row.attempts);
    }
    return counts;
  });
}
