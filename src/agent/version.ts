/** The agent's version; the bundle build replaces __AGENT_VERSION__ with package.json's version. */
declare const __AGENT_VERSION__: string | undefined;
export const AGENT_VERSION: string = typeof __AGENT_VERSION__ === 'string' ? __AGENT_VERSION__ : '0.0.0-dev';
