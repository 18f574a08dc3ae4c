import path from 'node:path';
import { auditJournalMigration, auditMigration, auditRefusalMigration, idempotencyMigration, journalAccesDomaine, loadTypeDefs, mergeResolvers, standardFieldRuleHooks, webhooksMigration, type DeployableSubgraph, type JournalAccesRepresentation, type ResolverMap } from '@agir/common';
import { entities } from './entities';
import { DOMAINE, fieldRules, personalTypes } from './field-rules';
import { createContext, type DroitsLogementContext } from './loaders';
import { Initial1700000000000 } from './migrations/1700000000000-Initial';
import { Logement1700000001000 } from './migrations/1700000001000-Logement';
import { resolvers } from './resolvers';
import { webhookResolvers } from './webhook-resolvers';

/**
 * This domain's part of the DPO's journal of a parcours (Coordination resolves the parcours and
 * its département; `journalAccesDomaine` checks the caller and audits the reading).
 */
const journalAcces: ResolverMap = {
  JournalAcces: { droitsLogement: (j: JournalAccesRepresentation, _args: unknown, ctx: DroitsLogementContext) => journalAccesDomaine(ctx, j, 'JournalAcces.droitsLogement') },
};

/** Droits & Logement: rights procedures and the housing path of each parcours it follows. */
export const droitsLogement: DeployableSubgraph<DroitsLogementContext> = {
  name: 'droits-logement',
  typeDefs: loadTypeDefs(path.join(__dirname, 'droits-logement.graphql')),
  resolvers: mergeResolvers(resolvers as ResolverMap, journalAcces, webhookResolvers) as DeployableSubgraph['resolvers'],
  createContext,
  entities,
  migrations: [Initial1700000000000, Logement1700000001000, auditMigration(1700000005000), webhooksMigration(1700000008000), auditRefusalMigration(1700000011000), idempotencyMigration(1700000021300), auditJournalMigration(1700000031000)],
  // Who may read each field of personal data, checked at start; every read goes to audit_log.
  fieldRules: {
    rules: fieldRules,
    personalTypes,
    hooks: standardFieldRuleHooks(DOMAINE),
  },
};

export * from './entities';
