import path from 'node:path';
import { auditMigration, idempotencyMigration, auditRefusalMigration, loadTypeDefs, mergeResolvers, standardFieldRuleHooks, webhooksMigration, type DeployableSubgraph, type ResolverMap } from '@agir/common';
import { entities } from './entities';
import { DOMAINE, fieldRules, personalTypes } from './field-rules';
import { createContext, type DroitsLogementContext } from './loaders';
import { Initial1700000000000 } from './migrations/1700000000000-Initial';
import { Logement1700000001000 } from './migrations/1700000001000-Logement';
import { resolvers } from './resolvers';
import { webhookResolvers } from './webhook-resolvers';

/** Droits & Logement: rights procedures and the housing path of each parcours it follows. */
export const droitsLogement: DeployableSubgraph<DroitsLogementContext> = {
  name: 'droits-logement',
  typeDefs: loadTypeDefs(path.join(__dirname, 'droits-logement.graphql')),
  resolvers: mergeResolvers(resolvers as ResolverMap, webhookResolvers) as DeployableSubgraph['resolvers'],
  createContext,
  entities,
  migrations: [Initial1700000000000, Logement1700000001000, auditMigration(1700000005000), webhooksMigration(1700000008000), auditRefusalMigration(1700000011000), idempotencyMigration(1700000021300)],
  // Who may read each field of personal data, checked at start; every read goes to audit_log.
  fieldRules: {
    rules: fieldRules,
    personalTypes,
    hooks: standardFieldRuleHooks(DOMAINE),
  },
};

export * from './entities';
