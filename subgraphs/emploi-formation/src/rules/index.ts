/**
 * The Emploi & Formation rules, pure functions with no database and no GraphQL: the ROME
 * referential (`rome`), the professional situation and its stabilisation under the exit criterion
 * of seed 000 (`stabilisation`), and the French language levels and CIR paths (`langue`).
 */
export * from './rome';
export * from './stabilisation';
export * from './langue';
