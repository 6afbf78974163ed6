// `npm run bench [scenario …]`: runs benchmark scenarios against a real server started for the
// purpose, prints a table per scenario and writes bench/results/<scenario>.json.
// Scenarios: query (HTTP throughput/latency), fire (reminder lateness), slots (auto-placement), sync (calendar feeds),
// writes, subscribers, crash, tenants (a noisy account beside a quiet one), history (a year of data against an empty database).
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const scenarios = ['query', 'fire', 'slots', 'writes', 'subscribers', 'sync', 'crash', 'tenants', 'history'] as const;
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(scenarios as readonly string[]).includes(name));
if (unknown.length) {
  console.error(`Unknown scenario ${unknown.join(', ')}; choose from ${scenarios.join(', ')}`);
  process.exit(2);
}

await mkdir(path.join(here, 'results'), { recursive: true });
for (const name of requested.length ? requested : scenarios) {
  console.log(`\n== ${name}`);
  const scenario = (await import(`./${name}.ts`)) as { default: () => Promise<Record<string, unknown>> };
  const results = await scenario.default();
  const record = {
    scenario: name,
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    results,
  };
  const file = path.join(here, 'results', `${name}.json`);
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
