#!/usr/bin/env node
// `npm start`: build what is missing or stale, then run the server in this process.
import './build.mjs';
await import('../dist/server/main.js');
