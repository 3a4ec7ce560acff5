export * from './api-keys.ts';
export * from './network.ts';
export * from './partners.ts';
export * from './tokens.ts';
export * from './sessions.ts';
export * from './outbox.ts';
export * from './commands.ts';
