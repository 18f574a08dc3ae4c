import type { DataSource, EntityManager } from 'typeorm';
import { FicheLiaison, type FicheLiaisonRow, type StatutFicheLiaison } from '../entities';

/** The fiches de liaison: partners' orientation requests waiting for OFII's answer. */
export class FicheLiaisonStore {
  constructor(private readonly db: DataSource) {}

  private get repo() {
    return this.db.getRepository(FicheLiaison);
  }

  byIds(ids: readonly string[]): Promise<FicheLiaisonRow[]> {
    return this.repo.createQueryBuilder('f').where('f.id = ANY(:ids)', { ids: [...ids] }).getMany();
  }

  byParcoursIds(ids: readonly string[]): Promise<FicheLiaisonRow[]> {
    return this.repo.createQueryBuilder('f').where('f.parcours_id = ANY(:ids)', { ids: [...ids] }).getMany();
  }

  /** The fiches of a département with a statut, oldest first; `mois` ('YYYY-MM') limits to that month. */
  list(departement: string, statut: StatutFicheLiaison, mois?: string | null): Promise<FicheLiaisonRow[]> {
    const qb = this.repo.createQueryBuilder('f').where('f.departement = :departement AND f.statut = :statut', { departement, statut });
    if (mois) qb.andWhere("to_char(f.soumise_le, 'YYYY-MM') = :mois", { mois });
    return qb.orderBy('f.soumise_le', 'ASC').addOrderBy('f.cree_le', 'ASC').getMany();
  }

  async lockById(m: EntityManager, id: string): Promise<FicheLiaisonRow | null> {
    return m.getRepository(FicheLiaison).createQueryBuilder('f').setLock('pessimistic_write').where('f.id = :id', { id }).getOne();
  }

  async insert(m: EntityManager, row: Omit<FicheLiaisonRow, 'id' | 'creeLe'>): Promise<string> {
    const result = await m.getRepository(FicheLiaison).insert(row);
    return (result.identifiers[0] as { id: string }).id;
  }

  async repondre(m: EntityManager, id: string, reponse: Pick<FicheLiaisonRow, 'statut' | 'dateReponse' | 'motifRefus' | 'parcoursId'>): Promise<void> {
    await m.getRepository(FicheLiaison).update({ id }, reponse);
  }
}
