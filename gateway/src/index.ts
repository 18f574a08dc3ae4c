export * from './config';
export * from './gateway';
export * from './subgraph-data-source';
