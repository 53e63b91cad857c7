#!/usr/bin/env -S node --max-semi-space-size=1 --lite-mode --no-expose-wasm
// The same memory flags as deploy/fleetwatch-agent.service (env -S: coreutils 8.30+, on every distribution Node 20 runs on).
// The agent, as bundled by `npm run build` (npm install runs it through `prepare`).
import '../dist/agent/fleetwatch-agent.mjs';
