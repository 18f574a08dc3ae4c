import type { IsoDate } from '@agir/common';
import type { DataSource } from 'typeorm';
import { trancheDeAgeSql } from '../analyse';
import { enCoursLe } from './indicateurs-store';


/** The age in years at `au` ($3), computed once per person in the statements' `p` (NULL when the birth date is unknown). */
const AGE = `date_part('year', age($3::date, b.date_naissance))`;
const TRANCHE = trancheDeAgeSql('age');

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
    // Each statement reads the scope's parcours once and aggregates in one pass (the distributions
    // as grouping sets). The family step finds the people a rejoignant joined through one set of
    // `bpi_beneficiaire_id` (a hash join), not a lookup per person: that lookup, unindexed, made
    // the profile quadratic in the population.
    const params = [departement, du, au, siteId];
    const perimetre = `WITH p AS (
        SELECT p.id, p.date_orientation, p.date_sortie, p.date_reintegration, b.id AS beneficiaire_id, b.date_naissance, ${AGE} AS age, b.sexe,
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
                coalesce(sum(age) FILTER (WHERE ${enPopulation} AND date_naissance IS NOT NULL), 0)::float AS "sommeAges",
                count(*) FILTER (WHERE ${enPopulation} AND date_naissance IS NOT NULL)::int AS "agesConnus"
           FROM p`,
        params,
      ) as Promise<Omit<ProfilBrut, 'repartitions'>[]>,
      this.db.query(
        `${perimetre},
         rejoints AS (SELECT DISTINCT bpi_beneficiaire_id AS id FROM beneficiaire WHERE bpi_beneficiaire_id IS NOT NULL),
         population AS (
           SELECT CASE WHEN p.rejoignant OR p.bpi_beneficiaire_id IS NOT NULL OR r.id IS NOT NULL THEN 'FAMILLE' ELSE 'ISOLE' END AS famille,
                  ${TRANCHE} AS tranche, p.sexe, p.pays_naissance, p.commune_insee, p.commune_nom
             FROM p LEFT JOIN rejoints r ON r.id = p.beneficiaire_id
            WHERE ${enPopulation})
         SELECT CASE WHEN GROUPING(famille) = 0 THEN 'FAMILLE' WHEN GROUPING(tranche) = 0 THEN 'TRANCHE' WHEN GROUPING(sexe) = 0 THEN 'SEXE'
                     WHEN GROUPING(pays_naissance) = 0 THEN 'PAYS' ELSE 'COMMUNE' END AS dimension,
                coalesce(famille, tranche, sexe, pays_naissance, commune_insee) AS valeur, count(*)::int AS nombre,
                CASE WHEN GROUPING(commune_insee) = 0 THEN max(commune_nom) END AS libelle
           FROM population
          GROUP BY GROUPING SETS ((famille), (tranche), (sexe), (pays_naissance), (commune_insee))`,
        params,
      ) as Promise<ProfilBrut['repartitions']>,
    ]);
    return { ...comptes!, repartitions };
  }
}
