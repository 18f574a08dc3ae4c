import type { IsoDate } from '@agir/common';
import type { DataSource } from 'typeorm';
import type { CategorieLogement, DemarcheDroitRow, MotifBlocage } from '../entities';
import type { TypeDemarcheDroit } from '../rules/demarches';

export interface IndicateursBruts {
  situationsEntree: { categorie: CategorieLogement; nombre: number }[];
  /** The dossiers opened in the period with no housing situation yet (never published: the remainder of `situationsEntree`). */
  entreesSansSituation: number;
  accesLogement: { numerateur: number; denominateur: number };
  demarches: { type: TypeDemarcheDroit; statut: DemarcheDroitRow['statut']; nombre: number }[];
  delaiOuvertureCaf: { jours: number | null; nombre: number };
  demarchesBloquees: { type: TypeDemarcheDroit; motif: MotifBlocage | null; nombre: number }[];
}

/**
 * The domain's indicators for one département and one period [du, au], each computed by one SQL
 * statement over this subgraph's own tables. The definitions are those of the SDL's descriptions
 * (`IndicateursDroitsLogement`); `typesSortie` are the housing types that count for the exit
 * (from the rules, so that the indicator and `logementPourSortie` never disagree).
 */
export class IndicateursStore {
  constructor(private readonly db: DataSource) {}

  async calculer(departement: string, du: IsoDate, au: IsoDate, typesSortie: readonly string[], typesCaf: readonly string[]): Promise<IndicateursBruts> {
    const [situationsEntree, acces, demarches, delai, bloquees] = await Promise.all([
      // The entry situation: each dossier opened in the period, its earliest housing period (a null
      // category for a dossier without any yet).
      this.db.query(
        `SELECT e.categorie, count(*)::int AS nombre FROM (
           SELECT DISTINCT ON (d.parcours_id) s.categorie
             FROM dossier d LEFT JOIN situation_logement s ON s.parcours_id = d.parcours_id
            WHERE d.departement = $1 AND d.ouvert_le BETWEEN $2 AND $3
            ORDER BY d.parcours_id, s.date_debut, s.id) e
         GROUP BY e.categorie`,
        [departement, du, au],
      ),
      // Access to housing: people followed by the end of the period who entered in housing that
      // does not count for the exit and had not reached such housing before the period
      // (denominator); those of them who entered housing that counts during the period (numerator).
      // One ordered pass over each person's housing periods: the first (the entry) and, over all
      // of them, whether one that counts began before the period or during it (no lookup per person).
      this.db.query(
        `WITH parcours AS (
           SELECT DISTINCT ON (s.parcours_id) s.type AS entree,
                  bool_or(s.type = ANY($4) AND s.date_debut < $2) OVER tous AS avant,
                  bool_or(s.type = ANY($4) AND s.date_debut BETWEEN $2 AND $3) OVER tous AS pendant
             FROM dossier d JOIN situation_logement s ON s.parcours_id = d.parcours_id
            WHERE d.departement = $1 AND d.ouvert_le <= $3
           WINDOW tous AS (PARTITION BY s.parcours_id ORDER BY s.date_debut, s.id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
            ORDER BY s.parcours_id, s.date_debut, s.id)
         SELECT count(*)::int AS denominateur, (count(*) FILTER (WHERE pendant))::int AS numerateur
           FROM parcours WHERE NOT (entree = ANY($4)) AND NOT avant`,
        [departement, du, au, [...typesSortie]],
      ),
      // Procedures active at some point of the period, by type and current statut.
      this.db.query(
        `SELECT p.type, p.statut, count(*)::int AS nombre
           FROM demarche_droit p JOIN dossier d ON d.parcours_id = p.parcours_id
          WHERE d.departement = $1
            AND (p.date_debut IS NULL OR p.date_debut <= $3) AND (p.date_fin IS NULL OR p.date_fin >= $2)
          GROUP BY p.type, p.statut`,
        [departement, du, au],
      ),
      // Days from start to obtaining, for the CAF rights obtained in the period.
      this.db.query(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY p.date_fin - p.date_debut) AS jours, count(*)::int AS nombre
           FROM demarche_droit p JOIN dossier d ON d.parcours_id = p.parcours_id
          WHERE d.departement = $1 AND p.type = ANY($4) AND p.statut = 'OBTENU'
            AND p.date_debut IS NOT NULL AND p.date_fin BETWEEN $2 AND $3`,
        [departement, du, au, [...typesCaf]],
      ),
      // Procedures blocked now and already blocked at the end of the period.
      this.db.query(
        `SELECT p.type, p.motif_blocage AS motif, count(*)::int AS nombre
           FROM demarche_droit p JOIN dossier d ON d.parcours_id = p.parcours_id
          WHERE d.departement = $1 AND p.statut = 'BLOQUE' AND (p.bloquee_depuis IS NULL OR p.bloquee_depuis <= $2)
          GROUP BY p.type, p.motif_blocage`,
        [departement, au],
      ),
    ]);
    const a = (acces as { numerateur: number; denominateur: number }[])[0]!;
    const d = (delai as { jours: number | string | null; nombre: number }[])[0]!;
    const entrees = situationsEntree as { categorie: CategorieLogement | null; nombre: number }[];
    return {
      situationsEntree: entrees.filter((e): e is { categorie: CategorieLogement; nombre: number } => e.categorie !== null),
      entreesSansSituation: entrees.find((e) => e.categorie === null)?.nombre ?? 0,
      accesLogement: { numerateur: a.numerateur, denominateur: a.denominateur },
      demarches,
      delaiOuvertureCaf: { jours: d.jours === null ? null : Number(d.jours), nombre: d.nombre },
      demarchesBloquees: bloquees,
    };
  }
}
