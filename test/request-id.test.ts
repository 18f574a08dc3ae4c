import { FIXTURE, seedFixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

/** One request id follows a request from the gateway to every subgraph it calls, in their logs. */
describe('request id', () => {
  const lines: string[] = [];
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ seed: seedFixture, logLines: lines });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('is passed on to each subgraph and logged with its SQL statement count', async () => {
    const result = await hub.query(
      `query { parcours(id: "${FIXTURE.amina.parcours}") { id situationLogement { categorie } langue { niveauCecrl } } }`,
      {},
      { headers: { 'x-request-id': 'trace-4242' } },
    );
    expect(result.errors).toBeUndefined();
    const entries = lines.map((l) => JSON.parse(l) as { service: string; msg: string; requestId?: string; sqlStatements?: number });
    const traced = entries.filter((e) => e.requestId === 'trace-4242' && e.msg === 'graphql request');
    // The domain subgraphs ask Coordination for access facts through the gateway, under the same id.
    expect([...new Set(traced.map((e) => e.service))].sort()).toEqual(['coordination', 'droits-logement', 'emploi-formation', 'gateway']);
    for (const entry of traced.filter((e) => e.service !== 'gateway')) expect(entry.sqlStatements).toBeGreaterThan(0);
  });

  it('is added to every error the client receives', async () => {
    const result = await hub.query('query { parcours(id: "nope") { id } }', {}, { headers: { 'x-request-id': 'trace-err-1' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', requestId: 'trace-err-1' });
  });
});
