/** The wire contract shared by server, agent and dashboard. Imports nothing else of ours. */
export * from './limits.js';
export * from './report.js';
export * from './normalize.js';
export * from './responses.js';
/** Bumped only for incompatible changes; additions are optional fields. */
export const PROTOCOL_VERSION = 1;
