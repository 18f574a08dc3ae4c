/** data·inclusion connector: services and structures for exiled people, by département. */
export * from './client';
