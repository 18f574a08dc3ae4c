/** Réfugiés.info connector: the active dispositifs, filtered by département. */
export * from './client';
