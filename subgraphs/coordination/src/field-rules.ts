import { standardFieldRuleHooks, type FieldRules, type ProtectedFieldHooks } from '@agir/common';
import type { CoordinationContext } from './loaders';

const PARCOURS = { personal: true, readers: ['BINOME', 'COORDINATION'] } as const;
/** What the OFII reads of the people it oriented: the orientation and its outcome. */
const ORIENTATION = { personal: true, readers: ['BINOME', 'COORDINATION', 'OFII'] } as const;
const IDENTITE = { personal: true, readers: ['BINOME', 'COORDINATION', 'OFII'] } as const;
/** Legal status details and family links: the coordination (and the OFII, which supplied them). */
const SENSIBLE = { personal: true, sensitive: true, readers: ['COORDINATION', 'OFII'] } as const;

/**
 * Who may read each field of personal data Coordination holds. Checked at start: a field of
 * `Parcours` or `Beneficiaire` without a rule here fails the start. The list query and single
 * reads already leave out the parcours a viewer may not see at all (acces-store.ts); these rules
 * decide field by field among what remains.
 */
export const fieldRules: FieldRules = {
  'Parcours.*': PARCOURS,
  'Parcours.statut': ORIENTATION,
  'Parcours.departement': ORIENTATION,
  'Parcours.site': ORIENTATION,
  'Parcours.beneficiaire': ORIENTATION,
  'Parcours.canalOrientation': ORIENTATION,
  'Parcours.dateOrientation': ORIENTATION,
  'Parcours.dateSignatureCir': ORIENTATION,
  'Parcours.convocation': ORIENTATION,
  'Parcours.ficheLiaison': ORIENTATION,
  'Parcours.referenceInstructionPrefet': ORIENTATION,
  'Parcours.numeroDossierOfii': ORIENTATION,
  // The validation (eligibility) and the outcome of the orientation (the moves made).
  'Parcours.eligibilite': ORIENTATION,
  'Parcours.historique': ORIENTATION,
  'Parcours.creeLe': ORIENTATION,
  'Parcours.modifieLe': ORIENTATION,
  // The journal shows past values of every field, sensitive ones included.
  'Parcours.journalCoordination': { personal: true, sensitive: true, readers: ['COORDINATION'] },
  // The right of access is served by the coordination, at the person's request.
  'Parcours.donneesPersonnellesCoordination': { personal: true, sensitive: true, readers: ['COORDINATION'] },
  'Beneficiaire.*': IDENTITE,
  'Beneficiaire.protection': SENSIBLE,
  'Beneficiaire.dateObtentionProtection': SENSIBLE,
  'Beneficiaire.lienRejoignant': SENSIBLE,
  'Beneficiaire.bpi': SENSIBLE,
};

export const personalTypes = ['Parcours', 'Beneficiaire'];

export const fieldRuleHooks: ProtectedFieldHooks<CoordinationContext> = standardFieldRuleHooks('COORDINATION');
