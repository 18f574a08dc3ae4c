import { readFileSync } from 'node:fs';
import { createLogger, type RunningService } from '@agir/common';
import { defaultSubgraphs, startGateway } from '@agir/gateway';
import { SUPERGRAPH_PATH } from '../scripts/supergraph';
import { FIXTURE, seedFixture } from './support/fixtures';
import { startFreezableProxy, type FreezableProxy } from './support/freezable-proxy';
import { AUDIENCE, COORDINATOR, ISSUER, startTestHub, type GraphQLResult, type TestHub } from './support/hub';

const DEADLINE_MS = 1500;

const QUERY = `query {
  parcours(id: "${FIXTURE.amina.parcours}") {
    id statut beneficiaire { prenom }
    situationLogement { categorie }
    situationProfessionnelle { categorie }
  }
}`;

/**
 * A domain subgraph that accepts connections and never answers (frozen, as under SIGSTOP) costs
 * its own fields and one deadline: the gateway answers the rest, names the frozen domain, and
 * serves full answers again once it thaws, without a restart.
 */
describe('when the Droits & Logement subgraph is frozen', () => {
  let hub: TestHub;
  let proxy: FreezableProxy;
  let gateway: RunningService;
  let token: string;
  beforeAll(async () => {
    hub = await startTestHub({ seed: seedFixture });
    proxy = await startFreezableProxy(hub.subgraphs['droits-logement'].url);
    // A gateway of its own over the same subgraphs, reaching Droits & Logement through the proxy.
    gateway = await startGateway({
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      subgraphs: defaultSubgraphs().map((s) => ({ ...s, url: s.name === 'droits-logement' ? proxy.url : hub.subgraphs[s.name as keyof TestHub['subgraphs']].url })),
      port: 0,
      development: false,
      logger: createLogger('gateway', 'silent'),
      auth: { issuer: ISSUER, audience: AUDIENCE, jwks: hub.keys.jwks, gatewaySecret: hub.gatewaySecret },
      subgraphTimeoutMs: DEADLINE_MS,
      subgraphHalfOpenMs: 500,
    });
    token = await hub.token(COORDINATOR);
  });
  afterAll(async () => {
    proxy?.thaw();
    await gateway?.stop();
    await proxy?.close();
    await hub?.stop();
  });

  const ask = async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: QUERY }),
    });
    return (await response.json()) as GraphQLResult<{ parcours: Record<string, unknown> }>;
  };

  it('answers while it is frozen, with the other domains and an error naming it, then fully once it thaws', async () => {
    expect((await ask()).data?.parcours.situationLogement).toEqual({ categorie: expect.any(String) });

    proxy.freeze();
    // The proxy stays frozen until these answers came: without a deadline they would never come.
    const frozen = await ask();
    expect(frozen.data?.parcours).toEqual({
      id: FIXTURE.amina.parcours,
      statut: 'CONTRACTUALISE',
      beneficiaire: { prenom: 'Amina' },
      situationLogement: null,
      situationProfessionnelle: { categorie: 'EMPLOI_DURABLE' },
    });
    expect(frozen.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(`Droits & Logement est indisponible (pas de réponse en ${DEADLINE_MS} ms)`),
        extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'droits-logement', raison: 'DELAI_DEPASSE', delaiMs: DEADLINE_MS }),
      }),
    ]);
    // Two more deadlines open the circuit: from then on the frozen domain is answered for at once.
    await ask();
    await ask();
    const open = await ask();
    expect(open.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'droits-logement', raison: 'CIRCUIT_OUVERT' })]);
    expect(open.data?.parcours.situationProfessionnelle).toEqual({ categorie: 'EMPLOI_DURABLE' });

    proxy.thaw();
    // Once thawed, a request after the half-open delay tries it again and closes the circuit.
    let full: GraphQLResult<{ parcours: Record<string, unknown> }> | undefined;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      full = await ask();
      if (!full.errors) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(full?.errors).toBeUndefined();
    expect(full?.data?.parcours.situationLogement).toEqual({ categorie: expect.any(String) });
  }, 120_000);
});
