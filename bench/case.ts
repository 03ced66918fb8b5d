/**
 * One measurement in a fresh process: `node build/bench/case.js <case> <n>` prints
 * `{ ms, maxRssMb, objects }` as JSON. A fresh process per run makes peak memory comparable.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BenchCase, rawPlus, runCase, webApps, webAppsDefault } from './cases';

const CASES: Record<string, BenchCase> = { webApps, webAppsDefault, rawPlus };

function loadCase(name: string): BenchCase {
  if (CASES[name]) return CASES[name];
  // Cases contributed by other modules: `<file>#<export>` under bench/.
  const [file, exp] = name.split('#');
  const modPath = path.join(__dirname, `${file}.js`);
  if (!fs.existsSync(modPath)) throw new Error(`unknown bench case ${name}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(modPath)[exp] as BenchCase;
}

const [name, nText] = process.argv.slice(2);
const build = loadCase(name);
const n = Number(nText);
const start = process.hrtime.bigint();
const objects = runCase(build, n);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, objects }) + '\n');
