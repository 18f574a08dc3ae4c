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

/** The categories in a fixed order: a situation's category travels as its position in the rank below. */
const CATEGORIES_RANG: readonly CategorieSituationProfessionnelle[] = [
  'SANS_ACTIVITE', 'FORMATION_LINGUISTIQUE', 'FORMATION_PROFESSIONNELLE', 'ETUDES', 'EMPLOI_COURT', 'EMPLOI_DURABLE', 'ALTERNANCE',
  'INSERTION_ACTIVITE_ECONOMIQUE', 'SERVICE_CIVIQUE',
];

/**
 * The rank of a candidate situation `c` on day `jour` (NULL when it has not started by then), one
 * bigint whose order is the rule's: the smallest rank of a parcours's candidates is its situation
 * that day, and its low four bits are the position of the category in `CATEGORIES_RANG` ($5).
 * From the high bits down:
 *   - 2 bits, the rule that applies: 1 a contract or training in progress, 2 one that has ended
 *     (the category is then SANS_ACTIVITE), 3 a declared situation;
 *   - 1 bit, not stabilising (in progress only);
 *   - 5 bits, the position in its order of `ORDRE_PREFERENCE` ($3 stabilising, $4 not), 31 outside it;
 *   - 23 bits, the end, open-ended first and then the latest (days before 9999-12-31, plus one);
 *   - 27 bits, the start: of an activity the earliest (days since 0001-01-01), of a declared
 *     situation the latest (days before 9999-12-31);
 *   - 4 bits, the category.
 */
const rangAuJour = (jour: string) => `CASE WHEN c.date_debut <= ${jour} THEN CASE
    WHEN c.nature = 'DECLAREE' THEN (3::bigint << 60) + ((date '9999-12-31' - c.date_debut)::bigint << 4) + coalesce(array_position($5::text[], c.categorie), 0)
    WHEN c.date_fin IS NULL OR c.date_fin >= ${jour} THEN (1::bigint << 60) + ((NOT c.stabilisant)::int::bigint << 59)
      + (coalesce(array_position(CASE WHEN c.stabilisant THEN $3::text[] ELSE $4::text[] END, c.categorie), 31)::bigint << 54)
      + (coalesce(date '9999-12-31' - c.date_fin + 1, 0)::bigint << 31) + ((c.date_debut - date '0001-01-01')::bigint << 4)
      + coalesce(array_position($5::text[], c.categorie), 0)
    ELSE (2::bigint << 60) + array_position($5::text[], 'SANS_ACTIVITE') END END`;

/**
 * The situation of each followed parcours on two days, its dossier's opening (ENTREE) and `au`
 * ($2, ACTUELLE), counted by category, with the same definition as `situationAuJour` in
 * rules/situation-courante.ts: the most favourable contract or training in progress that day (the
 * order of `ORDRE_PREFERENCE`); SANS_ACTIVITE when none is but one has already started; otherwise
 * the latest situation declared on or before that day; nothing (not counted) when nothing is
 * known. Set-based, in one hash aggregation: each parcours's candidates (its contracts, trainings
 * and declared situations) ranked on both days (`rangAuJour`), the smallest rank per parcours and
 * day kept, then counted by category. No sort of the candidates, and one row per candidate rather
 * than one per candidate and day.
 */
const SITUATIONS_AU_JOUR = `
  WITH suivis AS (SELECT parcours_id, ouvert_le FROM dossier WHERE departement = $1 AND ouvert_le <= $2::date),
  candidats AS (
    SELECT x.*, s.ouvert_le
      FROM (SELECT parcours_id, 'CONTRAT' AS nature, categorie, stabilisant, date_debut, date_fin FROM contrat_travail
            UNION ALL SELECT parcours_id, 'FORMATION', categorie, stabilisant, date_debut, date_fin FROM formation
            UNION ALL SELECT parcours_id, 'DECLAREE', categorie, NULL, date_debut, NULL FROM situation_professionnelle) x
      JOIN suivis s USING (parcours_id)),
  rangs AS (SELECT min(${rangAuJour('c.ouvert_le')}) AS entree, min(${rangAuJour('$2::date')}) AS actuelle FROM candidats c GROUP BY c.parcours_id)
  SELECT CASE WHEN GROUPING(e) = 0 THEN 'ENTREE' ELSE 'ACTUELLE' END AS moment, ($5::text[])[coalesce(e, a)] AS categorie, count(*) AS nombre
    FROM (SELECT entree & 15 AS e, actuelle & 15 AS a FROM rangs) r
   GROUP BY GROUPING SETS ((e), (a))`;

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
      // A parcours with nothing known on a day has a NULL rank there: its row has no category and is not counted.
      this.db.query(SITUATIONS_AU_JOUR, [departement, au, ORDRE_PREFERENCE.stabilisant, ORDRE_PREFERENCE.nonStabilisant, CATEGORIES_RANG]),
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
