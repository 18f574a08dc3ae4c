import { importJWK, SignJWT } from 'jose';
import { generateSigningKeys } from '../scripts/tokens';
import { FIXTURE, seedFixture } from './support/fixtures';
import { AUDIENCE, COORDINATOR, ISSUER, startTestHub, type TestHub } from './support/hub';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Every service verifies the caller's token itself: a subgraph called directly answers nothing
 * without a valid one, and federation's internal fields answer only the gateway.
 */
describe('authentication', () => {
  let hub: TestHub;
  let endpoints: [string, string][];
  beforeAll(async () => {
    hub = await startTestHub({ seed: seedFixture });
    endpoints = [['gateway', hub.gatewayUrl], ...Object.entries(hub.subgraphs).map(([name, s]): [string, string] => [name, s.url])];
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const claims = { ...COORDINATOR, iss: ISSUER, aud: AUDIENCE };

  /** A token of the hub's key with the given `iat` and `exp` (seconds since the epoch). */
  const signedAt = async (iat: number, exp: number) =>
    new SignJWT({ ...COORDINATOR })
      .setProtectedHeader({ alg: 'EdDSA', kid: hub.keys.privateJwk.kid, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(await importJWK(hub.keys.privateJwk, 'EdDSA'));

  const badTokens: [string, () => Promise<string | null>, RegExp][] = [
    ['no token', async () => null, /Authentification requise/],
    ['an expired token', () => hub.token(COORDINATOR, { expiresIn: now() - 120 }), /expiré/],
    ['a token signed by another key', async () => hub.token(COORDINATOR, { keys: await generateSigningKeys() }), /Jeton invalide/],
    ['a token for another audience', () => hub.token(COORDINATOR, { audience: 'another-api' }), /aud/],
    ['a token from another issuer', () => hub.token(COORDINATOR, { issuer: 'someone-else' }), /iss/],
    ['an unsigned token (alg: none)', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iat: now(), exp: now() + 600 })}.`, /Algorithme de signature refusé/],
    [
      'an HS256 token keyed with the public key',
      async () => {
        const publicKey = hub.keys.jwks.keys[0]!;
        return new SignJWT({ ...COORDINATOR })
          .setProtectedHeader({ alg: 'HS256', kid: publicKey.kid })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(Buffer.from(publicKey.x!, 'base64url'));
      },
      /Algorithme de signature refusé/,
    ],
    ['a token issued more than 12 hours ago, still unexpired', () => signedAt(now() - 13 * 3600, now() + 3600), /émis il y a plus de 12 h/],
    ['a token issued an hour in the future', () => signedAt(now() + 3600, now() + 7200), /dans le futur/],
    ['a token valid for ten years', () => signedAt(now(), now() + 10 * 365 * 86400), /durée de validité .* dépasse 12 h/],
    ['a token whose roles are unknown', () => hub.token({ ...COORDINATOR, roles: ['SUPERUSER' as never] }), /revendications/],
  ];

  it.each(badTokens)('refuses %s on the gateway and on each subgraph called directly', async (_name, make, message) => {
    const token = await make();
    for (const [service, url] of endpoints) {
      const { status, body } = await hub.post(`query { parcours(id: "${FIXTURE.amina.parcours}") { id } }`, {}, { url, token });
      expect({ service, status, body }).toEqual({
        service,
        status: 401,
        body: { errors: [{ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } }] },
      });
    }
  });

  it('accepts a token issued a few seconds ahead of the clock, within the tolerance, and one of exactly 12 hours', async () => {
    for (const token of [await signedAt(now() + 10, now() + 600), await signedAt(now(), now() + 12 * 3600)]) {
      for (const [service, url] of endpoints) {
        const { status, body } = await hub.post('query { __typename }', {}, { url, token });
        expect({ service, status, body }).toEqual({ service, status: 200, body: { data: { __typename: 'Query' } } });
      }
    }
  });

  it('keeps the health endpoints open', async () => {
    for (const [, url] of endpoints) expect((await fetch(url.replace('/graphql', '/health/live'))).status).toBe(200);
  });

  const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Parcours { id situationLogement { categorie } } } }`;
  const representations = { r: [{ __typename: 'Parcours', id: FIXTURE.amina.parcours }] };

  it('refuses a forged _entities request to a subgraph, even with a valid user token', async () => {
    for (const [gatewayKey, label] of [[undefined, 'no key'], ['not-the-gateway-secret-but-long-enough-000000', 'a wrong key']] as const) {
      const { status, body } = await hub.post(entities, representations, {
        url: hub.subgraphs['droits-logement'].url,
        headers: gatewayKey ? { 'x-agir-gateway-key': gatewayKey } : {},
      });
      expect({ label, status, data: body.data, code: body.errors?.[0]?.extensions?.code }).toEqual({ label, status: 403, data: undefined, code: 'FORBIDDEN' });
    }
    const service = await hub.post('query { _service { sdl } }', {}, { url: hub.subgraphs.coordination.url });
    expect(service.status).toBe(403);
    expect(service.body.errors?.[0]?.message).toContain('réservé à la passerelle');
  });

  const disguised: [string, string, Record<string, unknown>][] = [
    ['_service in an inline fragment', 'query { ... on Query { _service { sdl } } }', {}],
    ['_service in a named fragment, aliased', 'query { ...F } fragment F on Query { schema: _service { sdl } }', {}],
    ['_entities in a named fragment', `query($r: [_Any!]!) { ...F } fragment F on Query { _entities(representations: $r) { ... on Parcours { id } } }`, representations],
    ['_entities two fragments deep, behind an inline one', `query($r: [_Any!]!) { ... on Query { ...A } } fragment A on Query { ...B } fragment B on Query { e: _entities(representations: $r) { __typename } }`, representations],
  ];

  it.each(disguised)('refuses %s on every subgraph without the gateway key', async (_name, query, variables) => {
    for (const [name, subgraph] of Object.entries(hub.subgraphs)) {
      const { status, body } = await hub.post(query, variables, { url: subgraph.url });
      expect({ name, status, data: body.data, code: body.errors?.[0]?.extensions?.code, message: body.errors?.[0]?.message }).toEqual({
        name,
        status: 403,
        data: undefined,
        code: 'FORBIDDEN',
        message: expect.stringMatching(/^Le champ _(service|entities) est réservé à la passerelle/),
      });
      expect(JSON.stringify(body)).not.toContain('@key');
    }
  });

  it('records the refusal of a federation internal field in the audit trail', async () => {
    const token = await hub.token({ ...COORDINATOR, sub: 'curieux-sdl' });
    await hub.post('query { ...F } fragment F on Query { _service { sdl } }', {}, { url: hub.subgraphs['emploi-formation'].url, token });
    const rows = await hub.subgraphs['emploi-formation'].dataSource.query(`SELECT operation, action, fields, allowed, reason FROM audit_log WHERE user_id = 'curieux-sdl'`);
    expect(rows).toEqual([{ operation: 'READ', action: 'refus', fields: ['Query._service'], allowed: false, reason: expect.stringContaining('réservé à la passerelle') }]);
  });

  it('answers _entities to the gateway, which presents its key', async () => {
    const { status, body } = await hub.post(entities, representations, {
      url: hub.subgraphs['droits-logement'].url,
      headers: { 'x-agir-gateway-key': hub.gatewaySecret },
    });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { _entities: [{ id: FIXTURE.amina.parcours, situationLogement: { categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE' } }] } });
  });
});
