import { addDays, AUDIT_TABLE, ENTREE_JOURNAL_COLUMNS, entreeJournalVue, FORMER_REFERENT_GRACE_DAYS, hasRole, type AuditRow, type EntreeJournalVue, type IsoDate, type ParcoursAccess, type Viewer } from '@agir/common';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Which parcours a viewer may see, as one SQL condition on `p` (the parcours table) with its
 * parameters, used by the list, by single reads and by the access facts, so that the three agree:
 * - COORDINATION: the parcours of its départements, and those it holds a live grant for;
 * - a referent: the parcours of its départements whose binôme it sits in, or sat in until less
 *   than 30 days ago;
 * - OFII: the parcours it oriented, in its départements;
 * - anyone else (prescripteur, analyst, admin): none.
 * The work lists (`parcoursListe`, `alertes`) pass `anciensReferents: false`: a referent's list is
 * the parcours whose binôme it sits in now, a former referent keeping only the direct reads.
 */
export function visibilite(viewer: Viewer, today: IsoDate, alias = 'p', options: { anciensReferents?: boolean } = {}): { sql: string; params: Record<string, unknown> } {
  const p = alias;
  const clauses: string[] = [];
  const since = addDays(today, -FORMER_REFERENT_GRACE_DAYS);
  if (hasRole(viewer, 'COORDINATION')) {
    clauses.push(`${p}.departement = ANY(:visDepartements)`);
    clauses.push(`EXISTS (SELECT 1 FROM acces_exceptionnel ae WHERE ae.parcours_id = ${p}.id AND ae.user_id = :visUser AND ae.expire_le > now())`);
  }
  for (const [role, domaine, column] of [
    ['REFERENT_DROITS_LOGEMENT', 'DROITS_LOGEMENT', 'referent_droits_logement_id'],
    ['REFERENT_EMPLOI_FORMATION', 'EMPLOI_FORMATION', 'referent_emploi_formation_id'],
  ] as const) {
    if (hasRole(viewer, role) && viewer.referentId) {
      const ancien = `EXISTS (
        SELECT 1 FROM ancien_referent ar WHERE ar.parcours_id = ${p}.id AND ar.domaine = '${domaine}'
        AND ar.referent_id = CAST(:visReferent AS uuid) AND ar.remplace_le >= CAST(:visSince AS date))`;
      const actuel = `${p}.${column} = CAST(:visReferent AS uuid)`;
      clauses.push(`(${p}.departement = ANY(:visDepartements) AND ${options.anciensReferents === false ? actuel : `(${actuel} OR ${ancien})`})`);
    }
  }
  if (hasRole(viewer, 'OFII')) {
    clauses.push(`(${p}.departement = ANY(:visDepartements) AND EXISTS (SELECT 1 FROM transition_parcours tp
      WHERE tp.parcours_id = ${p}.id AND tp.action = 'ORIENTER' AND tp.auteur_structure = CAST(:visStructure AS uuid)))`);
  }
  return {
    sql: clauses.length ? `(${clauses.join(' OR ')})` : 'false',
    params: { visDepartements: viewer.departements, visUser: viewer.userId, visReferent: viewer.referentId, visSince: since, visStructure: viewer.structureId },
  };
}

/** Replaces `:name` parameters with positional ones for a raw query. */
export function positional(sql: string, params: Record<string, unknown>, first = 1): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const indexes = new Map<string, number>();
  const text = sql.replace(/:(\w+)/g, (match: string, name: string) => {
    if (!(name in params)) return match;
    if (!indexes.has(name)) {
      values.push(params[name]);
      indexes.set(name, first + values.length - 1);
    }
    return `$${indexes.get(name)}`;
  });
  return { sql: text, values };
}

interface FaitsRow {
  id: string;
  departement: string;
  referent_droits_logement_id: string | null;
  referent_emploi_formation_id: string | null;
  anciens: { referentId: string; jusquAu: string }[] | null;
  consent_dl: boolean;
  consent_ef: boolean;
  oriente_par: string | null;
  acces_exceptionnel: boolean;
}

export interface Consentement {
  parcoursId: string;
  domaine: 'DROITS_LOGEMENT' | 'EMPLOI_FORMATION';
  donneLe: string;
  retireLe: string | null;
  portee: string;
}

/** A break-the-glass grant, with its review once made (`BrisDeGlace`). */
export interface AccesExceptionnelRow {
  id: string;
  parcoursId: string;
  departement: string;
  utilisateur: string;
  nomUtilisateur: string | null;
  structure: string | null;
  motif: string;
  ouvertLe: Date;
  expireLe: Date;
  revue: { revuePar: string; nomRevuePar: string | null; revueLe: Date; conclusion: 'JUSTIFIE' | 'NON_JUSTIFIE'; commentaire: string | null } | null;
}

