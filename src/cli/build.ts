/**
 * Builds the installable CLI package into dist/cli-package/ and, with --pack, packs it with npm.
 *
 * Node does not strip types inside node_modules, so the published CLI must be JavaScript. The
 * TypeScript in src/ stays the one source: Vite (already here for the console) bundles the CLI and
 * every library it uses into one ES module, so the package has no dependencies and installs in a
 * second. It is a package of its own ("tickler-cli", command `tickler`) because the repository's
 * package.json is the server, whose dependencies (PostgreSQL binaries among them) a CLI user
 * should not download.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
// --out lets tests build into a folder of their own while someone else builds here.
const out = path.resolve(option('--out') ?? path.join(root, 'dist/cli-package'));
const server = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; license: string; engines: { node: string } };

await build({
  root,
  configFile: false,
  logLevel: 'warn',
  define: { __TICKLER_VERSION__: JSON.stringify(server.version) },
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: path.join(root, 'src/cli/main.ts'),
    outDir: path.join(out, 'bin'),
    emptyOutDir: true,
    target: 'node22',
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    rollupOptions: {
      // ws loads these optional native add-ons with require() inside try/catch: leave them out.
      external: ['bufferutil', 'utf-8-validate'],
      output: {
        entryFileNames: 'tickler.bundle.js',
        // Bundled CommonJS (ws) calls require(); give the ES module one.
        banner: "import { createRequire as __ticklerCreateRequire } from 'node:module'; const require = __ticklerCreateRequire(import.meta.url);",
      },
    },
  },
});

copyFileSync(path.join(root, 'bin/tickler.js'), path.join(out, 'bin/tickler.js'));
chmodSync(path.join(out, 'bin/tickler.js'), 0o755);
writeFileSync(
  path.join(out, 'package.json'),
  `${JSON.stringify(
    {
      name: 'tickler-cli',
      version: server.version,
      description: 'The tickler command: reminders and calendar events from the terminal, over the Tickler GraphQL API',
      license: server.license,
      type: 'module',
      engines: server.engines,
      bin: { tickler: 'bin/tickler.js' },
      files: ['bin/'],
    },
    null,
    2,
  )}\n`,
);
writeFileSync(path.join(out, 'README.md'), cliReadme());

if (argv.includes('--pack')) {
  const destination = path.resolve(option('--pack') ?? root);
  mkdirSync(destination, { recursive: true });
  const name = execFileSync('npm', ['pack', out, '--pack-destination', destination, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop();
  console.log(path.join(destination, name ?? ''));
}

/** The CLI section of the repository's README, so the package page says how to use it. */
function cliReadme(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('## The `tickler` CLI');
  if (start < 0) return '# tickler-cli\n\nThe `tickler` command for Tickler. Run `tickler --help`.\n';
  const end = readme.indexOf('\n## ', start + 5);
  return `# tickler-cli\n\n${readme.slice(start, end < 0 ? undefined : end).replace(/^## /, '## ')}\n`;
}
