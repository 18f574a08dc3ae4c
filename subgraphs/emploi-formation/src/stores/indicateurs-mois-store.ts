import type { DataSource } from 'typeorm';

export interface MoisEmploiFormation {
  mois: string;
  du: string;
  au: string;
  entrees: number;
  contratsCommences: number;
  formationsCommencees: number;
}

/**
 * The domain's monthly series over [du, au] for a département, in one SQL statement: dossiers
 * opened, contracts of employment and trainings started, each month cut to the period.
 */
export class IndicateursMoisStore {
  constructor(private readonly db: DataSource) {}

  async parMois(departement: string, du: string, au: string): Promise<MoisEmploiFormation[]> {
    // Each fact of the period counted by month in one pass, then joined to the months.
    // Months of dates truncated as timestamps without time zone: `date_trunc` of a date would
    // convert each one to a timestamp with time zone first, the costliest step of the statement.
    return this.db.query(
      `WITH d AS (SELECT parcours_id, ouvert_le FROM dossier WHERE departement = $1),
            m AS (SELECT g::date AS debut, greatest(g::date, $2::date) AS du, least((g + interval '1 month' - interval '1 day')::date, $3::date) AS au
                    FROM generate_series(date_trunc('month', $2::date), date_trunc('month', $3::date), interval '1 month') g),
            entrees AS (SELECT date_trunc('month', ouvert_le::timestamp)::date AS debut, count(*) AS n FROM d WHERE ouvert_le BETWEEN $2::date AND $3::date GROUP BY 1),
            contrats AS (
              SELECT date_trunc('month', c.date_debut::timestamp)::date AS debut, count(*) AS n
                FROM contrat_travail c JOIN d USING (parcours_id) WHERE c.date_debut BETWEEN $2::date AND $3::date GROUP BY 1),
            formations AS (
              SELECT date_trunc('month', f.date_debut::timestamp)::date AS debut, count(*) AS n
                FROM formation f JOIN d USING (parcours_id) WHERE f.date_debut BETWEEN $2::date AND $3::date GROUP BY 1)
       SELECT to_char(m.du, 'YYYY-MM') AS mois, m.du::text AS du, m.au::text AS au,
         coalesce(entrees.n, 0)::int AS "entrees", coalesce(contrats.n, 0)::int AS "contratsCommences", coalesce(formations.n, 0)::int AS "formationsCommencees"
       FROM m LEFT JOIN entrees USING (debut) LEFT JOIN contrats USING (debut) LEFT JOIN formations USING (debut)
       ORDER BY m.du`,
      [departement, du, au],
    );
  }
}
