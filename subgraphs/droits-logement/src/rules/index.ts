/**
 * The rules of the Droits & Logement domain: housing (exit value of a situation, situation in
 * force, coherent history, offers and the exclusion alert) and rights procedures (status machine,
 * blockages, time to open a right). Pure functions, no database: the resolvers and stores apply them.
 */
export * from './logement';
export * from './demarches';
export * from './evenements';
