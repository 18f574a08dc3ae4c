import { badUserInput, isUuid, parseId } from '@agir/common';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { Parcours, type ParcoursRow, type StatutParcours } from '../entities';
import { conditionNom, texteDeRecherche } from '../personnes/personnes-store';

export interface ParcoursFilter {
  departement?: string | null;
  /** The caller's scope: only parcours of these départements. */
  /** The viewer's visibility condition (see acces-store.ts `visibilite`). */
  visibilite?: { sql: string; params: Record<string, unknown> };
  statut?: StatutParcours[] | null;
  siteId?: string | null;
  referentId?: string | null;
  mesParcours?: boolean | null;
  binomeIncomplet?: boolean | null;
  texte?: string | null;
}

/** The statuts from the commission to the 6-month follow-up: the binôme should be complete. */
const APRES_COMMISSION: StatutParcours[] = ['COMMISSION_REALISEE', 'CONTRACTUALISE', 'SORTI', 'SUIVI_3_MOIS'];

const DEPARTEMENT = /^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$/;

/** Validates a département code argument ("44", "2A", "974"). */
export function parseDepartement(value: string, argument: string): string {
  if (!DEPARTEMENT.test(value)) {
    throw badUserInput(`« ${argument} » doit être un code de département (ex. "44", "85", "2A"), reçu « ${value} ».`, argument);
  }
  return value;
}

/** The parcours table: lookups by id (for loaders) and the filtered, keyset-paginated list. */
export class ParcoursStore {
  constructor(private readonly db: DataSource) {}

  private get repo() {
    return this.db.getRepository(Parcours);
  }

  findByIds(ids: readonly string[]): Promise<ParcoursRow[]> {
    return this.repo.createQueryBuilder('p').where('p.id = ANY(:ids)', { ids: [...ids] }).getMany();
  }

  /** Each beneficiary's parcours, most recent orientation first. */
  findByBeneficiaireIds(ids: readonly string[]): Promise<ParcoursRow[]> {
    return this.repo
      .createQueryBuilder('p')
      .where('p.beneficiaire_id = ANY(:ids)', { ids: [...ids] })
      .orderBy('p.date_orientation', 'DESC')
      .addOrderBy('p.cree_le', 'DESC')
      .getMany();
  }

  /** Reads a parcours and locks it until the caller's transaction ends, so that two moves cannot interleave. */
  lockById(m: EntityManager, id: string): Promise<ParcoursRow | null> {
    return m.getRepository(Parcours).createQueryBuilder('p').setLock('pessimistic_write').where('p.id = :id', { id }).getOne();
  }

  async insert(m: EntityManager, row: Omit<ParcoursRow, 'id' | 'creeLe' | 'modifieLe'>): Promise<string> {
    const result = await m.getRepository(Parcours).insert(row);
    return (result.identifiers[0] as { id: string }).id;
  }

  async update(m: EntityManager, id: string, changes: Partial<Omit<ParcoursRow, 'id' | 'creeLe' | 'modifieLe'>>): Promise<void> {
    await m.getRepository(Parcours).update({ id }, changes);
  }

  /**
   * The parcours of a département (and site) whose statut can still raise an alert: from the
   * orientation to the 6-month follow-up.
   */
  /** The parcours of a département whose deadlines run, among those the viewer may see (`visibilite`). */
  pourAlertes(departement: string, siteId: string | null, visibilite: { sql: string; params: Record<string, unknown> }): Promise<ParcoursRow[]> {
    const qb = this.repo
      .createQueryBuilder('p')
      .where('p.departement = :departement', { departement })
      .andWhere(visibilite.sql, visibilite.params)
      .andWhere('p.statut = ANY(:statuts)', { statuts: ['ORIENTE', 'CONVOQUE', 'DIAGNOSTIC_REALISE', 'COMMISSION_REALISEE', 'CONTRACTUALISE', 'SORTI', 'SUIVI_3_MOIS'] });
    if (siteId) qb.andWhere('p.site_id = :siteId', { siteId });
    return qb.orderBy('p.date_orientation', 'ASC').addOrderBy('p.id', 'ASC').getMany();
  }

