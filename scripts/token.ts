/**
 * `npm run token -- --role COORDINATION [--departement 44] [--expires 8h]`: prints a token for the
 * demo user of a role, signed with the key `npm start` made under .data/keys. Use it as
 * `Authorization: Bearer <token>`. Roles: REFERENT_DROITS_LOGEMENT, REFERENT_EMPLOI_FORMATION,
 * COORDINATION, OFII, PRESCRIPTEUR, ANALYSTE, ADMIN, DPO (case and dashes do not matter).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '@agir/common';
import { demoUsers } from './demo/users';
import { ROOT } from './supergraph';
import { DEMO_AUDIENCE, DEMO_ISSUER, ensureDevAuth, mintToken } from './tokens';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'COORDINATION' },
      departement: { type: 'string' },
      expires: { type: 'string', default: '8h' },
      claims: { type: 'boolean', default: false },
    },
  });
  const role = values.role.toUpperCase().replace(/-/g, '_') as Role;
  if (!ROLES.includes(role)) throw new Error(`Unknown role « ${values.role} »: expected one of ${ROLES.join(', ')}.`);
  if (values.departement !== undefined && values.departement !== '44' && values.departement !== '85') {
    throw new Error(`The demo covers départements 44 and 85, not « ${values.departement} ».`);
  }
  const keysDir = path.join(ROOT, '.data', 'keys');
  if (!existsSync(path.join(keysDir, 'private.jwk.json'))) throw new Error('No demo key yet: run `npm start` once (it makes the keys under .data/keys).');
  const { keys } = await ensureDevAuth(keysDir);
  const claims = demoUsers(values.departement as '44' | '85' | undefined)[role];
  if (values.claims) process.stderr.write(`${JSON.stringify(claims, null, 2)}\n`);
  process.stdout.write(`${await mintToken(keys, claims, { issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE, expiresIn: values.expires })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