interface AccesExceptionnelSql {
  id: string;
  parcours_id: string;
  departement: string;
  user_id: string;
  user_name: string | null;
  structure_id: string | null;
  motif: string;
  ouvert_le: Date;
  expire_le: Date;
  revue_par: string | null;
  revue_par_nom: string | null;
  revue_le: Date | null;
  conclusion: 'JUSTIFIE' | 'NON_JUSTIFIE' | null;
  commentaire: string | null;
}

const ACCES_EXCEPTIONNEL_COLUMNS = `ae.id, ae.parcours_id, p.departement, ae.user_id, ae.user_name, ae.structure_id, ae.motif, ae.ouvert_le, ae.expire_le,
  ae.revue_par, ae.revue_par_nom, ae.revue_le, ae.conclusion, ae.commentaire`;

function accesExceptionnelRow(r: AccesExceptionnelSql): AccesExceptionnelRow {
  return {
    id: r.id,
    parcoursId: r.parcours_id,
    departement: r.departement,
    utilisateur: r.user_id,
    nomUtilisateur: r.user_name,
    structure: r.structure_id,
    motif: r.motif,
    ouvertLe: r.ouvert_le,
    expireLe: r.expire_le,
    revue: r.revue_le && r.revue_par && r.conclusion ? { revuePar: r.revue_par, nomRevuePar: r.revue_par_nom, revueLe: r.revue_le, conclusion: r.conclusion, commentaire: r.commentaire } : null,
  };
}

/** Access facts, consent and grants: what the field rules of all three subgraphs decide on. */
export class AccesStore {
  constructor(private readonly db: DataSource) {}

  /**
   * The access facts of the parcours among `ids` that the viewer may see (the others are left
   * out), in one statement.
   */
  async faits(viewer: Viewer, today: IsoDate, ids: readonly string[]): Promise<ParcoursAccess[]> {
    const vis = visibilite(viewer, today);
    const { sql, values } = positional(
      `SELECT p.id, p.departement, p.referent_droits_logement_id, p.referent_emploi_formation_id,
         (SELECT json_agg(json_build_object('referentId', ar.referent_id, 'jusquAu', to_char(ar.remplace_le, 'YYYY-MM-DD')))
            FROM ancien_referent ar WHERE ar.parcours_id = p.id) AS anciens,
         EXISTS (SELECT 1 FROM consentement c WHERE c.parcours_id = p.id AND c.domaine = 'DROITS_LOGEMENT' AND c.retire_le IS NULL) AS consent_dl,
         EXISTS (SELECT 1 FROM consentement c WHERE c.parcours_id = p.id AND c.domaine = 'EMPLOI_FORMATION' AND c.retire_le IS NULL) AS consent_ef,
         (SELECT tp.auteur_structure FROM transition_parcours tp WHERE tp.parcours_id = p.id AND tp.action = 'ORIENTER' ORDER BY tp.sequence LIMIT 1) AS oriente_par,
         EXISTS (SELECT 1 FROM acces_exceptionnel ae WHERE ae.parcours_id = p.id AND ae.user_id = :visUser AND ae.expire_le > now()) AS acces_exceptionnel
       FROM parcours p WHERE p.id = ANY(:ids) AND ${vis.sql}`,
      { ...vis.params, ids: [...ids] },
    );
    const rows = (await this.db.query(sql, values)) as FaitsRow[];
    return rows.map((r) => ({
      parcoursId: r.id,
      departement: r.departement,
      binome: { DROITS_LOGEMENT: r.referent_droits_logement_id, EMPLOI_FORMATION: r.referent_emploi_formation_id },
      formerReferents: (r.anciens ?? []).map((a) => ({ referentId: a.referentId, until: a.jusquAu })),
      consent: { DROITS_LOGEMENT: r.consent_dl, EMPLOI_FORMATION: r.consent_ef },
      orientedBy: r.oriente_par,
      breakGlass: r.acces_exceptionnel && !viewer.departements.includes(r.departement),
    }));
  }

  consentements(parcoursIds: readonly string[]): Promise<Consentement[]> {
    return this.db.query(
      `SELECT parcours_id AS "parcoursId", domaine, to_char(donne_le, 'YYYY-MM-DD') AS "donneLe",
              to_char(retire_le, 'YYYY-MM-DD') AS "retireLe", portee
       FROM consentement WHERE parcours_id = ANY($1) ORDER BY domaine`,
      [[...parcoursIds]],
    ) as Promise<Consentement[]>;
  }

  async enregistrerConsentement(m: EntityManager, c: { parcoursId: string; domaine: string; donneLe: string; par: string }): Promise<void> {
    await m.query(
      `INSERT INTO consentement (parcours_id, domaine, donne_le, enregistre_par) VALUES ($1, $2, $3, $4)
       ON CONFLICT (parcours_id, domaine) DO UPDATE SET donne_le = EXCLUDED.donne_le, retire_le = NULL, enregistre_par = EXCLUDED.enregistre_par`,
      [c.parcoursId, c.domaine, c.donneLe, c.par],
    );
  }

