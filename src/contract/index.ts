/** The wire contract shared by server, agent and dashboard. Imports nothing else of ours. */
export * from './limits.js';
export * from './report.js';
export * from './normalized.js';
export * from './normalize.js';
export * from './container-time.js';
export * from './agent-time.js';
export * from './ignored-fields.js';
export * from './protocol.js';
export * from './responses.js';
export * from './history.js';
export * from './events.js';
export * from './live-frame.js';
