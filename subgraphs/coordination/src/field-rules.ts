import { standardFieldRuleHooks, type FieldRules, type ProtectedFieldHooks, type RecordAccess } from '@agir/common';
import type { CoordinationContext } from './loaders';
import type { RattachementBeneficiaire } from './stores/reference-store';

const PARCOURS = { personal: true, readers: ['BINOME', 'COORDINATION'] } as const;
/** What the OFII reads of the people it oriented: the orientation and its outcome. */
const ORIENTATION = { personal: true, readers: ['BINOME', 'COORDINATION', 'OFII'] } as const;
/** Identity: also the partner who submitted the person's fiche de liaison, until it becomes a parcours. */
const IDENTITE = { personal: true, readers: ['BINOME', 'COORDINATION', 'OFII', 'PRESCRIPTEUR'] } as const;
/** A fiche de liaison: the AGIR team, the OFII that answers it, the partner who submitted it. */
const FICHE = { personal: true, readers: ['COORDINATION', 'OFII', 'PRESCRIPTEUR'] } as const;
/** Legal status details and family links: the coordination (and the OFII, which supplied them). */
const SENSIBLE = { personal: true, sensitive: true, readers: ['COORDINATION', 'OFII'] } as const;

/**
 * Who may read each field of personal data Coordination holds. Checked at start: a field of
 * `Parcours`, `Beneficiaire` or `FicheLiaison` without a rule here fails the start. The list query
 * and single reads already leave out the parcours a viewer may not see at all (acces-store.ts);
 * these rules decide field by field among what remains. A person's identity and a fiche are
 * decided on their own record (the person's parcours, or their fiche before it), never on the
 * object they were reached from: a rejoignant's `bpi` is another person, read under that
 * person's rules.
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
  // Comparing records and merging them is the coordination's work.
  'Beneficiaire.doublonsProbables': { personal: true, readers: ['COORDINATION'] },
  'Beneficiaire.fusions': { personal: true, sensitive: true, readers: ['COORDINATION'] },
  'FicheLiaison.*': FICHE,
};

export const personalTypes = ['Parcours', 'Beneficiaire', 'FicheLiaison'];

/** The access facts of a fiche de liaison not (yet) in a parcours: its département, its submitter, the OFII. */
function accesFiche(r: RattachementBeneficiaire): RecordAccess {
  return {
    parcoursId: null,
    subject: `fiche_liaison:${r.ficheId}`,
    departement: r.departementFiche as string,
    binome: { DROITS_LOGEMENT: null, EMPLOI_FORMATION: null },
    formerReferents: [],
    consent: { DROITS_LOGEMENT: false, EMPLOI_FORMATION: false },
    orientedBy: null,
    breakGlass: false,
    submittedBy: r.soumisePar,
    awaitingOrientation: true,
  };
}

/** The person an object of `typeName` is about, when it is an identity or a fiche. */
function beneficiaireOf(parent: unknown, typeName: string): string | null {
  if (typeName === 'Beneficiaire') return (parent as { id?: string }).id ?? null;
  if (typeName === 'FicheLiaison') return (parent as { beneficiaire?: { id?: string } }).beneficiaire?.id ?? null;
  return null;
}

const standard = standardFieldRuleHooks<CoordinationContext>('COORDINATION');

/**
 * The parcours's fields follow its access facts; a person's identity and a fiche de liaison follow
 * their own record's (`rattachement`), whatever the path: a mutation's payload, `bpi`, a list.
 */
export const fieldRuleHooks: ProtectedFieldHooks<CoordinationContext> = {
  ...standard,
  async accessOf(parent, ctx, typeName) {
    const beneficiaireId = beneficiaireOf(parent, typeName);
    if (typeName !== 'Beneficiaire' && typeName !== 'FicheLiaison') return standard.accessOf(parent, ctx, typeName);
    // `Parcours.beneficiaire` hands the person of that very parcours, already known.
    const own = typeName === 'Beneficiaire' ? (parent as { parcoursId?: string }).parcoursId : undefined;
    if (own) return ctx.loaders.acces.load(own);
    const r = beneficiaireId ? await ctx.loaders.rattachement.load(beneficiaireId) : null;
    if (r?.parcoursId) return ctx.loaders.acces.load(r.parcoursId);
    if (r?.ficheId) return accesFiche(r);
    return undefined;
  },
  async recordOf(parent, ctx, typeName) {
    const beneficiaireId = beneficiaireOf(parent, typeName);
    if (typeName !== 'Beneficiaire' && typeName !== 'FicheLiaison') return standard.recordOf!(parent, ctx, typeName);
    const own = typeName === 'Beneficiaire' ? (parent as { parcoursId?: string }).parcoursId : undefined;
    if (own) return { parcoursId: own };
    const r = beneficiaireId ? await ctx.loaders.rattachement.load(beneficiaireId) : null;
    return { parcoursId: r?.parcoursId ?? null, subject: r?.parcoursId ? null : r?.ficheId ? `fiche_liaison:${r.ficheId}` : null };
  },
};
