import { mintToken } from '../scripts/tokens';
import { runChecks, formatTable, type Row } from '../scripts/security/checks';
import { SECURITY_AUDIENCE, SECURITY_ISSUER, startProductionHub, type RunningHub } from '../scripts/security/services';
import { adminUrl } from './support/hub';

/**
 * The short version of `npm run security`: the hub in production mode, one process per service,
 * and every check of the suite at every port, with 400 malformed requests instead of 5,000.
 */
describe('the security checks, in production mode', () => {
  let hub: RunningHub;
  let rows: Row[];
  beforeAll(async () => {
    hub = await startProductionHub(adminUrl());
    const token = await mintToken(hub.keys, { sub: 'securite', structure: '00000000-0000-4000-8000-000000000001', roles: ['COORDINATION'], departements: ['44'] }, { issuer: SECURITY_ISSUER, audience: SECURITY_AUDIENCE, expiresIn: '1h' });
    rows = await runChecks({ targets: Object.entries(hub.urls).map(([name, url]) => ({ name, url })), keys: hub.keys, issuer: SECURITY_ISSUER, audience: SECURITY_AUDIENCE, token }, { fuzzCount: 400 });
  }, 300_000);
  afterAll(async () => {
    await hub?.stop();
  }, 60_000);

  it('refuses every forged token at every port', () => {
    const forged = rows.filter((r) => r.check.startsWith('forged tokens'));
    expect(forged.map((r) => [r.port, r.result])).toEqual(['gateway', 'coordination', 'droits-logement', 'emploi-formation'].map((port) => [port, 'ok: 0 accepted']));
  });

  it('answers malformed requests without a 5xx or a stack trace, at every port', () => {
    const fuzz = rows.filter((r) => r.check.startsWith('fuzz'));
    expect(fuzz).toHaveLength(4);
    expect(fuzz.filter((r) => !r.ok)).toEqual([]);
  });

  it('passes every other check, and every graphql-http audit or says why not', () => {
    const failed = rows.filter((r) => !r.ok);
    if (failed.length > 0) throw new Error(`failed checks:\n${formatTable(failed)}`);
    expect(rows.filter((r) => r.check.startsWith('graphql-http')).length).toBeGreaterThan(40);
    expect(rows.filter((r) => r.check.includes('1,000 aliases')).map((r) => r.ok)).toEqual([true, true, true, true]);
  });
});
