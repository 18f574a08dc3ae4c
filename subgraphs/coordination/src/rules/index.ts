/**
 * The Coordination domain's rules, as pure functions: eligibility, the parcours state machine,
 * deadlines and alerts, exit criteria. No I/O and no GraphQL here, so the resolvers, the batch jobs
 * and the tests all apply the same rules.
 */
export * from './eligibility';
export * from './parcours-state';
export * from './deadlines';
export * from './exit-criteria';
export * from './format';
export * from './chronologie';
