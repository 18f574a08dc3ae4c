/**
 * France Travail connector: OAuth2 client credentials and the "Offres d'emploi v2" search, with
 * a degraded answer (`suggererOffres`) for `Parcours.offresEmploi`.
 */
export * from './client';
export * from './config';
export * from './schemas';
