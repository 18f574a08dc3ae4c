import { AVANT_SORTIE } from '../rules';
import type { DataSource, EntityManager } from 'typeorm';
import { Beneficiaire, Convention, Referent, Site, Structure, type BeneficiaireRow, type ConventionRow, type ReferentRow, type SiteRow, type StructureRow } from '../entities';

/**
 * Reference data (structures, sites, referents) and identities, read by id in batches for the
 * loaders, and listed for the reference queries.
 */
export class ReferenceStore {
  constructor(private readonly db: DataSource) {}

  referentsByIds(ids: readonly string[]): Promise<ReferentRow[]> {
    return this.db.getRepository(Referent).createQueryBuilder('r').where('r.id = ANY(:ids)', { ids: [...ids] }).getMany();
  }

  /** The referents of a structure, a domain, or the structures working in a département, by name. */
  referents(f: { structureId: string | null; domaine: string | null; departement: string | null }): Promise<ReferentRow[]> {
    const qb = this.db.getRepository(Referent).createQueryBuilder('r').innerJoin('structure', 's', 's.id = r.structure_id');
    if (f.structureId) qb.andWhere('r.structure_id = :structureId', { structureId: f.structureId });
    if (f.domaine) qb.andWhere('r.domaine = :domaine', { domaine: f.domaine });
    if (f.departement) qb.andWhere(':departement = ANY(s.departements)', { departement: f.departement });
    return qb.orderBy('r.nom').addOrderBy('r.prenom').addOrderBy('r.id').getMany();
  }

  /** How many running parcours (orientation to the end of the accompaniment) each referent sits in, in these départements. */
  async chargesReferents(ids: readonly string[], departements: readonly string[]): Promise<{ referentId: string; n: number }[]> {
    return (await this.db.query(
      `SELECT r.id AS "referentId", count(p.id)::int AS n
       FROM unnest(CAST($1 AS uuid[])) AS r(id)
       LEFT JOIN parcours p ON (p.referent_droits_logement_id = r.id OR p.referent_emploi_formation_id = r.id)
         AND p.departement = ANY($2) AND p.statut = ANY($3)
       GROUP BY r.id`,
      [[...ids], [...departements], [...AVANT_SORTIE]],
    )) as { referentId: string; n: number }[];
  }

  beneficiairesByIds(ids: readonly string[]): Promise<BeneficiaireRow[]> {
    return this.db.getRepository(Beneficiaire).createQueryBuilder('b').where('b.id = ANY(:ids)', { ids: [...ids] }).getMany();
  }

  /**
   * Which record each person belongs to, which decides who reads their identity: their parcours
   * (the latest, as the change journal says) or, before one exists, the fiche de liaison that
   * submitted them. One statement for all the ids.
   */
  async rattachements(ids: readonly string[]): Promise<RattachementBeneficiaire[]> {
    return (await this.db.query(
      `SELECT b.id AS "beneficiaireId", p.id AS "parcoursId", p.departement AS "departementParcours",
              f.id AS "ficheId", f.departement AS "departementFiche", f.soumise_par AS "soumisePar"
       FROM beneficiaire b
       LEFT JOIN LATERAL (SELECT id, departement FROM parcours WHERE beneficiaire_id = b.id ORDER BY date_orientation DESC, cree_le DESC LIMIT 1) p ON true
       LEFT JOIN LATERAL (SELECT id, departement, soumise_par FROM fiche_liaison WHERE beneficiaire_id = b.id ORDER BY cree_le DESC LIMIT 1) f ON true
       WHERE b.id = ANY($1)`,
      [[...ids]],
    )) as RattachementBeneficiaire[];
  }

  structures(departement?: string): Promise<StructureRow[]> {
    const qb = this.db.getRepository(Structure).createQueryBuilder('s').orderBy('s.nom');
    if (departement) qb.where(':departement = ANY(s.departements)', { departement });
    return qb.getMany();
  }

  sites(departement?: string): Promise<SiteRow[]> {
    const qb = this.db.getRepository(Site).createQueryBuilder('s').orderBy('s.departement').addOrderBy('s.secteur').addOrderBy('s.nom');
    if (departement) qb.where('s.departement = :departement', { departement });
    return qb.getMany();
  }

  conventionsByStructureIds(ids: readonly string[]): Promise<ConventionRow[]> {
    return this.db.getRepository(Convention).createQueryBuilder('c').where('c.structure_id = ANY(:ids)', { ids: [...ids] }).orderBy('c.intitule').getMany();
  }

  /** Records a convention, or updates the one of that structure with that title. */
  async ecrireConvention(row: Omit<ConventionRow, 'id'>): Promise<ConventionRow> {
    await this.db.getRepository(Convention).upsert(row, ['structureId', 'intitule']);
    return this.db.getRepository(Convention).findOneByOrFail({ structureId: row.structureId, intitule: row.intitule });
  }

  async insertBeneficiaire(m: EntityManager, row: Omit<BeneficiaireRow, 'id'>): Promise<string> {
    const result = await m.getRepository(Beneficiaire).insert(row);
    return (result.identifiers[0] as { id: string }).id;
  }
}

/** The record a person's identity belongs to (see `rattachements`). */
export interface RattachementBeneficiaire {
  beneficiaireId: string;
  parcoursId: string | null;
  departementParcours: string | null;
  ficheId: string | null;
  departementFiche: string | null;
  soumisePar: string | null;
}
