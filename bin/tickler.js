#!/usr/bin/env node
// The `tickler` command. In a checkout it runs the TypeScript sources (Node strips the types);
// in the installed package, where src/ is absent and Node does not strip types inside
// node_modules, it runs the JavaScript bundle built from them (npm run cli:pack).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const { main } = await import(existsSync(source) ? source.href : './tickler.bundle.js');
await main();
