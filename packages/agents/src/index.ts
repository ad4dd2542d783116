/** @acme-ts/agents: agents built the Acme way. */
export * from './checkpointing/checkpointer.js';
export * from './dqn/index.js';
