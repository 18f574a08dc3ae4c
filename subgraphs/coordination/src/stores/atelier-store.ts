import type { DataSource, EntityManager } from 'typeorm';
import { Atelier, AtelierParticipant, type AtelierParticipantRow, type AtelierRow } from '../entities';

/** The collective workshops and who attended them. */
export class AtelierStore {
  constructor(private readonly db: DataSource) {}

  list(departement: string, siteId?: string | null): Promise<AtelierRow[]> {
    const qb = this.db.getRepository(Atelier).createQueryBuilder('a').where('a.departement = :departement', { departement });
    if (siteId) qb.andWhere('a.site_id = :siteId', { siteId });
    return qb.orderBy('a.date_atelier', 'DESC').addOrderBy('a.id', 'ASC').getMany();
  }

  byIds(ids: readonly string[]): Promise<AtelierRow[]> {
    return this.db.getRepository(Atelier).createQueryBuilder('a').where('a.id = ANY(:ids)', { ids: [...ids] }).getMany();
  }

  participantsByAtelierIds(ids: readonly string[]): Promise<AtelierParticipantRow[]> {
    return this.db.getRepository(AtelierParticipant).createQueryBuilder('p').where('p.atelier_id = ANY(:ids)', { ids: [...ids] }).getMany();
  }

  participationsByParcoursIds(ids: readonly string[]): Promise<AtelierParticipantRow[]> {
    return this.db.getRepository(AtelierParticipant).createQueryBuilder('p').where('p.parcours_id = ANY(:ids)', { ids: [...ids] }).getMany();
  }

  async insert(m: EntityManager, row: Omit<AtelierRow, 'id'>, participantIds: readonly string[]): Promise<string> {
    const result = await m.getRepository(Atelier).insert(row);
    const id = (result.identifiers[0] as { id: string }).id;
    if (participantIds.length > 0) await m.getRepository(AtelierParticipant).insert(participantIds.map((parcoursId) => ({ atelierId: id, parcoursId })));
    return id;
  }
}
