/**
 * Who may read each field of personal data Droits & Logement holds (issue #6): one declarative
 * table, checked when the subgraph starts (`applyFieldRules` refuses to start when a field of a
 * personal type has no rule, or a rule names a field that no longer exists).
 *
 * - Ordinary fields: the D&L referent of the binôme, the other referent of the binôme and the
 *   coordination of the parcours's département, the last two only with the person's consent to
 *   share this domain.
 * - Sensitive fields (free text typed about the person, and the journal of changes, which holds
 *   every value): the D&L referent of the binôme only (and, for 30 days, the one it replaced).
 * - Programme facts Coordination's own rules need (exit criteria, the two-refusals exclusion
 *   alert): readable without the consent to share the domain's details.
 *
 * Sensitive procedures (legal status, family, care) are rows, not fields: `demarchesDroits`, the
 * events and the journal leave them out for a viewer who may not read sensitive data
 * (`peutLireSensible`).
 */
import { decideAccess, type FieldRule, type FieldRules, type ParcoursAccess, type Viewer, type IsoDate } from '@agir/common';

export const DOMAINE = 'DROITS_LOGEMENT' as const;

const ORDINAIRE: FieldRule = { personal: true, readers: ['DOMAIN_REFERENT', 'BINOME', 'COORDINATION'] };
export const SENSIBLE: FieldRule = { personal: true, sensitive: true, readers: ['DOMAIN_REFERENT'] };
const FAIT_DU_PROGRAMME: FieldRule = { personal: true, withoutConsent: true, readers: ['DOMAIN_REFERENT', 'BINOME', 'COORDINATION'] };

export const fieldRules: FieldRules = {
  'Parcours.*': ORDINAIRE,
  // Read by Coordination for the exit criteria (`criteresSortie`, `sortir`) and the exclusion alert.
  'Parcours.logementPourSortie': FAIT_DU_PROGRAMME,
  'Parcours.refusPropositionsLogement': FAIT_DU_PROGRAMME,
  // Read by Coordination for the stale-file alert: a date, no content.
  'Parcours.derniereActiviteDroitsLogement': FAIT_DU_PROGRAMME,
  // Every value ever written, free text included.
  'Parcours.journalDroitsLogement': SENSIBLE,
  // The person's own data, handed over by the coordination that answers the request (audited).
  'Parcours.donneesPersonnellesDroitsLogement': { personal: true, withoutConsent: true, readers: ['COORDINATION', 'DOMAIN_REFERENT'] },

  'SituationLogement.*': ORDINAIRE,
  'DemarcheDroit.*': ORDINAIRE,
  'BlocageDemarche.*': ORDINAIRE,
  'BlocageDemarche.commentaire': SENSIBLE,
  'FaitsLogementSortie.*': FAIT_DU_PROGRAMME,
  'EvenementParcours.*': ORDINAIRE,
  'DemandeLogementSocial.*': ORDINAIRE,
  'PropositionLogement.*': ORDINAIRE,
  'PropositionLogement.motifRefus': SENSIBLE,
  'InstallationLogement.*': ORDINAIRE,
  'MesureAccompagnementLogement.*': ORDINAIRE,
  'IncidentLogement.*': ORDINAIRE,
  'ModificationJournal.*': SENSIBLE,
  'ChampModifie.*': SENSIBLE,
};

/**
 * The types every field of which needs a rule. `Commune` is reference data (the COG), reached only
 * through a protected field; `CompteRefusLogement` and the indicators are counts, answered by root
 * queries that check the caller's role and département themselves.
 */
export const personalTypes = [
  'Parcours',
  'SituationLogement',
  'DemarcheDroit',
  'BlocageDemarche',
  'FaitsLogementSortie',
  'EvenementParcours',
  'DemandeLogementSocial',
  'PropositionLogement',
  'InstallationLogement',
  'MesureAccompagnementLogement',
  'IncidentLogement',
  'ModificationJournal',
  'ChampModifie',
];

/** The procedures about legal status, family and care: sensitive rows. */
export const DEMARCHES_SENSIBLES: ReadonlySet<string> = new Set(['TITRE_SEJOUR', 'ETAT_CIVIL_OFPRA', 'REUNIFICATION_FAMILIALE', 'ACCOMPAGNEMENT_SOIN']);

/** The free-text columns of this domain's tables (left out of the journal of a non-sensitive reader). */
export const COLONNES_TEXTE_LIBRE: ReadonlySet<string> = new Set(['commentaire_blocage', 'motif_refus']);

/** Whether the viewer may read this parcours's sensitive data (sensitive procedures, free text). */
export function peutLireSensible(viewer: Viewer, access: ParcoursAccess | null | undefined, today: IsoDate): boolean {
  if (!access) return false;
  return decideAccess(viewer, SENSIBLE, DOMAINE, access, today).allowed;
}
