import type { IsoDate } from '@agir/common';
import type { DataSource } from 'typeorm';

/** The parcours of the scope: a département, and a site when one is asked ($1, $4). */
const PERIMETRE = `departement = $1 AND ($4::uuid IS NULL OR site_id = $4::uuid)`;

/** Statuts reached through `sortir` (and the follow-ups and closure after it). */
const STATUTS_SORTIE = `('SORTI','SUIVI_3_MOIS','SUIVI_6_MOIS','CLOS')`;

/**
 * Under way on day `jour` since the date column `debut`: `debut` on or before it, and not ended on
 * or before it, unless reintegrated since (a reintegrated parcours keeps its first exit date until
 * it leaves again). From the orientation: in the programme (the profile's stock); from the
 * contract: in accompaniment.
 */
export const enCoursLe = (jour: string, debut: 'date_orientation' | 'date_contrat') => `(${debut} <= ${jour} AND (date_sortie IS NULL OR date_sortie > ${jour}
   OR (date_reintegration IS NOT NULL AND date_reintegration <= ${jour} AND date_reintegration >= date_sortie)))`;

export interface ComptesCoordination {
  orientes: number;
  orientes_ofii: number;
  orientes_fiche_liaison: number;
  orientes_prefet: number;
  diagnostiques: number;
  signataires: number;
  en_accompagnement_fin: number;
  sortie: number;
  refus_contractualisation: number;
  abandon: number;
  exclusion: number;
  fin_de_droits: number;
  excl_deux_refus_logement: number;
  excl_violence_menaces: number;
  excl_non_adhesion: number;
  excl_comportement_delictueux: number;
  maintien_numerateur: number;
  maintien_denominateur: number;
  suivis_3_mois: number;
  suivis_6_mois: number;
}

export interface DelaiBrut {
  nombre: number;
  mediane: number | null;
  p90: number | null;
  dansLaCible: number;
}

export interface MoisBrut {
  mois: string;
  du: IsoDate;
  au: IsoDate;
  orientes: number;
  diagnostiques: number;
  signataires: number;
  sorties: number;
}

export interface IndicateursCoordinationBruts {
  comptes: ComptesCoordination;
  delaiDiagnostic: DelaiBrut;
  delaiContractualisation: DelaiBrut;
  parMois: MoisBrut[];
}

const nombreOuNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Coordination's indicators for a scope (département, optional site) and a period [du, au], in
 * three SQL statements over this subgraph's own tables (`parcours`, `entretien_suivi`), whatever
 * the number of parcours. Definitions are those of the SDL's descriptions (`Indicateurs`).
 */
export class IndicateursStore {
  constructor(private readonly db: DataSource) {}

