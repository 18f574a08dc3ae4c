import { anonymiseColumns, type AnonymisationSpec } from '@agir/common';
import type { DataSource } from 'typeorm';

/**
 * What Droits & Logement removes when a parcours passes its retention period: the free text
 * written about the person and the identifier of their social-housing application. Housing
 * categories, dates, communes and statuses stay, for the statistics.
 */
export const ANONYMISATION: AnonymisationSpec = {
  demarche_droit: { commentaire_blocage: 'NULL' },
  demande_logement_social: { numero_unique: "'ANONYMISE'" },
  proposition_logement: { motif_refus: "CASE WHEN motif_refus IS NULL THEN NULL ELSE 'ANONYMISÉ' END", bailleur: "'ANONYMISÉ'" },
};

export function anonymiserDroitsLogement(db: DataSource, parcoursIds: readonly string[]): Promise<number> {
  return anonymiseColumns(db, parcoursIds, ANONYMISATION);
}
