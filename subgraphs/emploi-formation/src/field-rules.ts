import { decideAccess, today, type FieldRule, type FieldRules } from '@agir/common';
import type { EmploiFormationContext } from './loaders';

/**
 * Who may read each field of personal data of Emploi & Formation: the one declarative table of
 * this subgraph, applied to the schema at start (`applyFieldRules`, see index.ts). A type listed in
 * PERSONAL_TYPES with a field and no rule, or a rule for a field that does not exist, fails the
 * start. Every object these types are made of carries its `parcoursId` (presenters.ts), so that
 * each field is decided for its own parcours.
 *
 * - DOMAIN: the binôme's referents and the coordination of the parcours's département, with the
 *   person's consent to share this domain (without it, only the domain's own referent);
 * - SENSITIVE: the binôme's Emploi & Formation referent only (and a former one for 30 days):
 *   free text the referent wrote (wishes, skills), the France Travail identifier, the change
 *   journal, and the health barrier (a row of `freins`, filtered out in the resolver with
 *   `peutLireSensible`, since a rule applies to a field and not to one row of a list);
 * - PROGRAMME_FACT: the professional facts the programme's own rules need (exit criteria), read by
 *   the coordination and the binôme without the consent to share the domain's details.
 *
 * OFII, prescripteurs, analysts and administrators read none of it (analysts get aggregates,
 * `indicateursEmploiFormation`, which keeps its own role check). Reference data (ROME jobs) is not
 * personal and has no rule.
 */
export const DOMAIN: FieldRule = { personal: true, readers: ['DOMAIN_REFERENT', 'BINOME', 'COORDINATION'] };
export const SENSITIVE: FieldRule = { personal: true, sensitive: true, readers: ['DOMAIN_REFERENT'] };
export const PROGRAMME_FACT: FieldRule = { personal: true, withoutConsent: true, readers: ['DOMAIN_REFERENT', 'BINOME', 'COORDINATION'] };

export const fieldRules: FieldRules = {
  // The parcours's fields of this domain.
  'Parcours.*': DOMAIN,
  'Parcours.situationPourSortie': PROGRAMME_FACT,
  // Read by Coordination for the stale-file alert: a date, no content.
  'Parcours.derniereActiviteEmploiFormation': PROGRAMME_FACT,
  'Parcours.journalEmploiFormation': SENSITIVE,
  // Public offers chosen by the person's target jobs: as readable as the project itself.
  'Parcours.offresEmploi': { personal: true, readers: ['DOMAIN_REFERENT', 'BINOME', 'COORDINATION'] },
  // The person's own data, handed over by the coordination that answers the request (audited).
  'Parcours.donneesPersonnellesEmploiFormation': { personal: true, withoutConsent: true, readers: ['COORDINATION', 'DOMAIN_REFERENT'] },

  // What they lead to.
  'SituationProfessionnelle.*': DOMAIN,
  'Langue.*': DOMAIN,
  'ParcoursLinguistiqueCir.*': DOMAIN,
  'CertificationLangue.*': DOMAIN,
  'DiagnosticSocioProfessionnel.*': DOMAIN,
  'DiagnosticSocioProfessionnel.souhaits': SENSITIVE,
  'DiagnosticSocioProfessionnel.competences': SENSITIVE,
  'Diplome.*': DOMAIN,
  'ExperienceProfessionnelle.*': DOMAIN,
  'FreinEmploi.*': DOMAIN,
  'ProjetProfessionnel.*': DOMAIN,
  'EtapeProjet.*': DOMAIN,
  'InscriptionFranceTravail.*': DOMAIN,
  'InscriptionFranceTravail.identifiant': SENSITIVE,
  'AccompagnementExterne.*': DOMAIN,
  'Candidature.*': DOMAIN,
  'Formation.*': DOMAIN,
  'ContratTravail.*': DOMAIN,
  // Also returned by situationProfessionnelleAu, whose own (DOMAIN) rule then decides.
  'FaitsProfessionnelsSortie.*': PROGRAMME_FACT,
  'EvenementParcours.*': DOMAIN,
  'ModificationJournal.*': SENSITIVE,
  'ChampModifie.*': SENSITIVE,
};

/** The types every field of which must have a rule (checked at start). */
export const personalTypes: string[] = [
  'Parcours',
  'SituationProfessionnelle',
  'Langue',
  'ParcoursLinguistiqueCir',
  'CertificationLangue',
  'DiagnosticSocioProfessionnel',
  'Diplome',
  'ExperienceProfessionnelle',
  'FreinEmploi',
  'ProjetProfessionnel',
  'EtapeProjet',
  'InscriptionFranceTravail',
  'AccompagnementExterne',
  'Candidature',
  'Formation',
  'ContratTravail',
  'FaitsProfessionnelsSortie',
  'EvenementParcours',
  'ModificationJournal',
  'ChampModifie',
];

/** The barrier types that are sensitive data (care orientation): rows shown only under SENSITIVE. */
export const FREINS_SENSIBLES: ReadonlySet<string> = new Set(['SANTE']);

/**
 * Whether the caller may read this parcours's sensitive rows (the SANTE barrier), by the same
 * decision as a SENSITIVE field; false when the parcours is out of the caller's reach.
 */
export async function peutLireSensible(ctx: EmploiFormationContext, parcoursId: string): Promise<boolean> {
  const access = await ctx.loaders.acces.load(parcoursId);
  return access ? decideAccess(ctx.viewer, SENSITIVE, 'EMPLOI_FORMATION', access, today()).allowed : false;
}