  async calculer(departement: string, du: IsoDate, au: IsoDate, siteId: string | null): Promise<IndicateursCoordinationBruts> {
    const params = [departement, du, au, siteId];
    const periode = (col: string) => `${col} BETWEEN $2::date AND $3::date`;
    const fin = (statuts: string) => `${periode('date_sortie')} AND statut IN ${statuts}`;
    // Retention's denominator: the signatories in accompaniment at some point of the period.
    const MAINTIEN = `(date_contrat <= $3::date AND (date_sortie IS NULL OR date_sortie >= $2::date OR (date_reintegration IS NOT NULL AND date_reintegration <= $3::date)))`;
    const [comptes, delais, mois] = await Promise.all([
      this.db.query(
        // One scan of the scope's parcours, every count a filter of it; the follow-up interviews of
        // the period in a second aggregate over their own table.
        `WITH suivis AS (
           SELECT count(*) FILTER (WHERE s.echeance = 'TROIS_MOIS')::int AS suivis_3_mois, count(*) FILTER (WHERE s.echeance = 'SIX_MOIS')::int AS suivis_6_mois
             FROM entretien_suivi s JOIN parcours p ON p.id = s.parcours_id
            WHERE p.departement = $1 AND ($4::uuid IS NULL OR p.site_id = $4::uuid) AND ${periode('s.date_entretien')})
         SELECT
           count(*) FILTER (WHERE ${periode('date_orientation')})::int AS orientes,
           count(*) FILTER (WHERE ${periode('date_orientation')} AND canal_orientation = 'OFII')::int AS orientes_ofii,
           count(*) FILTER (WHERE ${periode('date_orientation')} AND canal_orientation = 'FICHE_LIAISON')::int AS orientes_fiche_liaison,
           count(*) FILTER (WHERE ${periode('date_orientation')} AND canal_orientation = 'PREFET')::int AS orientes_prefet,
           count(*) FILTER (WHERE ${periode('date_diagnostic')})::int AS diagnostiques,
           count(*) FILTER (WHERE ${periode('date_contrat')})::int AS signataires,
           count(*) FILTER (WHERE ${enCoursLe('$3::date', 'date_contrat')})::int AS en_accompagnement_fin,
           count(*) FILTER (WHERE ${fin(STATUTS_SORTIE)})::int AS sortie,
           count(*) FILTER (WHERE ${fin(`('REFUS_CONTRACTUALISATION')`)})::int AS refus_contractualisation,
           count(*) FILTER (WHERE ${fin(`('ABANDON')`)})::int AS abandon,
           count(*) FILTER (WHERE ${fin(`('EXCLU')`)})::int AS exclusion,
           count(*) FILTER (WHERE ${fin(`('FIN_DE_DROITS')`)})::int AS fin_de_droits,
           count(*) FILTER (WHERE ${fin(`('EXCLU')`)} AND motif_exclusion = 'DEUX_REFUS_LOGEMENT')::int AS excl_deux_refus_logement,
           count(*) FILTER (WHERE ${fin(`('EXCLU')`)} AND motif_exclusion = 'VIOLENCE_MENACES')::int AS excl_violence_menaces,
           count(*) FILTER (WHERE ${fin(`('EXCLU')`)} AND motif_exclusion = 'NON_ADHESION')::int AS excl_non_adhesion,
           count(*) FILTER (WHERE ${fin(`('EXCLU')`)} AND motif_exclusion = 'COMPORTEMENT_DELICTUEUX')::int AS excl_comportement_delictueux,
           count(*) FILTER (WHERE ${MAINTIEN} AND NOT (statut IN ('ABANDON','EXCLU') AND date_sortie BETWEEN $2::date AND $3::date))::int AS maintien_numerateur,
           count(*) FILTER (WHERE ${MAINTIEN})::int AS maintien_denominateur,
           (SELECT suivis_3_mois FROM suivis) AS suivis_3_mois, (SELECT suivis_6_mois FROM suivis) AS suivis_6_mois
         FROM parcours WHERE ${PERIMETRE}`,
        params,
      ),
      // Orientation → diagnostic for the diagnostics of the period (target: one calendar month);
      // commission → contract for the contracts of the period (target: 21 days).
      this.db.query(
        `WITH d AS (SELECT date_diagnostic - date_orientation AS jours, date_diagnostic <= date_orientation + interval '1 month' AS cible
                      FROM parcours WHERE ${PERIMETRE} AND ${periode('date_diagnostic')}),
              c AS (SELECT date_contrat - date_commission AS jours, date_contrat - date_commission <= 21 AS cible
                      FROM parcours WHERE ${PERIMETRE} AND ${periode('date_contrat')} AND date_commission IS NOT NULL)
         SELECT 'DIAGNOSTIC' AS delai, count(*)::int AS nombre,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY jours) AS mediane,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY jours) AS p90,
                (count(*) FILTER (WHERE cible))::int AS dans_la_cible FROM d
         UNION ALL
         SELECT 'CONTRAT', count(*)::int, percentile_cont(0.5) WITHIN GROUP (ORDER BY jours),
                percentile_cont(0.9) WITHIN GROUP (ORDER BY jours), (count(*) FILTER (WHERE cible))::int FROM c`,
        params,
      ),
      // Each month of the period, cut to the period: each parcours's dates of the period (up to
      // four) counted by month in one scan, then joined to the months (not one count per month).
      // Dates truncated as timestamps without time zone: `date_trunc` of a date would convert each
      // one to a timestamp with time zone first, the costliest step of the statement.
      this.db.query(
        `WITH m AS (SELECT g::date AS debut, greatest(g::date, $2::date) AS du, least((g + interval '1 month' - interval '1 day')::date, $3::date) AS au
                      FROM generate_series(date_trunc('month', $2::date), date_trunc('month', $3::date), interval '1 month') g),
              n AS (
                SELECT date_trunc('month', e.jour::timestamp)::date AS debut, count(*) FILTER (WHERE e.quoi = 'O') AS orientes,
                       count(*) FILTER (WHERE e.quoi = 'D') AS diagnostiques, count(*) FILTER (WHERE e.quoi = 'C') AS signataires,
                       count(*) FILTER (WHERE e.quoi = 'S') AS sorties
                  FROM parcours p
                 CROSS JOIN LATERAL (VALUES ('O', p.date_orientation), ('D', p.date_diagnostic), ('C', p.date_contrat),
                   ('S', CASE WHEN p.statut IN ('SORTI','SUIVI_3_MOIS','SUIVI_6_MOIS','CLOS','REFUS_CONTRACTUALISATION','ABANDON','EXCLU','FIN_DE_DROITS')
                              THEN p.date_sortie END)) AS e(quoi, jour)
                 WHERE ${PERIMETRE} AND e.jour BETWEEN $2::date AND $3::date
                 GROUP BY 1)
         SELECT to_char(m.du, 'YYYY-MM') AS mois, m.du::text AS du, m.au::text AS au,
                coalesce(n.orientes, 0)::int AS orientes, coalesce(n.diagnostiques, 0)::int AS diagnostiques,
                coalesce(n.signataires, 0)::int AS signataires, coalesce(n.sorties, 0)::int AS sorties
           FROM m LEFT JOIN n USING (debut) ORDER BY m.du`,
        params,
      ),
    ]);
    const delai = (nom: string): DelaiBrut => {
      const r = (delais as { delai: string; nombre: number; mediane: unknown; p90: unknown; dans_la_cible: number }[]).find((d) => d.delai === nom)!;
      return { nombre: r.nombre, mediane: nombreOuNull(r.mediane), p90: nombreOuNull(r.p90), dansLaCible: r.dans_la_cible };
    };
    return {
      comptes: (comptes as ComptesCoordination[])[0]!,
      delaiDiagnostic: delai('DIAGNOSTIC'),
      delaiContractualisation: delai('CONTRAT'),
      parMois: mois as MoisBrut[],
    };
  }
}
