/**
 * `npm run compose`: composes the subgraphs into schema/supergraph.graphql, the artefact the
 * gateway serves. Fails on composition errors and on hints not listed in schema/subgraphs.json.
 * With `--check`, writes nothing and fails when the checked-in supergraph is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from './supergraph';

const outcome = composeSupergraph();
for (const error of outcome.errors) process.stderr.write(`composition error: ${error}\n`);
for (const hint of outcome.unacceptedHints) process.stderr.write(`composition hint not accepted: ${hint}\n`);
if (!outcome.supergraphSdl || outcome.unacceptedHints.length > 0) process.exit(1);

if (process.argv.includes('--check')) {
  const current = readFileSync(SUPERGRAPH_PATH, 'utf8');
  if (current !== outcome.supergraphSdl) {
    process.stderr.write('schema/supergraph.graphql is stale: run `npm run compose` and commit the result.\n');
    process.exit(1);
  }
  process.stdout.write('schema/supergraph.graphql is up to date.\n');
} else {
  writeFileSync(SUPERGRAPH_PATH, outcome.supergraphSdl);
  process.stdout.write(`wrote ${SUPERGRAPH_PATH}\n`);
}
