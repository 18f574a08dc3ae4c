export * from './cost';
export * from './limits';
