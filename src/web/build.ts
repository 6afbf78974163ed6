// `npm install` runs this through the `prepare` script, so a fresh clone serves the console after
// `npm install && npm start`. Without the dev dependencies (`npm ci --omit=dev`) there is no Vite:
// say so and leave the install successful, the server then explains how to build.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const configFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'vite.config.ts');
let vite: typeof import('vite');
try {
  vite = await import('vite');
} catch {
  console.warn('Tickler console: Vite is not installed (dev dependencies omitted?), so the console was not built. '
    + 'Install with dev dependencies and run `npm run build:web`.');
  process.exit(0);
}
await vite.build({ configFile, logLevel: process.env.CI ? 'warn' : 'info' });
