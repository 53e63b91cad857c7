#!/usr/bin/env node
// The server. Build first (`npm run build`, which `npm start` does for you).
import '../dist/server/main.js';
