import type { IsoDate } from '@agir/common';
import type { DataSource } from 'typeorm';

export interface MoisDroitsLogement {
  mois: string;
  du: IsoDate;
  au: IsoDate;
  entrees: number;
  entreesLogementSortie: number;
  droitsObtenus: number;
}

/**
 * The domain's monthly series over [du, au] for a département, in one SQL statement, each month
 * cut to the period: dossiers opened, people who entered housing that counts for the exit
 * (`typesSortie`, from the rules, as the access-to-housing rate), procedures obtained.
 */
export class IndicateursMoisStore {
  constructor(private readonly db: DataSource) {}

  async parMois(departement: string, du: IsoDate, au: IsoDate, typesSortie: readonly string[]): Promise<MoisDroitsLogement[]> {
    // Each fact of the period counted by month in one pass, then joined to the months.
    // Months of dates truncated as timestamps without time zone: `date_trunc` of a date would
    // convert each one to a timestamp with time zone first, the costliest step of the statement.
    return this.db.query(
      `WITH d AS (SELECT parcours_id, ouvert_le FROM dossier WHERE departement = $1),
            m AS (SELECT g::date AS debut, greatest(g::date, $2::date) AS du, least((g + interval '1 month' - interval '1 day')::date, $3::date) AS au
                    FROM generate_series(date_trunc('month', $2::date), date_trunc('month', $3::date), interval '1 month') g),
            entrees AS (SELECT date_trunc('month', ouvert_le::timestamp)::date AS debut, count(*) AS n FROM d WHERE ouvert_le BETWEEN $2 AND $3 GROUP BY 1),
            logement AS (
              SELECT date_trunc('month', s.date_debut::timestamp)::date AS debut, count(DISTINCT s.parcours_id) AS n
                FROM situation_logement s JOIN d USING (parcours_id)
               WHERE s.type = ANY($4) AND s.date_debut BETWEEN $2 AND $3 GROUP BY 1),
            droits AS (
              SELECT date_trunc('month', p.date_fin::timestamp)::date AS debut, count(*) AS n
                FROM demarche_droit p JOIN d USING (parcours_id)
               WHERE p.statut = 'OBTENU' AND p.date_fin BETWEEN $2 AND $3 GROUP BY 1)
       SELECT to_char(m.du, 'YYYY-MM') AS mois, m.du::text AS du, m.au::text AS au,
         coalesce(entrees.n, 0)::int AS "entrees", coalesce(logement.n, 0)::int AS "entreesLogementSortie", coalesce(droits.n, 0)::int AS "droitsObtenus"
       FROM m LEFT JOIN entrees USING (debut) LEFT JOIN logement USING (debut) LEFT JOIN droits USING (debut)
       ORDER BY m.du`,
      [departement, du, au, [...typesSortie]],
    );
  }
}
