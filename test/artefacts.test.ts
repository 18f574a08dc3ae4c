import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { composeSupergraph, ROOT, SUPERGRAPH_PATH } from '../scripts/supergraph';

describe('checked-in artefacts', () => {
  it('composes the three subgraphs without errors or unaccepted hints', () => {
    const outcome = composeSupergraph();
    expect(outcome.errors).toEqual([]);
    expect(outcome.unacceptedHints).toEqual([]);
  });

  it('has an up-to-date schema/supergraph.graphql (run `npm run compose` when this fails)', () => {
    const outcome = composeSupergraph();
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(outcome.supergraphSdl);
  });

  it('has up-to-date generated resolver types (run `npm run codegen` when this fails)', () => {
    // The codegen CLI is ESM-only in places Jest cannot load, so the check runs in its own process.
    const run = () => execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/codegen-check.ts'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    expect(run()).toContain('3 generated files up to date');
  });
});
