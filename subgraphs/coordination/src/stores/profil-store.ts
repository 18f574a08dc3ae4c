import type { IsoDate } from '@agir/common';
import type { DataSource } from 'typeorm';
import { trancheAgeSql } from '../analyse';
import { enCoursLe } from './indicateurs-store';


const AGE = `date_part('year', age($3::date, date_naissance))`;
const TRANCHE = trancheAgeSql('$3::date', 'date_naissance');

export interface ProfilBrut {
  stockDebut: number;
  stockFin: number;
  entrees: number;
  sorties: number;
  population: number;
  /** The sum of the population's known ages (years at `au`) and how many are known. */
  sommeAges: number;
  agesConnus: number;
  /** One row per (dimension, value): FAMILLE / ISOLE, the age bands (null: unknown), sex, country, commune. */
  repartitions: { dimension: 'FAMILLE' | 'TRANCHE' | 'SEXE' | 'PAYS' | 'COMMUNE'; valeur: string | null; nombre: number; libelle: string | null }[];
}

/**
 * The profile of the beneficiaries of a scope (département, optional site) over [du, au], in two
 * SQL statements over this subgraph's own tables (`parcours`, `beneficiaire`), in time linear in their number.
 * The population described: the parcours in progress at some point of the period.
 */
export class ProfilStore {
  constructor(private readonly db: DataSource) {}

  async calculer(departement: string, du: IsoDate, au: IsoDate, siteId: string | null): Promise<ProfilBrut> {
    // Both statements read the scope's parcours once and aggregate in one pass. The family step
    // finds the people a rejoignant joined through one set of `bpi_beneficiaire_id` (a hash join),
    // not a lookup per person: that lookup, unindexed, made the profile quadratic in the population.
    const params = [departement, du, au, siteId];
    const perimetre = `WITH p AS (
        SELECT p.id, p.date_orientation, p.date_sortie, p.date_reintegration, b.id AS beneficiaire_id, b.date_naissance, b.sexe,
               b.pays_naissance, b.commune_insee, b.commune_nom, b.rejoignant, b.bpi_beneficiaire_id
          FROM parcours p JOIN beneficiaire b ON b.id = p.beneficiaire_id
         WHERE p.departement = $1 AND ($4::uuid IS NULL OR p.site_id = $4::uuid))`;
    const enPopulation = `date_orientation <= $3::date
           AND (date_sortie IS NULL OR date_sortie >= $2::date OR (date_reintegration IS NOT NULL AND date_reintegration <= $3::date))`;
    const [[comptes], repartitions] = await Promise.all([
      this.db.query(
        `${perimetre}
         SELECT count(*) FILTER (WHERE ${enCoursLe('$2::date', 'date_orientation')})::int AS "stockDebut",
                count(*) FILTER (WHERE ${enCoursLe('$3::date', 'date_orientation')})::int AS "stockFin",
                count(*) FILTER (WHERE date_orientation BETWEEN $2::date AND $3::date)::int AS entrees,
                count(*) FILTER (WHERE date_sortie BETWEEN $2::date AND $3::date)::int AS sorties,
                count(*) FILTER (WHERE ${enPopulation})::int AS population,
                coalesce(sum(${AGE}) FILTER (WHERE ${enPopulation} AND date_naissance IS NOT NULL), 0)::float AS "sommeAges",
                count(*) FILTER (WHERE ${enPopulation} AND date_naissance IS NOT NULL)::int AS "agesConnus"
           FROM p`,
        params,
      ) as Promise<Omit<ProfilBrut, 'repartitions'>[]>,
      this.db.query(
        `${perimetre},
         population AS (SELECT * FROM p WHERE ${enPopulation}),
         rejoints AS (SELECT DISTINCT bpi_beneficiaire_id AS id FROM beneficiaire WHERE bpi_beneficiaire_id IS NOT NULL),
         famille AS (
           SELECT CASE WHEN pop.rejoignant OR pop.bpi_beneficiaire_id IS NOT NULL OR r.id IS NOT NULL THEN 'FAMILLE' ELSE 'ISOLE' END AS valeur
             FROM population pop LEFT JOIN rejoints r ON r.id = pop.beneficiaire_id)
         SELECT 'FAMILLE' AS dimension, valeur, count(*)::int AS nombre, NULL AS libelle FROM famille GROUP BY valeur
         UNION ALL SELECT 'TRANCHE', ${TRANCHE}, count(*)::int, NULL FROM population GROUP BY 2
         UNION ALL SELECT 'SEXE', sexe, count(*)::int, NULL FROM population GROUP BY 2
         UNION ALL SELECT 'PAYS', pays_naissance, count(*)::int, NULL FROM population GROUP BY 2
         UNION ALL SELECT 'COMMUNE', commune_insee, count(*)::int, max(commune_nom) FROM population GROUP BY 2`,
        params,
      ) as Promise<ProfilBrut['repartitions']>,
    ]);
    return { ...comptes!, repartitions };
  }
}
