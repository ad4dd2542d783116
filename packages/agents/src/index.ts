/** @acme-ts/agents: agents built the Acme way. */
export * from './builders.js';
export * from './checkpointing/checkpointer.js';
export * from './dqn/index.js';
