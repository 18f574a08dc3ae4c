import type { DataSource } from 'typeorm';
import type { CategorieSituationProfessionnelle, TypeContratRow, TypeFrein } from '../entities';
import { NIVEAUX_CECRL, ORDRE_PREFERENCE } from '../rules';

export interface IndicateursBruts {
  parcoursSuivis: number;
  situationEntree: Map<CategorieSituationProfessionnelle, number>;
  situationActuelle: Map<CategorieSituationProfessionnelle, number>;
  accesNumerateur: number;
  langue: { parcoursEvalues: number; parcoursEnProgression: number; niveauxGagnes: number };
  freins: Map<TypeFrein, { identifies: number; leves: number }>;
  contrats: Map<TypeContratRow, number>;
}

/**
 * The situation of each followed parcours on two days, its dossier's opening (ENTREE) and `au`
 * (ACTUELLE), in SQL (from `suivis` and `activites`), with the same definition as `situationAuJour` in rules/situation-courante.ts: the most favourable contract or training
 * in progress that day (the order of `ORDRE_PREFERENCE`, passed as the two array parameters); SANS_ACTIVITE when
 * none is but one has already started; otherwise the latest situation declared on or before that
 * day; nothing (not counted) when nothing is known. Set-based, in one sort: every candidate of a
 * day (its parcours's activities started by then, its declared situations) gets a rank that
 * encodes that order, and the first per day wins. Gives `situations` (parcours_id, moment, categorie).
 */
const situationsAuJour = (au: string, stabilisant: string, nonStabilisant: string) => `
  candidats AS (
    SELECT a.parcours_id, j.moment,
           CASE WHEN a.date_fin IS NULL OR a.date_fin >= j.jour THEN a.categorie ELSE 'SANS_ACTIVITE' END AS categorie,
           CASE WHEN a.date_fin IS NULL OR a.date_fin >= j.jour THEN 1 ELSE 2 END AS rang,
           NOT a.stabilisant AS non_stabilisant,
           array_position(CASE WHEN a.stabilisant THEN ${stabilisant}::text[] ELSE ${nonStabilisant}::text[] END, a.categorie) AS preference,
           a.date_fin, a.date_debut - date '1900-01-01' AS anciennete
      FROM activites a CROSS JOIN LATERAL (VALUES ('ENTREE', a.ouvert_le), ('ACTUELLE', ${au}::date)) AS j(moment, jour)
     WHERE a.date_debut <= j.jour
    UNION ALL
    SELECT sp.parcours_id, j.moment, sp.categorie, 3, NULL, NULL, NULL, date '9999-12-31' - sp.date_debut
      FROM situation_professionnelle sp JOIN suivis s USING (parcours_id)
     CROSS JOIN LATERAL (VALUES ('ENTREE', s.ouvert_le), ('ACTUELLE', ${au}::date)) AS j(moment, jour)
     WHERE sp.date_debut <= j.jour),
  situations AS (
    SELECT DISTINCT ON (parcours_id, moment) parcours_id, moment, categorie
      FROM candidats
     ORDER BY parcours_id, moment, rang, non_stabilisant, preference, date_fin DESC NULLS FIRST, anciennete)`;

/** The parcours followed in the département ($1) with a dossier opened on or before `au`, and their contracts and trainings. */
const suivisEtActivites = (au: string) => `
  suivis AS (SELECT parcours_id, ouvert_le FROM dossier WHERE departement = $1 AND ouvert_le <= ${au}::date),
  activites AS (
    SELECT c.parcours_id, suivis.ouvert_le, c.type, c.categorie, c.stabilisant, c.date_debut, c.date_fin, 'CONTRAT' AS nature
      FROM contrat_travail c JOIN suivis USING (parcours_id)
    UNION ALL
    SELECT f.parcours_id, suivis.ouvert_le, f.type, f.categorie, f.stabilisant, f.date_debut, f.date_fin, 'FORMATION'
      FROM formation f JOIN suivis USING (parcours_id)
  )`;

/** The indicators of a département over a period, counted in SQL (a few statements, whatever the number of parcours). */
export class IndicateursStore {
  constructor(private readonly db: DataSource) {}