  /**
   * Validates a filter (every problem is the caller's to fix, so it is a BAD_USER_INPUT naming
   * the field) and returns it normalised.
   */
  async validateFilter(filter: ParcoursFilter | null | undefined): Promise<ParcoursFilter> {
    if (!filter) return {};
    const normalised: ParcoursFilter = { ...filter };
    if (filter.departement != null) normalised.departement = parseDepartement(filter.departement, 'filtre.departement');
    if (filter.siteId != null) {
      normalised.siteId = parseId(filter.siteId, 'filtre.siteId');
      const [site] = await this.db.query('SELECT 1 FROM site WHERE id = $1', [normalised.siteId]);
      if (!site) throw badUserInput(`Aucun site ne porte l'identifiant « ${filter.siteId} » : prenez-en un dans la requête sites.`, 'filtre.siteId');
    }
    if (filter.referentId != null) normalised.referentId = parseId(filter.referentId, 'filtre.referentId');
    if (filter.texte != null) normalised.texte = texteDeRecherche(filter.texte, 'filtre.texte');
    if (filter.statut && filter.statut.length === 0) {
      throw badUserInput('« filtre.statut » ne peut pas être une liste vide : omettez-le pour tous les statuts.', 'filtre.statut');
    }
    return normalised;
  }

  private filtered(filter: ParcoursFilter): SelectQueryBuilder<ParcoursRow> {
    const qb = this.repo.createQueryBuilder('p');
    if (filter.departement) qb.andWhere('p.departement = :departement', { departement: filter.departement });
    if (filter.visibilite) qb.andWhere(filter.visibilite.sql, filter.visibilite.params);
    if (filter.siteId) qb.andWhere('p.site_id = :siteId', { siteId: filter.siteId });
    if (filter.statut) qb.andWhere('p.statut = ANY(:statut)', { statut: filter.statut });
    if (filter.referentId) qb.andWhere('(p.referent_droits_logement_id = :referentId OR p.referent_emploi_formation_id = :referentId)', { referentId: filter.referentId });
    if (filter.binomeIncomplet) {
      qb.andWhere('p.statut = ANY(:apresCommission) AND (p.referent_droits_logement_id IS NULL OR p.referent_emploi_formation_id IS NULL)', { apresCommission: APRES_COMMISSION });
    }
    if (filter.texte) {
      // The search's name condition, on the person of the parcours.
      const nom = conditionNom('agir_forme_recherche(CAST(:texte AS text))', 'agir_squelettes(CAST(:texte AS text))');
      qb.andWhere(`EXISTS (SELECT 1 FROM beneficiaire b WHERE b.id = p.beneficiaire_id AND ${nom})`, { texte: filter.texte });
    }
    return qb;
  }

  count(filter: ParcoursFilter): Promise<number> {
    return this.filtered(filter).getCount();
  }

  /** Every row the filter lets through, most recent orientation first (for a list the rules judge). */
  tous(filter: ParcoursFilter): Promise<ParcoursRow[]> {
    return this.filtered(filter).orderBy('p.date_orientation', 'DESC').addOrderBy('p.id', 'DESC').getMany();
  }

  /** One page, most recent orientation first; fetches `limit + 1` rows to tell if more follow. */
  page(filter: ParcoursFilter, limit: number, after: unknown[] | null): Promise<ParcoursRow[]> {
    const qb = this.filtered(filter);
    if (after) {
      const [date, id] = after;
      if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || typeof id !== 'string' || !isUuid(id)) {
        throw badUserInput('Le curseur « after » ne vient pas de parcoursListe : reprenez pageInfo.endCursor de la page précédente.', 'after');
      }
      qb.andWhere('(p.date_orientation, p.id) < (CAST(:date AS date), CAST(:id AS uuid))', { date, id });
    }
    return qb.orderBy('p.date_orientation', 'DESC').addOrderBy('p.id', 'DESC').limit(limit + 1).getMany();
  }
}

/** The sort key a cursor carries for a parcours row. */
export const parcoursCursorKey = (row: ParcoursRow): unknown[] => [row.dateOrientation, row.id];
