/**
 * `npm run codegen:check`: regenerates the resolver types in memory and fails when a committed
 * file differs (run `npm run codegen` and commit the result).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import config from '../codegen';
import { ROOT } from './supergraph';

async function main(): Promise<void> {
  const files = (await generate({ ...config, cwd: ROOT }, false)) as { filename: string; content: string }[];
  const stale = files.filter((f) => {
    try {
      return readFileSync(path.resolve(ROOT, f.filename), 'utf8') !== f.content;
    } catch {
      return true;
    }
  });
  for (const f of stale) process.stderr.write(`stale: ${path.relative(ROOT, path.resolve(ROOT, f.filename))}\n`);
  if (stale.length > 0) {
    process.stderr.write('Generated resolver types are stale: run `npm run codegen` and commit the result.\n');
    process.exit(1);
  }
  process.stdout.write(`${files.length} generated files up to date.\n`);
}

void main();
