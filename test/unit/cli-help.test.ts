import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.ts';

test('every tickler command has --help with examples', () => {
  let text = '';
  const sink = { write: (t: string) => (text += t) };
  const program = buildProgram({ env: {}, stdout: sink, stderr: sink, now: () => new Date(0), version: 'test' });
  const all = (command: Command): Command[] => [command, ...command.commands.flatMap(all)];
  const commands = all(program);
  assert.ok(commands.length >= 25, `${commands.length} commands`);
  for (const command of commands) {
    text = '';
    command.outputHelp();
    assert.match(text, /Examples?:\n\s+\$ tickler /, `tickler ${command.name()} --help has no example`);
  }
});
