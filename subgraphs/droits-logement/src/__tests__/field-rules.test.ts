import { buildSubgraphSchema } from '@apollo/subgraph';
import { applyFieldRules, type FieldRules, type ProtectedFieldHooks } from '@agir/common';
import { droitsLogement } from '../index';
import { fieldRules, personalTypes } from '../field-rules';

/** The declarative table covers every field of personal data, and the start fails when it does not. */
describe('the Droits & Logement field rules', () => {
  const hooks = droitsLogement.fieldRules!.hooks as ProtectedFieldHooks<unknown>;
  const schema = () => buildSubgraphSchema([{ typeDefs: droitsLogement.typeDefs, resolvers: droitsLogement.resolvers }]);

  it('cover every field of every personal type', () => {
    expect(() => applyFieldRules(schema(), fieldRules, personalTypes, hooks)).not.toThrow();
  });

  it('fail the start when a personal field has no rule', () => {
    const { ['PropositionLogement.*']: _retiree, ...incompletes } = fieldRules;
    expect(() => applyFieldRules(schema(), incompletes as FieldRules, personalTypes, hooks)).toThrow(/PropositionLogement\.bailleur/);
  });

  it('mark the free text and the journal sensitive, and only the programme facts free of consent', () => {
    const sensibles = Object.entries(fieldRules).filter(([, r]) => r.sensitive).map(([c]) => c).sort();
    expect(sensibles).toEqual(['BlocageDemarche.commentaire', 'ChampModifie.*', 'ModificationJournal.*', 'Parcours.journalDroitsLogement', 'PropositionLogement.motifRefus']);
    const sansConsentement = Object.entries(fieldRules).filter(([, r]) => r.withoutConsent).map(([c]) => c).sort();
    expect(sansConsentement).toEqual(['FaitsLogementSortie.*', 'Parcours.derniereActiviteDroitsLogement', 'Parcours.donneesPersonnellesDroitsLogement', 'Parcours.logementPourSortie', 'Parcours.refusPropositionsLogement']);
  });
});
