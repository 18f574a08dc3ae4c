import type { IsoDate } from '@agir/common';
import type { DataSource } from 'typeorm';
import { trancheDeAgeSql } from '../analyse';
import { enCoursLe } from './indicateurs-store';

/**
 * The age in years at `au` ($3), computed once per person in the statements' `p` (NULL when the
 * birth date is unknown). On timestamps without time zone: `age` of two dates converts both to
 * timestamps with time zone first, which cost more than the rest of the profile's arithmetic (the
 * same completed years, as both are midnights).
 */
const AGE = `date_part('year', age($3::timestamp, b.date_naissance::timestamp))`;
const TRANCHE = trancheDeAgeSql('age');

/** A row of the profile's statement: a value of a distribution, or (dimension TOTAL) the scope's counts. */
interface LigneProfil {
  dimension: ProfilBrut['repartitions'][number]['dimension'] | 'TOTAL';
  valeur: string | null;
  nombre: number;
  libelle: string | null;
  stockDebut: number;
  stockFin: number;
  entrees: number;
  sorties: number;
  sommeAges: number;
  agesConnus: number;
}

/** The scope of a profile: a département, a site or all of them, a period. */
export interface PerimetreProfil {
  departement: string;
  du: IsoDate;
  au: IsoDate;
  siteId: string | null;
}

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
 * The profile of the beneficiaries of a scope (département, optional site) over [du, au], in one
 * SQL statement over this subgraph's own tables (`parcours`, `beneficiaire`), in time linear in their number.
 * The population described: the parcours in progress at some point of the period.
 */
export class ProfilStore {
  constructor(private readonly db: DataSource) {}

  async calculer(departement: string, du: IsoDate, au: IsoDate, siteId: string | null): Promise<ProfilBrut> {
    // One read of the scope's parcours and their people, in two aggregation steps: first by every
    // combination of the distributions' values (a few thousand groups at most, one hash table),
    // each with its stock and flow counts; then those groups rolled up by grouping sets into each
    // distribution and, with the empty set, the scope's totals. The family step finds the people a
    // rejoignant joined through one set of `bpi_beneficiaire_id` (a hash join), not a lookup per
    // person: that lookup, unindexed, made the profile quadratic in the population.
    const params = [departement, du, au, siteId];
    const enPopulation = `date_orientation <= $3::date
           AND (date_sortie IS NULL OR date_sortie >= $2::date OR (date_reintegration IS NOT NULL AND date_reintegration <= $3::date))`;
    const lignes = (await this.db.query(
      `WITH p AS (
         SELECT p.date_orientation, p.date_sortie, p.date_reintegration, b.id AS beneficiaire_id, ${AGE} AS age, b.sexe,
                b.pays_naissance, b.commune_insee, b.commune_nom, b.rejoignant, b.bpi_beneficiaire_id
           FROM parcours p JOIN beneficiaire b ON b.id = p.beneficiaire_id
          WHERE p.departement = $1 AND ($4::uuid IS NULL OR p.site_id = $4::uuid)),
       rejoints AS (SELECT DISTINCT bpi_beneficiaire_id AS id FROM beneficiaire WHERE bpi_beneficiaire_id IS NOT NULL),
       groupes AS (
         SELECT CASE WHEN p.rejoignant OR p.bpi_beneficiaire_id IS NOT NULL OR r.id IS NOT NULL THEN 'FAMILLE' ELSE 'ISOLE' END AS famille,
                ${TRANCHE} AS tranche, p.sexe, p.pays_naissance, p.commune_insee,
                count(*) FILTER (WHERE ${enCoursLe('$2::date', 'date_orientation')}) AS stock_debut,
                count(*) FILTER (WHERE ${enCoursLe('$3::date', 'date_orientation')}) AS stock_fin,
                count(*) FILTER (WHERE date_orientation BETWEEN $2::date AND $3::date) AS entrees,
                count(*) FILTER (WHERE date_sortie BETWEEN $2::date AND $3::date) AS sorties,
                count(*) FILTER (WHERE ${enPopulation}) AS population,
                sum(age) FILTER (WHERE ${enPopulation}) AS somme_ages,
                count(age) FILTER (WHERE ${enPopulation}) AS ages_connus,
                max(p.commune_nom) FILTER (WHERE ${enPopulation}) AS commune_nom
           FROM p LEFT JOIN rejoints r ON r.id = p.beneficiaire_id
          GROUP BY 1, 2, 3, 4, 5)
       SELECT CASE WHEN GROUPING(famille) = 0 THEN 'FAMILLE' WHEN GROUPING(tranche) = 0 THEN 'TRANCHE' WHEN GROUPING(sexe) = 0 THEN 'SEXE'
                   WHEN GROUPING(pays_naissance) = 0 THEN 'PAYS' WHEN GROUPING(commune_insee) = 0 THEN 'COMMUNE' ELSE 'TOTAL' END AS dimension,
              coalesce(famille, tranche, sexe, pays_naissance, commune_insee) AS valeur, coalesce(sum(population), 0)::int AS nombre,
              CASE WHEN GROUPING(commune_insee) = 0 THEN max(commune_nom) END AS libelle,
              coalesce(sum(stock_debut), 0)::int AS "stockDebut", coalesce(sum(stock_fin), 0)::int AS "stockFin",
              coalesce(sum(entrees), 0)::int AS entrees, coalesce(sum(sorties), 0)::int AS sorties,
              coalesce(sum(somme_ages), 0)::float AS "sommeAges", coalesce(sum(ages_connus), 0)::int AS "agesConnus"
         FROM groupes
        GROUP BY GROUPING SETS ((famille), (tranche), (sexe), (pays_naissance), (commune_insee), ())
       -- A value held only by people outside the population is no row of its distribution.
       HAVING sum(population) > 0 OR GROUPING(famille, tranche, sexe, pays_naissance, commune_insee) = 31`,
      params,
    )) as LigneProfil[];
    const total = lignes.find((l) => l.dimension === 'TOTAL');
    const repartitions: ProfilBrut['repartitions'] = [];
    for (const { dimension, valeur, nombre, libelle } of lignes) if (dimension !== 'TOTAL') repartitions.push({ dimension, valeur, nombre, libelle });
    return {
      stockDebut: total?.stockDebut ?? 0,
      stockFin: total?.stockFin ?? 0,
      entrees: total?.entrees ?? 0,
      sorties: total?.sorties ?? 0,
      population: total?.nombre ?? 0,
      sommeAges: total?.sommeAges ?? 0,
      agesConnus: total?.agesConnus ?? 0,
      repartitions,
    };
  }
}
