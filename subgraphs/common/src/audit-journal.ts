import type { DataSource } from 'typeorm';
import { forbidden } from './access';
import { AUDIT_TABLE, TECHNICAL_COLUMNS, type AuditTrail } from './audit';
import type { Viewer } from './auth';
import { addMonths, type IsoDate } from './calendar';
import { badUserInput } from './errors';

/**
 * The audit trail as the data-protection officer reads it (`JournalAcces` and `EntreeJournal` in
 * each SDL): who read or wrote which fields of a parcours, when, on which basis. An entry shows
 * the names of the fields or columns, never a value read or written: the `changes` column of the
 * change journal (before/after) is not selected.
 */

/** What an entry did, in the API's words (`OperationJournal`). */
export type OperationJournal = 'LECTURE' | 'ECRITURE' | 'EXPORT' | 'BRIS_DE_GLACE' | 'RECHERCHE' | 'REFUS';

/** One entry as `EntreeJournal` shows it. */
export interface EntreeJournalVue {
  date: Date;
  utilisateur: string;
  nomUtilisateur: string | null;
  structure: string | null;
  roles: string[];
  operation: OperationJournal;
  action: string;
  champs: string[];
  autorise: boolean;
  via: string | null;
  brisDeGlace: boolean;
  motifRefus: string | null;
  requestId: string | null;
}

export interface AuditRow {
  at: Date;
  user_id: string;
  user_name: string | null;
  structure_id: string | null;
  roles: string[];
  operation: string;
  action: string;
  fields: string[];
  allowed: boolean;
  via: string | null;
  break_glass: boolean;
  reason: string | null;
  request_id: string | null;
}

/** The columns an entry is made of (never `changes`), for the queries of each subgraph. */
export const ENTREE_JOURNAL_COLUMNS = 'a.at, a.user_id, a.user_name, a.structure_id, a.roles, a.operation, a.action, a.fields, a.allowed, a.via, a.break_glass, a.reason, a.request_id';

const OPERATIONS: Record<string, OperationJournal> = { READ: 'LECTURE', WRITE: 'ECRITURE', EXPORT: 'EXPORT', BREAK_GLASS: 'BRIS_DE_GLACE', SEARCH: 'RECHERCHE' };

export function entreeJournalVue(row: AuditRow): EntreeJournalVue {
  return {
    date: row.at,
    utilisateur: row.user_id,
    nomUtilisateur: row.user_name,
    structure: row.structure_id,
    roles: row.roles,
    operation: row.action === 'refus' ? 'REFUS' : (OPERATIONS[row.operation] ?? 'LECTURE'),
    action: row.action,
    champs: row.operation === 'WRITE' ? row.fields.filter((f) => !TECHNICAL_COLUMNS.has(f)) : row.fields,
    autorise: row.allowed,
    via: row.via,
    brisDeGlace: row.break_glass,
    motifRefus: row.reason,
    requestId: row.request_id,
  };
}

/**
 * The audit entries of one parcours between two calendar days (Europe/Paris, both included),
 * oldest first, in one statement.
 */
export async function entreesJournal(db: DataSource, parcoursId: string, du: string, au: string): Promise<EntreeJournalVue[]> {
  const rows = (await db.query(
    `SELECT ${ENTREE_JOURNAL_COLUMNS} FROM ${AUDIT_TABLE} a
     WHERE a.parcours_id = $1 AND a.at >= ($2::date)::timestamp AT TIME ZONE 'Europe/Paris'
       AND a.at < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Paris'
     ORDER BY a.at, a.id`,
    [parcoursId, du, au],
  )) as AuditRow[];
  return rows.map(entreeJournalVue);
}

/** A parcours's journal as a domain subgraph receives it from the gateway (`JournalAcces` representation). */
export interface JournalAccesRepresentation {
  parcoursId: string;
  du: string;
  au: string;
  /** Resolved by Coordination and passed on by the gateway (`@requires(fields: "departement")`). */
  departement: string;
}

/**
 * Refuses (FORBIDDEN) anyone but a DPO of the parcours's département (`null`: the role alone). Each subgraph decides on the
 * token it verified itself; the département comes from Coordination through the gateway, which
 * alone may call `_entities` (the gateway's secret), so a caller cannot make it up.
 */
export function exigerDpo(viewer: Viewer, departement: string | null, quoi: string, details: Record<string, unknown> = {}): void {
  if (!viewer.roles.includes('DPO')) {
    throw forbidden(`${quoi} est réservé au rôle DPO (délégué à la protection des données) ; votre jeton porte ${viewer.roles.join(', ')}.`, { requiredRoles: ['DPO'] });
  }
  if (departement !== null && !viewer.departements.includes(departement)) {
    throw forbidden(`Le parcours relève du département ${departement}, hors de votre périmètre de DPO (${viewer.departements.join(', ') || 'aucun'}).`, details);
  }
}

/**
 * A domain subgraph's part of the DPO's journal: checks the caller, records this reading of the
 * audit trail in this subgraph's own trail, and returns its entries.
 */
export async function journalAccesDomaine(
  ctx: { viewer: Viewer; dataSource: DataSource; audit: AuditTrail },
  journal: JournalAccesRepresentation,
  field: string,
): Promise<EntreeJournalVue[]> {
  exigerDpo(ctx.viewer, journal.departement, 'La lecture de la piste d’audit');
  ctx.audit.recordConsultation({ action: 'journalAcces', parcoursId: journal.parcoursId, field, via: 'DPO' });
  return entreesJournal(ctx.dataSource, journal.parcoursId, journal.du, journal.au);
}

/** `du` and `au` of a journal: `au` today by default, `du` 36 months before `au` (the longest retention). */
export function periodeJournal(du: IsoDate | null | undefined, au: IsoDate | null | undefined, aujourdhui: IsoDate): { du: IsoDate; au: IsoDate } {
  const fin = au ?? aujourdhui;
  const debut = du ?? addMonths(fin, -36);
  if (debut > fin) throw badUserInput(`« du » (${debut}) est après « au » (${fin}) : donnez une période dont le début précède la fin.`, 'du');
  return { du: debut, au: fin };
}
