export * from './define-plugin.ts';
export * from './errors.ts';
export * from './hooks.ts';
export * from './routes.ts';
export * from './scope.ts';
export * from './stages.ts';
export { asClass, asFunction, asValue } from 'awilix';
export { defineEntity, p } from '@mikro-orm/core';
export * from './tickets.ts';