  /** Returns false when there was no consent to withdraw. */
  async retirerConsentement(m: EntityManager, c: { parcoursId: string; domaine: string; retireLe: string }): Promise<boolean> {
    const [, count] = (await m.query(
      `UPDATE consentement SET retire_le = $3 WHERE parcours_id = $1 AND domaine = $2 AND retire_le IS NULL AND donne_le <= $3`,
      [c.parcoursId, c.domaine, c.retireLe],
    )) as [unknown, number];
    return count > 0;
  }

  async ouvrirAccesExceptionnel(m: EntityManager, g: { parcoursId: string; viewer: Viewer; motif: string; heures: number }): Promise<{ id: string; ouvertLe: Date; expireLe: Date }> {
    const [row] = (await m.query(
      `INSERT INTO acces_exceptionnel (parcours_id, user_id, user_name, structure_id, motif, expire_le)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6)) RETURNING id, ouvert_le, expire_le`,
      [g.parcoursId, g.viewer.userId, g.viewer.name, g.viewer.structureId, g.motif, g.heures],
    )) as { id: string; ouvert_le: Date; expire_le: Date }[];
    return { id: row!.id, ouvertLe: row!.ouvert_le, expireLe: row!.expire_le };
  }

  /** One grant by id, or null. */
  async accesExceptionnel(id: string): Promise<AccesExceptionnelRow | null> {
    const rows = (await this.db.query(`SELECT ${ACCES_EXCEPTIONNEL_COLUMNS} FROM acces_exceptionnel ae JOIN parcours p ON p.id = ae.parcours_id WHERE ae.id = $1`, [id])) as AccesExceptionnelSql[];
    return rows[0] ? accesExceptionnelRow(rows[0]) : null;
  }

  /**
   * The grants on the parcours of a département, most recent first: all, those awaiting their
   * review (`aReviser` true: the work list) or those reviewed (false).
   */
  async accesExceptionnels(departement: string, aReviser: boolean | null): Promise<AccesExceptionnelRow[]> {
    const rows = (await this.db.query(
      `SELECT ${ACCES_EXCEPTIONNEL_COLUMNS} FROM acces_exceptionnel ae JOIN parcours p ON p.id = ae.parcours_id
       WHERE p.departement = $1 AND ($2::boolean IS NULL OR (ae.revue_le IS NULL) = $2)
       ORDER BY ae.ouvert_le DESC, ae.id`,
      [departement, aReviser],
    )) as AccesExceptionnelSql[];
    return rows.map(accesExceptionnelRow);
  }

  /** The grants opened on a parcours between two calendar days (Europe/Paris, both included), oldest first. */
  async accesExceptionnelsDuParcours(parcoursId: string, du: string, au: string): Promise<AccesExceptionnelRow[]> {
    const rows = (await this.db.query(
      `SELECT ${ACCES_EXCEPTIONNEL_COLUMNS} FROM acces_exceptionnel ae JOIN parcours p ON p.id = ae.parcours_id
       WHERE ae.parcours_id = $1 AND ae.ouvert_le >= ($2::date)::timestamp AT TIME ZONE 'Europe/Paris'
         AND ae.ouvert_le < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Paris'
       ORDER BY ae.ouvert_le, ae.id`,
      [parcoursId, du, au],
    )) as AccesExceptionnelSql[];
    return rows.map(accesExceptionnelRow);
  }

  /**
   * What each grant did in Coordination: the audit entries flagged break-the-glass of its grantee
   * on its parcours while it was open, its opening included; in one statement for all the grants.
   */
  async lecturesSousAcces(ids: readonly string[]): Promise<(EntreeJournalVue & { accesId: string })[]> {
    const rows = (await this.db.query(
      `SELECT ae.id AS acces_id, ${ENTREE_JOURNAL_COLUMNS} FROM acces_exceptionnel ae
       JOIN ${AUDIT_TABLE} a ON a.parcours_id = ae.parcours_id AND a.user_id = ae.user_id AND a.break_glass
         AND a.at >= ae.ouvert_le AND a.at <= ae.expire_le
       WHERE ae.id = ANY($1) ORDER BY a.at, a.id`,
      [[...ids]],
    )) as (AuditRow & { acces_id: string })[];
    return rows.map((r) => ({ accesId: r.acces_id, ...entreeJournalVue(r) }));
  }

  /**
   * Records the review of a grant, if it has none yet (a review is final: two reviewers at once,
   * one wins). Returns false when the grant was already reviewed.
   */
  async reviser(m: EntityManager, r: { id: string; viewer: Viewer; conclusion: 'JUSTIFIE' | 'NON_JUSTIFIE'; commentaire: string | null }): Promise<boolean> {
    const [, count] = (await m.query(
      `UPDATE acces_exceptionnel SET revue_par = $2, revue_par_nom = $3, revue_le = now(), conclusion = $4, commentaire = $5
       WHERE id = $1 AND revue_le IS NULL AND user_id <> $2`,
      [r.id, r.viewer.userId, r.viewer.name, r.conclusion, r.commentaire],
    )) as [unknown, number];
    return count > 0;
  }
}
