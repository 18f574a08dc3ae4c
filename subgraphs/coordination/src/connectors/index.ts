/**
 * Connectors of the Coordination subgraph: the local offer catalogue read from data·inclusion
 * and Réfugiés.info, its store and its synchronisation.
 */
export * from './data-inclusion';
export * from './refugies-info';
export * from './offre-locale-store';
export * from './offre-locale-sync';
export * from './config';
