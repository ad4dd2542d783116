/** @acme-ts/agents: agents built the Acme way. */
export * from './dqn/index.js';
