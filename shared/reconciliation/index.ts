export * from './keys';
export * from './ledger-states';
export * from './records';
export * from './store';
export * from './table-schema';
