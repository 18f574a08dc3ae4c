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
 * The domain's indicators for one département and one period [du, au], in four SQL statements over
 * this subgraph's own tables, run side by side: one pass over the housing periods, three over the
 * rights procedures (one grouping each: a single pass with the three as grouping sets cost more,
 * the median's sort running for every group). The definitions are those of the SDL's descriptions
 * (`IndicateursDroitsLogement`); `typesSortie` are the housing types that count for the exit (from
 * the rules, so that the indicator and `logementPourSortie` never disagree).
 */
export class IndicateursStore {
  constructor(private readonly db: DataSource) {}

  async calculer(departement: string, du: IsoDate, au: IsoDate, typesSortie: readonly string[], typesCaf: readonly string[]): Promise<IndicateursBruts> {
    const [logement, demarches, delai, bloquees] = await Promise.all([
      // One ordered pass over the housing periods of each dossier opened by the end of the period
      // (none for a dossier without any yet): its first period (the entry) and, over all of them,
      // whether one that counts for the exit began before the period or during it. Counted by
      // entry category:
      //   - the entry situation of the dossiers opened in the period (a null category for a
      //     dossier without a housing period yet);
      //   - access to housing: the people followed by the end of the period who entered in
      //     housing that does not count for the exit and had not reached such housing before the
      //     period (denominator); those of them who entered housing that counts during the period
      //     (numerator).
      this.db.query(
        `WITH dossiers AS (
           SELECT DISTINCT ON (d.parcours_id) d.ouvert_le, s.categorie, s.type AS entree,
                  bool_or(s.type = ANY($4) AND s.date_debut < $2) OVER periodes AS avant,
                  bool_or(s.type = ANY($4) AND s.date_debut BETWEEN $2 AND $3) OVER periodes AS pendant
             FROM dossier d LEFT JOIN situation_logement s ON s.parcours_id = d.parcours_id
            WHERE d.departement = $1 AND d.ouvert_le <= $3
           WINDOW periodes AS (PARTITION BY d.parcours_id ORDER BY s.date_debut, s.id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
            ORDER BY d.parcours_id, s.date_debut, s.id)
         SELECT categorie, (count(*) FILTER (WHERE ouvert_le >= $2))::int AS entrees,
                (count(*) FILTER (WHERE NOT (entree = ANY($4)) AND NOT avant))::int AS denominateur,
                (count(*) FILTER (WHERE NOT (entree = ANY($4)) AND NOT avant AND pendant))::int AS numerateur
           FROM dossiers GROUP BY categorie`,
        [departement, du, au, [...typesSortie]],
      ) as Promise<{ categorie: CategorieLogement | null; entrees: number; denominateur: number; numerateur: number }[]>,
      // Procedures active at some point of the period, by type and current statut.
      this.db.query(
        `SELECT p.type, p.statut, count(*)::int AS nombre
           FROM demarche_droit p JOIN dossier d ON d.parcours_id = p.parcours_id
          WHERE d.departement = $1
            AND (p.date_debut IS NULL OR p.date_debut <= $3) AND (p.date_fin IS NULL OR p.date_fin >= $2)
          GROUP BY p.type, p.statut`,
        [departement, du, au],
      ) as Promise<IndicateursBruts['demarches']>,
      // Days from start to obtaining, for the CAF rights obtained in the period.
      this.db.query(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY p.date_fin - p.date_debut) AS jours, count(*)::int AS nombre
           FROM demarche_droit p JOIN dossier d ON d.parcours_id = p.parcours_id
          WHERE d.departement = $1 AND p.type = ANY($4) AND p.statut = 'OBTENU'
            AND p.date_debut IS NOT NULL AND p.date_fin BETWEEN $2 AND $3`,
        [departement, du, au, [...typesCaf]],
      ) as Promise<{ jours: number | string | null; nombre: number }[]>,
      // Procedures blocked now and already blocked at the end of the period.
      this.db.query(
        `SELECT p.type, p.motif_blocage AS motif, count(*)::int AS nombre
           FROM demarche_droit p JOIN dossier d ON d.parcours_id = p.parcours_id
          WHERE d.departement = $1 AND p.statut = 'BLOQUE' AND (p.bloquee_depuis IS NULL OR p.bloquee_depuis <= $2)
          GROUP BY p.type, p.motif_blocage`,
        [departement, au],
      ) as Promise<IndicateursBruts['demarchesBloquees']>,
    ]);
    const somme = (cle: 'denominateur' | 'numerateur') => logement.reduce((n, l) => n + l[cle], 0);
    const d = delai[0]!;
    return {
      situationsEntree: logement
        .filter((e): e is typeof e & { categorie: CategorieLogement } => e.categorie !== null && e.entrees > 0)
        .map((e) => ({ categorie: e.categorie, nombre: e.entrees })),
      entreesSansSituation: logement.find((e) => e.categorie === null)?.entrees ?? 0,
      accesLogement: { numerateur: somme('numerateur'), denominateur: somme('denominateur') },
      demarches,
      delaiOuvertureCaf: { jours: d.jours === null ? null : Number(d.jours), nombre: d.nombre },
      demarchesBloquees: bloquees,
    };
  }
}
