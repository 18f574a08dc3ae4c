import type { RateLimits } from '@agir/gateway';
import { generateSigningKeys } from '../scripts/tokens';
import { FIXTURE, seedFixture } from './support/fixtures';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';

/**
 * The limits the gateway applies besides the per-user one: per client address before
 * authentication, on refused authentications, and on CSV exports. Each limit has its own hub, as
 * they all count the same address (127.0.0.1).
 */
describe('rate limits at the gateway', () => {
  const hubs: TestHub[] = [];
  afterAll(async () => {
    for (const hub of hubs) await hub.stop();
  });
  const start = async (rateLimits: Partial<RateLimits>) => {
    const hub = await startTestHub({ rateLimits });
    hubs.push(hub);
    return hub;
  };
  const RATE_LIMITED = (message: RegExp) => ({ status: 429, body: { errors: [{ message: expect.stringMatching(message), extensions: { code: 'RATE_LIMITED' } }] } });

  it('limits the requests of one address before looking at their tokens, whoever sends them', async () => {
    const hub = await start({ perIpPerMinute: 6 });
    // Six users, each far below the per-user limit, from one address.
    for (let i = 0; i < 6; i += 1) {
      const { status } = await hub.post('query { __typename }', {}, { token: await hub.token({ ...COORDINATOR, sub: `u-${i}` }) });
      expect(status).toBe(200);
    }
    for (const token of [await hub.token({ ...COORDINATOR, sub: 'u-7' }), null]) {
      const { status, body } = await hub.post('query { __typename }', {}, { token });
      expect({ status, body }).toEqual(RATE_LIMITED(/^Trop de requêtes depuis votre adresse/));
    }
    const exported = await fetch(new URL('/export/analyse-parcours.csv?departement=44', hub.gatewayUrl));
    expect(exported.status).toBe(429);
  });

  it('stops a flood of invalid or missing tokens, then refuses that address even a valid one for the minute', async () => {
    const hub = await start({ failedAuthenticationsPerMinute: 3 });
    // Valid requests do not count.
    for (let i = 0; i < 5; i += 1) expect((await hub.post('query { __typename }', {})).status).toBe(200);
    const forged = await hub.token(COORDINATOR, { keys: await generateSigningKeys() });
    for (const token of [null, forged, 'pas-un-jeton']) expect((await hub.post('query { __typename }', {}, { token })).status).toBe(401);
    const { status, body } = await hub.post('query { __typename }', {});
    expect({ status, body }).toEqual(RATE_LIMITED(/^Trop d'authentifications refusées depuis votre adresse : vérifiez votre jeton/));
  });

  it('counts a user action once, though the domains read the access facts through the gateway on its behalf', async () => {
    const hub = await startTestHub({ seed: seedFixture, rateLimitPerMinute: 4 });
    hubs.push(hub);
    const token = await hub.token({ ...COORDINATOR, sub: 'une-action-un-compte' });
    // Each query reaches both domains, and each domain asks the gateway for the access facts.
    const query = `query { parcours(id: "${FIXTURE.amina.parcours}") { id situationLogement { categorie } situationProfessionnelle { categorie } } }`;
    for (let i = 0; i < 4; i += 1) {
      const { status, body } = await hub.post<{ parcours: { situationLogement: unknown; situationProfessionnelle: unknown } }>(query, {}, { token });
      expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
      expect(body.data?.parcours.situationLogement).not.toBeNull();
      expect(body.data?.parcours.situationProfessionnelle).not.toBeNull();
    }
    const { status, body } = await hub.post(query, {}, { token });
    expect({ status, body }).toEqual(RATE_LIMITED(/^Trop de requêtes : attendez une minute/));
  });

  it('limits the exports of one user', async () => {
    const hub = await start({ exportsPerMinute: 2 });
    const url = new URL('/export/analyse-parcours.csv?departement=44', hub.gatewayUrl);
    const as = async (sub: string) => ({ authorization: `Bearer ${await hub.token({ ...COORDINATOR, sub })}` });
    const first = await as('exporteur');
    for (let i = 0; i < 2; i += 1) {
      const response = await fetch(url, { headers: first });
      expect(response.status).toBe(200);
      await response.text();
    }
    const third = await fetch(url, { headers: first });
    expect({ status: third.status, body: await third.json() }).toEqual(RATE_LIMITED(/^Trop d'exports : 2 par minute au plus/));
    // Another user keeps its own allowance, and the same user still reads /graphql.
    const other = await fetch(url, { headers: await as('autre-exporteur') });
    expect(other.status).toBe(200);
    await other.text();
    expect((await hub.post('query { __typename }', {}, { token: first.authorization.slice(7) })).status).toBe(200);
  });
});
