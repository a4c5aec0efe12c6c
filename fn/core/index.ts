// Public surface of the pure core, used by every adapter.
export * from './api';
export * from './cidr';
export * from './findings';
export * from './input';
export * from './inputs';
export * from './keep';
export * from './manifests';
export * from './nodes';
export * from './ownership';
export * from './priorities';
export * from './prototype-keys';
export * from './render';
export * from './rules';
export * from './schema';
export * from './selector';
export * from './targets';
