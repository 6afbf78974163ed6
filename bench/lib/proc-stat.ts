// CPU time and memory of a process and everything it started (Linux /proc), for benches that run a
// server of several processes (API_PROCESSES, its embedded PostgreSQL) and must count all of them.
import { readdir, readFile } from 'node:fs/promises';

export type ProcSample = { pid: number; ppid: number; comm: string; cpuMs: number; rssBytes: number };

const PAGE = 4096;
const TICK_MS = 10; // USER_HZ is 100 on Linux

async function stat(pid: number): Promise<ProcSample | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    // Fields after "(comm) ": state ppid … utime(14) stime(15) … rss(24), numbered from 1 with pid.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), comm, cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS, rssBytes: Number(fields[21]) * PAGE };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** `root` and its descendants as they are now. */
export async function processTree(root: number): Promise<ProcSample[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const all = (await Promise.all(pids.map(stat))).filter((s): s is ProcSample => s !== undefined);
  const children = new Map<number, ProcSample[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: ProcSample[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      out.push(child);
      visit(child.pid);
    }
  };
  const self = all.find((s) => s.pid === root);
  if (self) out.push(self);
  visit(root);
  return out;
}

/** CPU ms used between two samples of a tree, split into node and postgres processes (new ones count from 0). */
export function cpuBetween(before: ProcSample[], after: ProcSample[]): { node: number; postgres: number } {
  const start = new Map(before.map((s) => [s.pid, s.cpuMs]));
  const used = { node: 0, postgres: 0 };
  for (const s of after) {
    const delta = s.cpuMs - (start.get(s.pid) ?? 0);
    if (s.comm === 'postgres') used.postgres += delta;
    else used.node += delta;
  }
  return used;
}

/** The postmaster listening on `port` (its command line has `-p <port>`), if any. */
export async function postmasterOn(port: number): Promise<number | undefined> {
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const args = (await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const at = args.indexOf('-p');
    if (/postgres$/.test(args[0] ?? '') && at >= 0 && args[at + 1] === String(port)) return Number(name);
  }
  return undefined;
}
