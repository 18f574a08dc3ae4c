import { startTestHub, type TestHub } from './support/hub';

describe('health endpoints', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const base = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '');

  it('answers liveness and readiness on the gateway and each subgraph', async () => {
    for (const url of [hub.gatewayUrl, ...Object.values(hub.subgraphs).map((s) => s.url)]) {
      const live = await fetch(`${base(url)}/health/live`);
      expect(live.status).toBe(200);
      const ready = await fetch(`${base(url)}/health/ready`);
      expect({ url, status: ready.status, body: await ready.json() }).toMatchObject({ status: 200, body: { status: 'ready' } });
    }
  });

  it('echoes the caller\'s request id, and makes one up otherwise', async () => {
    const given = await fetch(`${base(hub.gatewayUrl)}/health/live`, { headers: { 'x-request-id': 'req-42' } });
    expect(given.headers.get('x-request-id')).toBe('req-42');
    const made = await fetch(`${base(hub.gatewayUrl)}/health/live`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports a subgraph whose database is gone as not ready, while it stays live', async () => {
    const subgraph = hub.subgraphs['emploi-formation'];
    await subgraph.dataSource.destroy();
    const ready = await fetch(`${base(subgraph.url)}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', service: 'emploi-formation' });
    expect((await fetch(`${base(subgraph.url)}/health/live`)).status).toBe(200);
  });
});
