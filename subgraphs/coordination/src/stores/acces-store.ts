import { addDays, FORMER_REFERENT_GRACE_DAYS, hasRole, type IsoDate, type ParcoursAccess, type Viewer } from '@agir/common';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Which parcours a viewer may see, as one SQL condition on `p` (the parcours table) with its
 * parameters, used by the list, by single reads and by the access facts, so that the three agree:
 * - COORDINATION: the parcours of its départements, and those it holds a live grant for;
 * - a referent: the parcours of its départements whose binôme it sits in, or sat in until less
 *   than 30 days ago;
 * - OFII: the parcours it oriented, in its départements;
 * - anyone else (prescripteur, analyst, admin): none.
 */
export function visibilite(viewer: Viewer, today: IsoDate, alias = 'p'): { sql: string; params: Record<string, unknown> } {
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
      clauses.push(`(${p}.departement = ANY(:visDepartements) AND (${p}.${column} = CAST(:visReferent AS uuid) OR EXISTS (
        SELECT 1 FROM ancien_referent ar WHERE ar.parcours_id = ${p}.id AND ar.domaine = '${domaine}'
        AND ar.referent_id = CAST(:visReferent AS uuid) AND ar.remplace_le >= CAST(:visSince AS date))))`);
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
function positional(sql: string, params: Record<string, unknown>, first = 1): { sql: string; values: unknown[] } {
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

  async ouvrirAccesExceptionnel(m: EntityManager, g: { parcoursId: string; viewer: Viewer; motif: string; heures: number }): Promise<{ expireLe: Date }> {
    const [row] = (await m.query(
      `INSERT INTO acces_exceptionnel (parcours_id, user_id, user_name, motif, expire_le)
       VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5)) RETURNING expire_le`,
      [g.parcoursId, g.viewer.userId, g.viewer.name, g.motif, g.heures],
    )) as { expire_le: Date }[];
    return { expireLe: row!.expire_le };
  }
}