  async calculer(departement: string, du: string, au: string): Promise<IndicateursBruts> {
    // Independent statements, run side by side (each on its own connection of the pool).
    const [situations, [acces], [langue], freins, contrats]: [
      Array<{ moment: 'ENTREE' | 'ACTUELLE'; categorie: CategorieSituationProfessionnelle | null; nombre: string }>,
      Array<{ suivis: string; numerateur: string }>,
      Array<{ evalues: string; progression: string; gagnes: string | null }>,
      Array<{ type: TypeFrein; identifies: string; leves: string }>,
      Array<{ type: TypeContratRow; nombre: string }>,
    ] = await Promise.all([
      this.db.query(
        `WITH ${suivisEtActivites('$2')},
          ${situationsAuJour('$2', '$3', '$4')}
         SELECT moment, categorie, count(*) AS nombre FROM situations GROUP BY 1, 2`,
        [departement, au, ORDRE_PREFERENCE.stabilisant, ORDRE_PREFERENCE.nonStabilisant],
      ),
      this.db.query(
        `WITH ${suivisEtActivites('$3')}
         SELECT (SELECT count(*) FROM suivis) AS suivis,
                (SELECT count(DISTINCT parcours_id) FROM activites
                  WHERE date_debut <= $3::date AND (date_fin IS NULL OR date_fin >= $2::date)
                    AND NOT (nature = 'CONTRAT' AND type = 'SERVICE_CIVIQUE')
                    AND NOT (nature = 'FORMATION' AND type = 'LINGUISTIQUE')) AS numerateur`,
        [departement, du, au],
      ),
      this.db.query(
        `WITH evals AS (
           SELECT e.parcours_id, array_position($3::text[], e.niveau_cecrl) AS rang, e.date_evaluation, e.id
             FROM evaluation_langue e JOIN dossier d USING (parcours_id)
            WHERE d.departement = $1 AND d.ouvert_le <= $2::date AND e.date_evaluation <= $2::date
         ), bornes AS (
         -- One sort of the evaluations: each parcours's count, first and last level by date.
         SELECT DISTINCT ON (parcours_id) parcours_id, count(*) OVER w AS n, first_value(rang) OVER w AS premier, last_value(rang) OVER w AS dernier
           FROM evals
         WINDOW w AS (PARTITION BY parcours_id ORDER BY date_evaluation, id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
          ORDER BY parcours_id
       )
       SELECT count(*) AS evalues, count(*) FILTER (WHERE dernier > premier) AS progression, sum(dernier - premier) AS gagnes
           FROM bornes WHERE n >= 2`,
        [departement, au, NIVEAUX_CECRL],
      ),
      this.db.query(
        `SELECT f.type, count(*) AS identifies, count(*) FILTER (WHERE f.date_levee <= $2::date) AS leves
           FROM frein_emploi f JOIN dossier d USING (parcours_id)
          WHERE d.departement = $1 AND d.ouvert_le <= $2::date AND f.date_identification <= $2::date
          GROUP BY f.type`,
        [departement, au],
      ),
      this.db.query(
        `SELECT c.type, count(*) AS nombre
           FROM contrat_travail c JOIN dossier d USING (parcours_id)
          WHERE d.departement = $1 AND d.ouvert_le <= $3::date AND c.date_debut BETWEEN $2::date AND $3::date
          GROUP BY c.type`,
        [departement, du, au],
      ),
    ]);

    const parMoment = (moment: 'ENTREE' | 'ACTUELLE') =>
      new Map(situations.filter((r) => r.moment === moment && r.categorie !== null).map((r) => [r.categorie!, Number(r.nombre)]));
    return {
      parcoursSuivis: Number(acces?.suivis ?? 0),
      situationEntree: parMoment('ENTREE'),
      situationActuelle: parMoment('ACTUELLE'),
      accesNumerateur: Number(acces?.numerateur ?? 0),
      langue: { parcoursEvalues: Number(langue?.evalues ?? 0), parcoursEnProgression: Number(langue?.progression ?? 0), niveauxGagnes: Number(langue?.gagnes ?? 0) },
      freins: new Map(freins.map((r) => [r.type, { identifies: Number(r.identifies), leves: Number(r.leves) }])),
      contrats: new Map(contrats.map((r) => [r.type, Number(r.nombre)])),
    };
  }
}
