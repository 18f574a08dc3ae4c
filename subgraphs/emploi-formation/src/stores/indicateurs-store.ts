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
 * The parcours followed in the département ($1) with a dossier opened on or before `au` ($2), in
 * one statement: how many (the row TOTAL), how many had an activity that counts for the access
 * rate during the period (from $6 to $2: a contract other than a civic service, a training other
 * than a language course; `acces` of the row TOTAL), and their situation on two days, counted by
 * category: its dossier's opening (ENTREE) and `au` (ACTUELLE), with the same definition as
 * `situationAuJour` in rules/situation-courante.ts: the most favourable contract or training in
 * progress that day (the order of `ORDRE_PREFERENCE`); SANS_ACTIVITE when none is but one has
 * already started; otherwise the latest situation declared on or before that day; nothing (a row
 * without category, not counted) when nothing is known. Set-based, in one hash aggregation per
 * parcours: its candidates (contracts, trainings, declared situations) ranked on both days
 * (`rangAuJour`) and the smallest rank of each day kept; no sort of the candidates, and one row
 * per candidate rather than one per candidate and day.
 */
const SUIVIS_ET_SITUATIONS = `
  WITH suivis AS (SELECT parcours_id, ouvert_le FROM dossier WHERE departement = $1 AND ouvert_le <= $2::date),
  candidats AS (
    SELECT s.parcours_id, s.ouvert_le, x.nature, x.type, x.categorie, x.stabilisant, x.date_debut, x.date_fin
      FROM suivis s LEFT JOIN (
             SELECT parcours_id, 'CONTRAT' AS nature, type, categorie, stabilisant, date_debut, date_fin FROM contrat_travail
             UNION ALL SELECT parcours_id, 'FORMATION', type, categorie, stabilisant, date_debut, date_fin FROM formation
             UNION ALL SELECT parcours_id, 'DECLAREE', NULL, categorie, NULL, date_debut, NULL FROM situation_professionnelle) x
           USING (parcours_id)),
  parcours AS (
    SELECT min(${rangAuJour('c.ouvert_le')}) AS entree, min(${rangAuJour('$2::date')}) AS actuelle,
           coalesce(bool_or(c.nature <> 'DECLAREE' AND c.date_debut <= $2::date AND (c.date_fin IS NULL OR c.date_fin >= $6::date)
             AND NOT (c.nature = 'CONTRAT' AND c.type = 'SERVICE_CIVIQUE') AND NOT (c.nature = 'FORMATION' AND c.type = 'LINGUISTIQUE')), false) AS acces
      FROM candidats c GROUP BY c.parcours_id)
  SELECT CASE WHEN GROUPING(e) = 0 THEN 'ENTREE' WHEN GROUPING(a) = 0 THEN 'ACTUELLE' ELSE 'TOTAL' END AS moment,
         ($5::text[])[coalesce(e, a)] AS categorie, count(*) AS nombre, count(*) FILTER (WHERE acces) AS acces
    FROM (SELECT entree & 15 AS e, actuelle & 15 AS a, acces FROM parcours) p
   GROUP BY GROUPING SETS ((e), (a), ())`;

/** The indicators of a département over a period, counted in SQL (a few statements, whatever the number of parcours). */
export class IndicateursStore {
  constructor(private readonly db: DataSource) {}

  async calculer(departement: string, du: string, au: string): Promise<IndicateursBruts> {
    // Independent statements, run side by side (each on its own connection of the pool).
    const [situations, [langue], freins, contrats]: [
      Array<{ moment: 'ENTREE' | 'ACTUELLE' | 'TOTAL'; categorie: CategorieSituationProfessionnelle | null; nombre: string; acces: string }>,
      Array<{ evalues: string; progression: string; gagnes: string | null }>,
      Array<{ type: TypeFrein; identifies: string; leves: string }>,
      Array<{ type: TypeContratRow; nombre: string }>,
    ] = await Promise.all([
      this.db.query(SUIVIS_ET_SITUATIONS, [departement, au, ORDRE_PREFERENCE.stabilisant, ORDRE_PREFERENCE.nonStabilisant, CATEGORIES_RANG, du]),
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

    const total = situations.find((r) => r.moment === 'TOTAL');
    const parMoment = (moment: 'ENTREE' | 'ACTUELLE') =>
      new Map(situations.filter((r) => r.moment === moment && r.categorie !== null).map((r) => [r.categorie!, Number(r.nombre)]));
    return {
      parcoursSuivis: Number(total?.nombre ?? 0),
      situationEntree: parMoment('ENTREE'),
      situationActuelle: parMoment('ACTUELLE'),
      accesNumerateur: Number(total?.acces ?? 0),
      langue: { parcoursEvalues: Number(langue?.evalues ?? 0), parcoursEnProgression: Number(langue?.progression ?? 0), niveauxGagnes: Number(langue?.gagnes ?? 0) },
      freins: new Map(freins.map((r) => [r.type, { identifies: Number(r.identifies), leves: Number(r.leves) }])),
      contrats: new Map(contrats.map((r) => [r.type, Number(r.nombre)])),
    };
  }
}
