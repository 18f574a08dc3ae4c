import type { DataSource, EntityManager } from 'typeorm';
import { Transition, type StatutParcours, type TransitionRow } from '../entities';

/** What an author's token says about them, kept with each transition. */
export interface Auteur {
  id: string;
  nom: string | null;
  structureId: string;
}

export interface NouvelleTransition {
  parcoursId: string;
  action: string;
  statutAvant: StatutParcours | null;
  statutApres: StatutParcours;
  dateEffet: string;
  motif?: string | null;
  reference?: string | null;
}

/**
 * The history of the parcours's transitions. Append-only: this store only inserts and reads, and
 * a trigger in the database refuses any UPDATE or DELETE of a row.
 */
export class HistoriqueStore {
  constructor(private readonly db: DataSource) {}

  /** Every transition of the given parcours, in the order they were recorded. */
  byParcoursIds(ids: readonly string[]): Promise<TransitionRow[]> {
    return this.db
      .getRepository(Transition)
      .createQueryBuilder('t')
      .where('t.parcours_id = ANY(:ids)', { ids: [...ids] })
      .orderBy('t.sequence', 'ASC')
      .getMany();
  }

  /** The date of the latest transition of a parcours, inside the caller's transaction. */
  async derniereDate(m: EntityManager, parcoursId: string): Promise<string | null> {
    const [row] = (await m.query('SELECT max(date_effet)::text AS date FROM transition_parcours WHERE parcours_id = $1', [parcoursId])) as { date: string | null }[];
    return row?.date ?? null;
  }

  /** Appends one transition, inside the caller's transaction (the one that changes the statut). */
  async ajouter(m: EntityManager, t: NouvelleTransition, auteur: Auteur): Promise<void> {
    await m.getRepository(Transition).insert({
      parcoursId: t.parcoursId,
      action: t.action,
      statutAvant: t.statutAvant,
      statutApres: t.statutApres,
      dateEffet: t.dateEffet,
      motif: t.motif ?? null,
      reference: t.reference ?? null,
      auteurId: auteur.id,
      auteurNom: auteur.nom,
      auteurStructure: auteur.structureId,
    });
  }
}
