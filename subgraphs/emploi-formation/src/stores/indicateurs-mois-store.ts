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
    return this.db.query(
      `WITH d AS (SELECT parcours_id, ouvert_le FROM dossier WHERE departement = $1),
            m AS (SELECT greatest(g::date, $2::date) AS du, least((g + interval '1 month' - interval '1 day')::date, $3::date) AS au
                    FROM generate_series(date_trunc('month', $2::date), date_trunc('month', $3::date), interval '1 month') g)
       SELECT to_char(m.du, 'YYYY-MM') AS mois, m.du::text AS du, m.au::text AS au,
         (SELECT count(*) FROM d WHERE d.ouvert_le BETWEEN m.du AND m.au)::int AS "entrees",
         (SELECT count(*) FROM contrat_travail c JOIN d USING (parcours_id) WHERE c.date_debut BETWEEN m.du AND m.au)::int AS "contratsCommences",
         (SELECT count(*) FROM formation f JOIN d USING (parcours_id) WHERE f.date_debut BETWEEN m.du AND m.au)::int AS "formationsCommencees"
       FROM m ORDER BY m.du`,
      [departement, du, au],
    );
  }
}
