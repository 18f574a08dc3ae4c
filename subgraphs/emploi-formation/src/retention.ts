import { anonymiseColumns, type AnonymisationSpec } from '@agir/common';
import type { DataSource } from 'typeorm';

/**
 * What Emploi & Formation removes when a parcours passes its retention period: the free text
 * written about the person and their France Travail identifier. Levels, categories, contract and
 * training types and dates stay, for the statistics.
 */
export const ANONYMISATION: AnonymisationSpec = {
  diagnostic_socio_professionnel: { souhaits: 'NULL', competences: "'{}'" },
  inscription_france_travail: { identifiant: 'NULL' },
};

export function anonymiserEmploiFormation(db: DataSource, parcoursIds: readonly string[]): Promise<number> {
  return anonymiseColumns(db, parcoursIds, ANONYMISATION);
}
