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
    return this.db.query(
      `WITH d AS (SELECT parcours_id, ouvert_le FROM dossier WHERE departement = $1),
            m AS (SELECT greatest(g::date, $2::date) AS du, least((g + interval '1 month' - interval '1 day')::date, $3::date) AS au
                    FROM generate_series(date_trunc('month', $2::date), date_trunc('month', $3::date), interval '1 month') g)
       SELECT to_char(m.du, 'YYYY-MM') AS mois, m.du::text AS du, m.au::text AS au,
         (SELECT count(*) FROM d WHERE d.ouvert_le BETWEEN m.du AND m.au)::int AS "entrees",
         (SELECT count(DISTINCT s.parcours_id) FROM situation_logement s JOIN d USING (parcours_id)
           WHERE s.type = ANY($4) AND s.date_debut BETWEEN m.du AND m.au)::int AS "entreesLogementSortie",
         (SELECT count(*) FROM demarche_droit p JOIN d USING (parcours_id)
           WHERE p.statut = 'OBTENU' AND p.date_fin BETWEEN m.du AND m.au)::int AS "droitsObtenus"
       FROM m ORDER BY m.du`,
      [departement, du, au, [...typesSortie]],
    );
  }
}
