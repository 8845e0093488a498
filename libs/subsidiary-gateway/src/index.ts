export * from './subsidiary-app';
