#!/usr/bin/env node
// Wall time of commands a person types, over a small store: --help, runs list, runs show,
// tests list; each round runs every command once, in alternating order. With
// LOADCTL_BENCH_BASE=/path/to/other/bin/loadctl the same commands of that build run in the
// same rounds, for a before/after ratio. Usage: node bench/commands.mjs [rounds=5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { alternate, header, median, spread } from './_lib.mjs';
import { seedStore } from './_seed.mjs';

const [rounds = 5] = process.argv.slice(2).map(Number);
const bins = { this: fileURLToPath(new URL('../bin/loadctl', import.meta.url)), ...(process.env.LOADCTL_BENCH_BASE ? { base: process.env.LOADCTL_BENCH_BASE } : {}) };
// Each build reads a store its own code wrote: an older build refuses a newer schema.
const dataDirs = {};
let testId;
let runIds;
for (const [binName, bin] of Object.entries(bins)) {
  dataDirs[binName] = mkdtempSync(join(tmpdir(), `loadctl-bench-commands-${binName}-`));
  const seeded = await seedStore(new URL('../dist/', pathToFileURL(bin)), join(dataDirs[binName], 'loadctl.db'), { runs: 5 });
  await seeded.store.close();
  ({ testId, runIds } = seeded);
}

const commandsFor = (dataDir) => ({
  '--help': ['--help'],
  'runs list': ['runs', 'list', '--data-dir', dataDir],
  'runs show': ['runs', 'show', runIds[0], '--data-dir', dataDir],
  'tests list': ['tests', 'list', '--data-dir', dataDir],
});
const commands = commandsFor(dataDirs.this);

function wall(bin, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, CI: 'true', NO_COLOR: '1' }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

header(`command wall times, ${rounds} alternating rounds (store: 1 test, 5 runs) — test ${testId}`);
const variants = {};
for (const [binName, bin] of Object.entries(bins)) for (const [name, args] of Object.entries(commandsFor(dataDirs[binName]))) variants[`${binName}: ${name}`] = () => wall(bin, args);
const results = await alternate(rounds, variants);
for (const [name, values] of Object.entries(results)) console.log(`${name.padEnd(20)} ${spread(values)} s${name.endsWith('runs list') ? '   goal ≤ 0.25 s' : ''}`);
if (bins.base) {
  for (const name of Object.keys(commands)) {
    const ratios = results[`this: ${name}`].map((value, index) => value / results[`base: ${name}`][index]);
    console.log(`this / base ${name.padEnd(11)} ×${spread(ratios)}`);
  }
}
console.log(`runs list − --help (what the command adds to Node's start): ${(median(results['this: runs list']) - median(results['this: --help'])).toFixed(2)} s`);
for (const dir of Object.values(dataDirs)) rmSync(dir, { recursive: true, force: true });
