import path from 'node:path';
import { auditJournalMigration, auditMigration, auditRefusalMigration, idempotencyMigration, loadTypeDefs, mergeResolvers, webhooksMigration, type DeployableSubgraph, type ResolverMap } from '@agir/common';
import { accesResolvers } from './acces-resolvers';
import { offreLocaleResolvers } from './offre-locale-resolvers';
import { analyseResolvers } from './analyse';
import { entities } from './entities';
import { importOfiiResolvers } from './import-ofii';
import { indicateursResolvers } from './indicateurs-resolvers';
import { journalResolvers } from './journal-resolvers';
import { fieldRuleHooks, fieldRules, personalTypes } from './field-rules';
import { createContext, type CoordinationContext } from './loaders';
import { Initial1700000000000 } from './migrations/1700000000000-Initial';
import { ParcoursEtapes1700000001000 } from './migrations/1700000001000-Parcours-etapes';
import { Acces1700000004000 } from './migrations/1700000004000-Acces';
import { DossierOfii1700000006000 } from './migrations/1700000006000-Dossier-ofii';
import { Anonymisation1700000007000 } from './migrations/1700000007000-Anonymisation';
import { CatalogueOffreLocale1700000009000 } from './migrations/1700000009000-CatalogueOffreLocale';
import { PartenariatOffreLocale1700000010000 } from './migrations/1700000010000-PartenariatOffreLocale';
import { IndexRejoignants1700000012000 } from './migrations/1700000012000-Index-rejoignants';
import { RevueAccesExceptionnel1700000030000 } from './migrations/1700000030000-Revue-acces-exceptionnel';
import { RecherchePersonnes1700000050000 } from './migrations/1700000050000-Recherche-personnes';
import { personnesResolvers } from './personnes/resolvers';
import { referentsResolvers } from './referents/resolvers';
import { profilResolvers } from './profil-resolvers';
import { resolvers } from './resolvers';
import { webhookResolvers } from './webhook-resolvers';

/**
 * Coordination: the parcours itself (orientation, steps, state machine and its history, deadlines,
 * exit criteria, timeline), identities, structures, sites, referents, fiches de liaison, workshops,
 * and what decides access to a parcours (consent, binôme history, exceptional grants).
 */
export const coordination: DeployableSubgraph<CoordinationContext> = {
  name: 'coordination',
  typeDefs: loadTypeDefs(path.join(__dirname, 'coordination.graphql')),
  resolvers: mergeResolvers(resolvers as ResolverMap, accesResolvers as ResolverMap, offreLocaleResolvers as ResolverMap, importOfiiResolvers as ResolverMap, indicateursResolvers as ResolverMap, profilResolvers as ResolverMap, analyseResolvers as ResolverMap, journalResolvers as ResolverMap, personnesResolvers as ResolverMap, referentsResolvers as ResolverMap, webhookResolvers) as DeployableSubgraph['resolvers'],
  createContext,
  fieldRules: { rules: fieldRules, personalTypes, hooks: fieldRuleHooks },
  entities,
  migrations: [Initial1700000000000, ParcoursEtapes1700000001000, Acces1700000004000, auditMigration(1700000005000), DossierOfii1700000006000, Anonymisation1700000007000, webhooksMigration(1700000008000), CatalogueOffreLocale1700000009000, PartenariatOffreLocale1700000010000, auditRefusalMigration(1700000011000), IndexRejoignants1700000012000, idempotencyMigration(1700000021300), RevueAccesExceptionnel1700000030000, auditJournalMigration(1700000031000), RecherchePersonnes1700000050000],
};

export * from './entities';
