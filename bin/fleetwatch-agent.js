#!/usr/bin/env node
// The agent, as bundled by `npm run build` (npm install runs it through `prepare`).
import '../dist/agent/fleetwatch-agent.mjs';
