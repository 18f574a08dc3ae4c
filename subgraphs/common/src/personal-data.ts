import type { DataSource } from 'typeorm';

/**
 * Everything a subgraph's database holds about one parcours, for the person's right of access:
 * every row of every table that has a `parcours_id` column (plus, in Coordination, the parcours
 * and the person themselves), table by table. Generic on purpose: a table added by a future
 * migration is exported without anyone having to remember it.
 */
export async function exportParcoursData(db: DataSource, parcoursId: string, extra: { table: string; where: string }[] = []): Promise<Record<string, unknown[]>> {
  const tables = (await db.query(
    `SELECT table_name FROM information_schema.columns
     WHERE table_schema = 'public' AND column_name = 'parcours_id' AND table_name NOT IN ('audit_log', 'outbox_event')
     ORDER BY table_name`,
  )) as { table_name: string }[];
  const result: Record<string, unknown[]> = {};
  for (const { table_name: table } of tables) {
    result[table] = (await db.query(`SELECT * FROM "${table}" WHERE parcours_id = $1`, [parcoursId])) as unknown[];
  }
  for (const { table, where } of extra) result[table] = (await db.query(`SELECT * FROM "${table}" WHERE ${where}`, [parcoursId])) as unknown[];
  return result;
}

/** Per table, the columns to overwrite and the SQL expression that replaces each. */
export type AnonymisationSpec = Record<string, Record<string, string>>;

/**
 * Overwrites the free text and identifiers of the given parcours in one subgraph, in one
 * transaction flagged as an anonymisation (the change journal then records which columns changed,
 * not the values removed). Each subgraph's retention job names its own columns; the parcours come
 * from Coordination's job, which alone knows when a parcours ended.
 */
export async function anonymiseColumns(db: DataSource, parcoursIds: readonly string[], spec: AnonymisationSpec): Promise<number> {
  if (parcoursIds.length === 0) return 0;
  return db.transaction(async (m) => {
    await m.query(`SELECT set_config('agir.anonymisation', 'on', true), set_config('agir.user_id', 'job:anonymisation', true)`);
    let rows = 0;
    for (const [table, columns] of Object.entries(spec)) {
      const assignments = Object.entries(columns).map(([column, expression]) => `"${column}" = ${expression}`).join(', ');
      const [, count] = (await m.query(`UPDATE "${table}" SET ${assignments} WHERE parcours_id = ANY($1)`, [[...parcoursIds]])) as [unknown, number];
      rows += count;
    }
    return rows;
  });
}

/**
 * The right-of-access answer of one subgraph, as its `donneesPersonnelles…` field returns it: a
 * JSON document of everything it holds on the parcours, the export itself written to the audit
 * trail (operation EXPORT) in the subgraph that made it.
 */
export async function rightOfAccessExport(
  ctx: { dataSource: DataSource; audit: { recordWrite(m: import('typeorm').EntityManager, e: { action: string; parcoursId: string | null; changes: Record<string, { before: unknown; after: unknown }> }, op: 'EXPORT'): Promise<void> } },
  domaine: string,
  parcoursId: string,
  extra: { table: string; where: string }[] = [],
): Promise<string> {
  const donnees = await exportParcoursData(ctx.dataSource, parcoursId, extra);
  await ctx.dataSource.transaction((m) => ctx.audit.recordWrite(m, { action: 'exportDonneesPersonnelles', parcoursId, changes: {} }, 'EXPORT'));
  return JSON.stringify({ domaine, parcoursId, exporteLe: new Date().toISOString(), donnees });
}
