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
 * The situation of each followed parcours on a day (`jour`, a column of `jours`), in SQL, with
 * the same definition as `situationAuJour` in rules/situation-courante.ts: the most favourable contract or training
 * in progress that day (the order of `ORDRE_PREFERENCE`, passed as the two array parameters); SANS_ACTIVITE when
 * none is but one has already started; otherwise the latest situation declared on or before that
 * day; NULL (not counted) when nothing is known. Set-based: each of the three is one join of the
 * days with their parcours's rows (a hash join on the parcours id), not a subquery per day, so the
 * time follows the number of parcours. Gives `situations` (parcours_id, moment, categorie).
 */
const situationsAuJour = (stabilisant: string, nonStabilisant: string) => `
  en_cours AS (
    SELECT DISTINCT ON (j.parcours_id, j.moment) j.parcours_id, j.moment, a.categorie
      FROM jours j JOIN activites a ON a.parcours_id = j.parcours_id AND a.date_debut <= j.jour AND (a.date_fin IS NULL OR a.date_fin >= j.jour)
     ORDER BY j.parcours_id, j.moment, a.stabilisant DESC,
              array_position(CASE WHEN a.stabilisant THEN ${stabilisant}::text[] ELSE ${nonStabilisant}::text[] END, a.categorie),
              a.date_fin DESC NULLS FIRST, a.date_debut),
  commencees AS (
    SELECT DISTINCT j.parcours_id, j.moment FROM jours j JOIN activites a ON a.parcours_id = j.parcours_id AND a.date_debut <= j.jour),
  declarees AS (
    SELECT DISTINCT ON (j.parcours_id, j.moment) j.parcours_id, j.moment, sp.categorie
      FROM jours j JOIN situation_professionnelle sp ON sp.parcours_id = j.parcours_id AND sp.date_debut <= j.jour
     ORDER BY j.parcours_id, j.moment, sp.date_debut DESC),
  situations AS (
    SELECT j.parcours_id, j.moment, COALESCE(e.categorie, CASE WHEN c.parcours_id IS NOT NULL THEN 'SANS_ACTIVITE' END, d.categorie) AS categorie
      FROM jours j LEFT JOIN en_cours e USING (parcours_id, moment) LEFT JOIN commencees c USING (parcours_id, moment)
      LEFT JOIN declarees d USING (parcours_id, moment))`;

/** The parcours followed in the département ($1) with a dossier opened on or before `au`, and their contracts and trainings. */
const suivisEtActivites = (au: string) => `
  suivis AS (SELECT parcours_id, ouvert_le FROM dossier WHERE departement = $1 AND ouvert_le <= ${au}::date),
  activites AS (
    SELECT c.parcours_id, c.type, c.categorie, c.stabilisant, c.date_debut, c.date_fin, 'CONTRAT' AS nature
      FROM contrat_travail c JOIN suivis USING (parcours_id)
    UNION ALL
    SELECT f.parcours_id, f.type, f.categorie, f.stabilisant, f.date_debut, f.date_fin, 'FORMATION'
      FROM formation f JOIN suivis USING (parcours_id)
  )`;

/** The indicators of a département over a period, counted in SQL (a few statements, whatever the number of parcours). */
export class IndicateursStore {
  constructor(private readonly db: DataSource) {}

  async calculer(departement: string, du: string, au: string): Promise<IndicateursBruts> {
    const situations: Array<{ moment: 'ENTREE' | 'ACTUELLE'; categorie: CategorieSituationProfessionnelle | null; nombre: string }> = await this.db.query(
      `WITH ${suivisEtActivites('$2')},
        jours AS (
          SELECT parcours_id, 'ENTREE' AS moment, ouvert_le AS jour FROM suivis
          UNION ALL SELECT parcours_id, 'ACTUELLE', $2::date FROM suivis
        ),
        ${situationsAuJour('$3', '$4')}
       SELECT moment, categorie, count(*) AS nombre FROM situations GROUP BY 1, 2`,
      [departement, au, ORDRE_PREFERENCE.stabilisant, ORDRE_PREFERENCE.nonStabilisant],
    );
    const [acces]: Array<{ suivis: string; numerateur: string }> = await this.db.query(
      `WITH ${suivisEtActivites('$3')}
       SELECT (SELECT count(*) FROM suivis) AS suivis,
              (SELECT count(DISTINCT parcours_id) FROM activites
                WHERE date_debut <= $3::date AND (date_fin IS NULL OR date_fin >= $2::date)
                  AND NOT (nature = 'CONTRAT' AND type = 'SERVICE_CIVIQUE')
                  AND NOT (nature = 'FORMATION' AND type = 'LINGUISTIQUE')) AS numerateur`,
      [departement, du, au],
    );
    const [langue]: Array<{ evalues: string; progression: string; gagnes: string | null }> = await this.db.query(
      `WITH evals AS (
         SELECT e.parcours_id, array_position($3::text[], e.niveau_cecrl) AS rang, e.date_evaluation, e.id
           FROM evaluation_langue e JOIN dossier d USING (parcours_id)
          WHERE d.departement = $1 AND d.ouvert_le <= $2::date AND e.date_evaluation <= $2::date
       ), bornes AS (
         SELECT parcours_id, count(*) AS n,
                (array_agg(rang ORDER BY date_evaluation, id))[1] AS premier,
                (array_agg(rang ORDER BY date_evaluation DESC, id DESC))[1] AS dernier
           FROM evals GROUP BY parcours_id
       )
       SELECT count(*) AS evalues, count(*) FILTER (WHERE dernier > premier) AS progression, sum(dernier - premier) AS gagnes
         FROM bornes WHERE n >= 2`,
      [departement, au, NIVEAUX_CECRL],
    );
    const freins: Array<{ type: TypeFrein; identifies: string; leves: string }> = await this.db.query(
      `SELECT f.type, count(*) AS identifies, count(*) FILTER (WHERE f.date_levee <= $2::date) AS leves
         FROM frein_emploi f JOIN dossier d USING (parcours_id)
        WHERE d.departement = $1 AND d.ouvert_le <= $2::date AND f.date_identification <= $2::date
        GROUP BY f.type`,
      [departement, au],
    );
    const contrats: Array<{ type: TypeContratRow; nombre: string }> = await this.db.query(
      `SELECT c.type, count(*) AS nombre
         FROM contrat_travail c JOIN dossier d USING (parcours_id)
        WHERE d.departement = $1 AND d.ouvert_le <= $3::date AND c.date_debut BETWEEN $2::date AND $3::date
        GROUP BY c.type`,
      [departement, du, au],
    );

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
