import path from 'node:path';
import { auditJournalMigration, auditMigration, auditRefusalMigration, idempotencyMigration, journalAccesDomaine, loadTypeDefs, mergeResolvers, standardFieldRuleHooks, webhooksMigration, type DeployableSubgraph, type JournalAccesRepresentation, type ResolverMap } from '@agir/common';
import { entities } from './entities';
import { fieldRules, personalTypes } from './field-rules';
import { createContext, type EmploiFormationContext } from './loaders';
import { Initial1700000000000 } from './migrations/1700000000000-Initial';
import { ParcoursProfessionnel1700000001000 } from './migrations/1700000001000-Parcours-professionnel';
import { resolvers } from './resolvers';
import { webhookResolvers } from './webhook-resolvers';

/**
 * This domain's part of the DPO's journal of a parcours (Coordination resolves the parcours and
 * its département; `journalAccesDomaine` checks the caller and audits the reading).
 */
const journalAcces: ResolverMap = {
  JournalAcces: { emploiFormation: (j: JournalAccesRepresentation, _args: unknown, ctx: EmploiFormationContext) => journalAccesDomaine(ctx, j, 'JournalAcces.emploiFormation') },
};

/**
 * Emploi & Formation: the socio-professional diagnosis, French language, professional project,
 * public employment service, trainings and contracts of each parcours it follows, the professional
 * situation computed from them, and the domain's indicators.
 */
export const emploiFormation: DeployableSubgraph<EmploiFormationContext> = {
  name: 'emploi-formation',
  typeDefs: loadTypeDefs(path.join(__dirname, 'emploi-formation.graphql')),
  resolvers: mergeResolvers(resolvers as ResolverMap, journalAcces, webhookResolvers) as DeployableSubgraph['resolvers'],
  createContext,
  entities,
  migrations: [Initial1700000000000, ParcoursProfessionnel1700000001000, auditMigration(1700000005000), webhooksMigration(1700000008000), auditRefusalMigration(1700000011000), idempotencyMigration(1700000021300), auditJournalMigration(1700000031000)],
  // Each field of personal data answers by its rule (field-rules.ts), decided for its parcours
  // with the access facts Coordination gives (one gateway call per request), and every read of
  // personal data goes to this database's audit trail (one INSERT per request).
  fieldRules: {
    rules: fieldRules,
    personalTypes,
    hooks: standardFieldRuleHooks('EMPLOI_FORMATION'),
  },
};

export * from './entities';
