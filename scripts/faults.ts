/**
 * `npm run faults`: what a crash costs, counted. Starts a PostgreSQL cluster of its own (embedded,
 * in a temporary directory: the database fault stops it, so it is never the machine's server),
 * each subgraph, the gateway and a webhook delivery worker as processes of their own, and under a
 * bounded write load through the gateway (each write with its own Idempotency-Key, each
 * acknowledged write recorded, each unanswered one sent again with its key) injects one fault
 * after the other:
 *
 * - kill -9 of each subgraph and of the gateway, restarted a second later;
 * - PostgreSQL stopped abruptly (immediate shutdown, as a crash) and started again;
 * - SIGTERM to each service with requests in flight, then started again;
 * - kill -9 of the webhook worker while a batch is being delivered;
 * - races: two `contractualiser` on one parcours, `sortir` against `exclure`, two social-housing
 *   applications for one parcours (one allowed per parcours).
 *
 * Then prints per fault: acknowledged writes lost, writes doubled, requests that hung past 10 s,
 * retries, the time until the service answered again through the gateway (the others never
 * restarted), webhook events lost or received more often than the worker's attempts, and parcours
 * whose history disagrees with their statut. Exits 1 on any lost or doubled write, lost or
 * duplicated event, or inconsistency.
 *
 * `--soak` adds a steady load of SOAK_MINUTES (10) minutes and prints each process's resident
 * memory after the first minute and at the end (within 10 % passes); `--soak-only` runs it alone.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDataSource, createLogger, ownerRole, provisionDatabase, withDatabase } from '@agir/common';
import type { DataSource } from 'typeorm';
import { seedFaitsDomaines } from '../test/support/coordination-fixtures';
import { efFixture, seedCoordinationEF, type ParcoursSeed } from '../test/support/emploi-formation-fixtures';
import { countWebhooks, countWrites, inconsistentHistories, withClient, type Databases, type WebhookCounts, type WriteCounts } from './faults/checks';
import { postGraphQL, WriteLoad, type GraphQLAnswer, type Outcome, type Writer } from './faults/load';
import { httpStatus, Service } from './faults/services';
import { freePort, startEmbeddedPostgres, type EmbeddedCluster } from './embedded-postgres';
import { databaseName, SUBGRAPHS, SUBGRAPH_NAMES, type SubgraphName } from './hub';
import { DEMO_AUDIENCE, DEMO_ISSUER, generateSigningKeys, mintToken, type SigningKeys, type TokenClaims } from './tokens';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SOAK_ONLY = process.argv.includes('--soak-only');
const SOAK = SOAK_ONLY || process.argv.includes('--soak');
const SOAK_MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const PREFIX = 'faults';

type ServiceName = SubgraphName | 'gateway';

interface FaultResult {
  fault: string;
  writes: WriteCounts;
  /** Until the faulty service answered through the gateway again, from its restart. */
  recoveryMs: number | null;
  webhooks: WebhookCounts;
  inconsistent: number;
  /** Race outcomes that break a rule (two winners, a row too many). */
  raceViolations: number;
  notes: string[];
}

/** A mutation or query answered once, retried with its key while the hub does not decide. */
async function answered(gatewayUrl: string, query: string, variables: Record<string, unknown>, token: string, localAddress: string, key?: string): Promise<{ body: GraphQLAnswer; attempts: number; hung: number }> {
  let attempts = 0;
  let hung = 0;
  const giveUpAt = Date.now() + 90_000;
  while (Date.now() < giveUpAt) {
    attempts += 1;
    const outcome: Outcome = await postGraphQL(gatewayUrl, { query, variables }, { token, localAddress, ...(key ? { idempotencyKey: key } : {}) });
    if (outcome.kind === 'timeout') {
      hung += 1;
      continue;
    }
    if (outcome.kind === 'network') {
      await sleep(200);
      continue;
    }
    const codes = (outcome.body.errors ?? []).map((e) => e.extensions?.code);
    if (codes.some((c) => c === 'SUBGRAPH_UNAVAILABLE' || c === 'INTERNAL_SERVER_ERROR' || c === 'RATE_LIMITED' || c === 'SERVICE_UNAVAILABLE')) {
      await sleep(250);
      continue;
    }
    return { body: outcome.body, attempts, hung };
  }
  throw new Error(`no answer within 90 s to ${query.slice(0, 60)}`);
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'agir-faults-'));
  // As root, PostgreSQL runs as the `postgres` user, which must reach its data directory.
  chmodSync(work, 0o755);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const services = new Map<ServiceName | 'webhooks-worker', Service>();
  let cluster: EmbeddedCluster | undefined;
  const receiver = http.createServer();
  let failed = false;
  const cleanup = async () => {
    for (const s of services.values()) if (s.pid) process.kill(s.pid, 'SIGKILL');
    receiver.close();
    await cluster?.stop().catch(() => undefined);
  };
  process.once('SIGINT', () => {
    void cleanup().finally(() => process.exit(130));
  });
  try {
    // --- The cluster, the databases and the keys -----------------------------------------
    const pgPort = await freePort();
    const dataDir = path.join(work, 'pg');
    const startCluster = () => startEmbeddedPostgres({ dataDir, port: pgPort, persistent: true, log: () => undefined });
    log(`PostgreSQL of the suite on 127.0.0.1:${pgPort} (${dataDir}); logs under ${work}`);
    cluster = await startCluster();
    const adminUrl = cluster.adminUrl;
    const appUrls = {} as Databases;
    const ownerUrls = {} as Databases;
    const adminDbUrls = {} as Databases;
    for (const name of SUBGRAPH_NAMES) {
      const database = databaseName(PREFIX, name);
      const password = `${database}-local`;
      await provisionDatabase(adminUrl, { database, role: database, password });
      appUrls[name] = withDatabase(adminUrl, database, { user: database, password });
      ownerUrls[name] = withDatabase(adminUrl, database, { user: ownerRole(database), password });
      adminDbUrls[name] = withDatabase(adminUrl, database);
    }
    const keys: SigningKeys = await generateSigningKeys();
    const jwksPath = path.join(work, 'jwks.json');
    writeFileSync(jwksPath, JSON.stringify(keys.jwks));
    const gatewaySecret = randomBytes(32).toString('hex');
    const token = (claims: TokenClaims) => mintToken(keys, claims, { issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE, expiresIn: '3h' });

    // --- The processes -------------------------------------------------------------------
    const ports = { gateway: await freePort(), coordination: await freePort(), 'droits-logement': await freePort(), 'emploi-formation': await freePort() };
    const gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;
    const auth = { AUTH_JWKS: jwksPath, AUTH_ISSUER: DEMO_ISSUER, AUTH_AUDIENCE: DEMO_AUDIENCE, GATEWAY_SECRET: gatewaySecret };
    for (const name of SUBGRAPH_NAMES) {
      services.set(name, new Service({
        name,
        entry: `subgraphs/${name}/src/main.ts`,
        port: ports[name],
        env: { ...auth, DATABASE_URL: appUrls[name], MIGRATION_DATABASE_URL: ownerUrls[name], PORT: String(ports[name]), GATEWAY_URL: gatewayUrl, WEBHOOKS_WORKER: 'false', ...(name === 'coordination' ? { PSEUDONYM_SECRET: randomBytes(32).toString('hex') } : {}) },
      }, work));
    }
    services.set('gateway', new Service({
      name: 'gateway',
      entry: 'gateway/src/main.ts',
      port: ports.gateway,
      env: { ...auth, PORT: String(ports.gateway), ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [`${n.toUpperCase().replace(/-/g, '_')}_URL`, `http://127.0.0.1:${ports[n]}/graphql`])) },
    }, work));
    services.set('webhooks-worker', new Service({ name: 'webhooks-worker', entry: 'scripts/faults/webhook-worker.ts', port: 0, noHttp: true, env: { DATABASE_URL: appUrls.coordination } }, work));
    const svc = (name: ServiceName | 'webhooks-worker') => services.get(name)!;
    for (const name of SUBGRAPH_NAMES) svc(name).start();
    await Promise.all(SUBGRAPH_NAMES.map((n) => svc(n).waitReady()));
    svc('gateway').start();
    await svc('gateway').waitReady();
    svc('webhooks-worker').start();
    await svc('webhooks-worker').waitReady();
    log('Services started: coordination, droits-logement, emploi-formation, gateway, webhooks-worker.');

    // --- Data: parcours for the load, the races and the webhooks --------------------------
    const f = efFixture();
    const seeds = (n: number, statut: ParcoursSeed['statut']) => Array.from({ length: n }, () => ({ id: randomUUID(), statut, nom: 'F.', dateOrientation: '2024-01-10' }));
    const loadParcours = seeds(6, 'CONTRACTUALISE');
    const contratRace = seeds(8, 'COMMISSION_REALISEE');
    const sortieRace = seeds(8, 'CONTRACTUALISE');
    const demandeRace = seeds(8, 'CONTRACTUALISE');
    const webhookParcours = seeds(60, 'CONTRACTUALISE');
    const dataSources = {} as Record<SubgraphName, DataSource>;
    for (const name of SUBGRAPH_NAMES) {
      dataSources[name] = createDataSource({ url: appUrls[name], entities: SUBGRAPHS[name].entities, migrations: [], logger: createLogger('faults-seed', 'error'), poolSize: 2 }).dataSource;
      await dataSources[name].initialize();
    }
    await seedCoordinationEF(dataSources.coordination, f, [...loadParcours, ...contratRace, ...sortieRace, ...demandeRace, ...webhookParcours]);
    for (const p of sortieRace) {
      await seedFaitsDomaines(dataSources, p.id, { logement: { type: 'RESIDENCE_SOCIALE', categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE', debut: '2025-01-01' }, emploi: { categorie: 'EMPLOI_DURABLE', debut: '2025-01-02' } });
    }
    for (const ds of Object.values(dataSources)) await ds.destroy();

    const base = { structure: f.structure, departements: ['44'] };
    const writers: Writer[] = [];
    for (let w = 0; w < 3; w += 1) {
      writers.push({
        localAddress: `127.0.0.${10 + w}`,
        tokens: {
          atelier: await token({ sub: `charge-${w}-coordination`, ...base, roles: ['COORDINATION'] }),
          contrat: await token({ sub: `charge-${w}-ef`, ...base, roles: ['REFERENT_EMPLOI_FORMATION'], referent: f.referentEF }),
          demarche: await token({ sub: `charge-${w}-dl`, ...base, roles: ['REFERENT_DROITS_LOGEMENT'], referent: f.referentDL }),
        },
      });
    }
    const burstWriter: Writer = {
      localAddress: '127.0.0.20',
      tokens: {
        atelier: await token({ sub: 'rafale-coordination', ...base, roles: ['COORDINATION'] }),
        contrat: await token({ sub: 'rafale-ef', ...base, roles: ['REFERENT_EMPLOI_FORMATION'], referent: f.referentEF }),
        demarche: await token({ sub: 'rafale-dl', ...base, roles: ['REFERENT_DROITS_LOGEMENT'], referent: f.referentDL }),
      },
    };
    const coordinationToken = await token({ sub: 'courses-coordination', ...base, roles: ['COORDINATION'] });
    const dlToken = await token({ sub: 'courses-dl', ...base, roles: ['REFERENT_DROITS_LOGEMENT'], referent: f.referentDL });
    const probeTokens = {
      coordination: await token({ sub: 'sonde-coordination', ...base, roles: ['COORDINATION'] }),
      'droits-logement': await token({ sub: 'sonde-dl', ...base, roles: ['REFERENT_DROITS_LOGEMENT'], referent: f.referentDL }),
      'emploi-formation': await token({ sub: 'sonde-ef', ...base, roles: ['REFERENT_EMPLOI_FORMATION'], referent: f.referentEF }),
    };
    const fixture = { siteId: f.site, parcoursIds: loadParcours.map((p) => p.id) };
    const P0 = loadParcours[0]!.id;
    const PROBES: Record<ServiceName, { query: string; token: string }> = {
      coordination: { query: `{ parcours(id: "${P0}") { id statut } }`, token: probeTokens.coordination },
      'droits-logement': { query: `{ parcours(id: "${P0}") { id demarchesDroits { id } } }`, token: probeTokens['droits-logement'] },
      'emploi-formation': { query: `{ parcours(id: "${P0}") { id contratsTravail { id } } }`, token: probeTokens['emploi-formation'] },
      gateway: { query: `{ parcours(id: "${P0}") { id } }`, token: probeTokens.coordination },
    };
    /** Time until `name` answers through the gateway without error, from now. */
    const answersAgain = async (name: ServiceName, timeoutMs = 120_000): Promise<number> => {
      const started = Date.now();
      while (Date.now() - started < timeoutMs) {
        const o = await postGraphQL(gatewayUrl, { query: PROBES[name].query }, { token: PROBES[name].token, localAddress: '127.0.0.200', timeoutMs: 10_000 });
        if (o.kind === 'answer' && o.status === 200 && !o.body.errors && o.body.data?.parcours) return Date.now() - started;
        await sleep(100);
      }
      throw new Error(`${name} did not answer through the gateway within ${timeoutMs} ms; see ${svc(name).logPath}:\n${svc(name).tail()}`);
    };
    for (const name of ['coordination', 'droits-logement', 'emploi-formation'] as const) await answersAgain(name);

    // --- The webhook receiver and its subscription -------------------------------------
    const receipts = new Map<string, number>();
    let receiverDelayMs = 30;
    receiver.on('request', (req, res) => {
      const id = String(req.headers['x-agir-event-id'] ?? '');
      req.resume();
      req.on('end', () => {
        setTimeout(() => {
          // Counted when answered: a worker killed before the answer left it unconfirmed.
          receipts.set(id, (receipts.get(id) ?? 0) + 1);
          res.writeHead(204).end();
        }, receiverDelayMs);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/agir`;
    const abonnement = await answered(
      gatewayUrl,
      'mutation($url: String!, $e: [String!]!) { creerAbonnementWebhook(url: $url, evenements: $e) { abonnement { id } } }',
      { url: receiverUrl, e: ['PARCOURS_CONTRACTUALISE', 'PARCOURS_SORTI', 'PARCOURS_EXCLU', 'PARCOURS_ABANDON'] },
      coordinationToken,
      '127.0.0.201',
    );
    const subscriptionId = (abonnement.body.data?.creerAbonnementWebhook as { abonnement: { id: string } } | undefined)?.abonnement.id;
    if (!subscriptionId) throw new Error(`webhook subscription refused: ${JSON.stringify(abonnement.body.errors)}`);

    // --- The faults ------------------------------------------------------------------------
    const results: FaultResult[] = [];
    let load: WriteLoad | undefined;
    const underLoad = async (fault: string, inject: () => Promise<{ recoveryMs: number | null; raceViolations?: number; notes?: string[] }>) => {
      log(`… ${fault}`);
      const since = new Date();
      load = new WriteLoad(gatewayUrl, writers, fixture, { kinds: ['atelier', 'contrat', 'demarche'], paceMs: 150 });
      await sleep(2500);
      let injected: Awaited<ReturnType<typeof inject>>;
      try {
        injected = await inject();
      } finally {
        await sleep(2000);
        await load.stop();
      }
      const writes = await countWrites(adminDbUrls, load.records);
      const webhooks = await countWebhooks(adminDbUrls.coordination, subscriptionId, since, receipts);
      const inconsistent = await inconsistentHistories(adminDbUrls.coordination);
      results.push({ fault, writes, recoveryMs: injected.recoveryMs, webhooks, inconsistent, raceViolations: injected.raceViolations ?? 0, notes: injected.notes ?? [] });
      if (webhooks.redelivered > 0) results.at(-1)!.notes.push(`${webhooks.redelivered} events received twice, each after a claim the killed worker never recorded (at least once)`);
      for (const r of load.records.filter((x) => x.outcome === 'UNRESOLVED')) results.at(-1)!.notes.push(`never answered: ${r.kind} after ${r.attempts} attempts, last ${r.last}`);
      if (writes.answerLost > 0) results.at(-1)!.notes.push(`${writes.answerLost} writes made once whose answer died with the process: their retry answered REPONSE_IDEMPOTENTE_INDISPONIBLE`);
      const refusals = [...new Set(load.records.filter((r) => r.outcome === 'REFUSED').map((r) => r.refusal))];
      if (refusals.length > 0) results.at(-1)!.notes.push(`refusals: ${refusals.slice(0, 2).join(' | ')}`);
    };

    /** Signals `name`, starts it again, and times its return: to ready, then through the gateway. */
    const restart = async (name: ServiceName, signal: NodeJS.Signals) => {
      // A burst of writes just before the signal, so that some are in flight when it lands.
      void load!.burst(gatewayUrl, burstWriter, fixture, 6);
      await sleep(40);
      const signalledAt = Date.now();
      const stopped = await svc(name).signal(signal);
      if (signal === 'SIGKILL') await sleep(1000);
      svc(name).start();
      const restartedAt = Date.now();
      await svc(name).waitReady();
      const readyMs = Date.now() - restartedAt;
      const throughGatewayMs = await answersAgain(name);
      const caught = load!.inFlightAt(signalledAt);
      return {
        stopped,
        recoveryMs: Date.now() - restartedAt,
        notes: [
          `ready ${(readyMs / 1000).toFixed(1)} s after its restart, answering through the gateway ${(throughGatewayMs / 1000).toFixed(1)} s later`,
          `${caught.inFlight} writes in flight at the ${signal}: ${caught.answered} answered` +
            (caught.inFlight > caught.answered ? `, ${caught.inFlight - caught.answered} sent again with their key after ${Object.entries(caught.failures).map(([k, v]) => `${v} ${k}`).join(', ')}` : ''),
        ],
      };
    };

    if (!SOAK_ONLY) {
    for (const name of [...SUBGRAPH_NAMES, 'gateway'] as const) {
      await underLoad(`kill -9 ${name}`, async () => {
        const { recoveryMs, notes } = await restart(name, 'SIGKILL');
        return { recoveryMs, notes };
      });
    }

    await underLoad('PostgreSQL stopped abruptly', async () => {
      const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      // Immediate shutdown: the server and its backends exit at once, with crash recovery at the next start.
      process.kill(pid, 'SIGQUIT');
      const down = Date.now();
      const notReady = new Set<string>();
      while (Date.now() - down < 4000) {
        for (const name of SUBGRAPH_NAMES) if ((await httpStatus(ports[name], '/health/ready')) === 503) notReady.add(name);
        await sleep(250);
      }
      // (Not cluster.stop(): it waits for an exit that has already happened.)
      cluster = await startCluster();
      const recoveries = await Promise.all(SUBGRAPH_NAMES.map((n) => answersAgain(n)));
      return {
        recoveryMs: Math.max(...recoveries),
        notes: [`readiness said not ready while down: ${SUBGRAPH_NAMES.map((n) => `${n} ${notReady.has(n) ? 'yes' : 'NO'}`).join(', ')}`],
        raceViolations: SUBGRAPH_NAMES.filter((n) => !notReady.has(n)).length,
      };
    });

    for (const name of [...SUBGRAPH_NAMES, 'gateway'] as const) {
      await underLoad(`SIGTERM ${name}`, async () => {
        const { stopped, recoveryMs, notes } = await restart(name, 'SIGTERM');
        return { recoveryMs, notes: [`exited ${stopped.ms} ms after SIGTERM${stopped.forced ? ' (did not exit within 30 s: killed)' : ''}`, ...notes], raceViolations: stopped.forced ? 1 : 0 };
      });
    }

    await underLoad('kill -9 webhook worker mid-batch', async () => {
      receiverDelayMs = 400;
      const sent = Promise.all(
        [0, 1, 2, 3].map(async (lane) => {
          for (let i = lane; i < webhookParcours.length; i += 4) {
            await answered(gatewayUrl, 'mutation($id: ID!, $f: FinParcoursInput!) { abandonner(parcoursId: $id, fin: $f) { statut } }', { id: webhookParcours[i]!.id, f: { date: '2025-03-01', motif: 'Déménagement' } }, coordinationToken, `127.0.0.${30 + lane}`, randomUUID());
          }
        }),
      );
      const before = receipts.size;
      const deadline = Date.now() + 30_000;
      while (receipts.size < before + 5 && Date.now() < deadline) await sleep(50);
      await svc('webhooks-worker').signal('SIGKILL');
      await sent;
      await sleep(1000);
      svc('webhooks-worker').start();
      await svc('webhooks-worker').waitReady();
      receiverDelayMs = 30;
      return { recoveryMs: null, notes: [`worker killed after ${receipts.size - before} events received; the deliveries it held were claimed again once their lease ran out`] };
    });

    await underLoad('races on one parcours / one record', async () => {
      let violations = 0;
      const notes: string[] = [];
      const plan = [{ axe: 'EMPLOI', objectifs: ['CDI'] }];
      const CONTRAT = 'mutation($id: ID!, $c: ContratInput!) { contractualiser(parcoursId: $id, contrat: $c) { statut } }';
      const SORTIR = 'mutation($id: ID!, $s: SortieInput!) { sortir(parcoursId: $id, sortie: $s) { statut } }';
      const EXCLURE = 'mutation($id: ID!, $e: ExclusionInput!) { exclure(parcoursId: $id, exclusion: $e) { statut } }';
      const DEMANDE = 'mutation($i: EnregistrerDemandeLogementSocialInput!) { enregistrerDemandeLogementSocial(input: $i) { id } }';
      const wins = (answers: { body: GraphQLAnswer }[]) => answers.filter((a) => a.body.data && Object.values(a.body.data).some((v) => v !== null)).length;
      const codes = new Set<string>();
      const race = async (label: string, ids: string[], pair: (id: string) => [string, Record<string, unknown>, string][]) => {
        let oneWinner = 0;
        await Promise.all(
          ids.map(async (id, i) => {
            const answers = await Promise.all(pair(id).map(([q, v, t], j) => answered(gatewayUrl, q, v, t, `127.0.0.${40 + ((i * 2 + j) % 20)}`, randomUUID())));
            for (const a of answers) for (const e of a.body.errors ?? []) codes.add(String(e.extensions?.code));
            if (wins(answers) === 1) oneWinner += 1;
            else violations += 1;
          }),
        );
        notes.push(`${label}: ${oneWinner}/${ids.length} with exactly one winner`);
      };
      await race('2× contractualiser', contratRace.map((p) => p.id), (id) => [
        [CONTRAT, { id, c: { dateSignature: '2025-02-10', plan } }, coordinationToken],
        [CONTRAT, { id, c: { dateSignature: '2025-02-11', plan } }, coordinationToken],
      ]);
      await race('sortir vs exclure', sortieRace.map((p) => p.id), (id) => [
        [SORTIR, { id, s: { date: '2025-09-01', motif: 'Résidence sociale et CDI' } }, coordinationToken],
        [EXCLURE, { id, e: { date: '2025-09-01', motif: 'NON_ADHESION' } }, coordinationToken],
      ]);
      await race('2× demande de logement social', demandeRace.map((p) => p.id), (id) => [
        [DEMANDE, { i: { parcoursId: id, numeroUnique: '044250123456', dateDepot: '2025-02-01', communesSouhaitees: ['44109'], typologiesSouhaitees: ['T2'] } }, dlToken],
        [DEMANDE, { i: { parcoursId: id, numeroUnique: '044250654321', dateDepot: '2025-02-02', communesSouhaitees: ['44143'], typologiesSouhaitees: ['T3'] } }, dlToken],
      ]);
      // In the databases: one move per race, one application per parcours.
      const moves = await withClient(adminDbUrls.coordination, async (c) =>
        (await c.query(`SELECT count(*)::int AS n FROM (SELECT parcours_id FROM transition_parcours WHERE parcours_id = ANY($1) AND action IN ('CONTRACTUALISER', 'SORTIR', 'EXCLURE') GROUP BY parcours_id HAVING count(*) <> 1) x`, [[...contratRace, ...sortieRace].map((p) => p.id)])).rows[0] as { n: number },
      );
      const demandes = await withClient(adminDbUrls['droits-logement'], async (c) =>
        (await c.query(`SELECT count(*)::int AS n FROM (SELECT parcours_id FROM demande_logement_social WHERE parcours_id = ANY($1) GROUP BY parcours_id HAVING count(*) <> 1) x`, [demandeRace.map((p) => p.id)])).rows[0] as { n: number },
      );
      violations += moves.n + demandes.n;
      notes.push(`losers answered ${[...codes].join(', ')}`);
      return { recoveryMs: null, raceViolations: violations, notes };
    });

    }
    // --- The table ---------------------------------------------------------------------------
    const header = ['fault', 'acked', 'lost', 'doubled', 'hung>10s', 'retried', 'answer lost', 'unanswered', 'recovery', 'events', 'ev. lost', 'ev. dup>attempts', 'inconsistent', 'rule broken'];
    const rows = results.map((r) => [
      r.fault,
      String(r.writes.acked),
      String(r.writes.lost),
      String(r.writes.doubled),
      String(r.writes.hung),
      String(r.writes.retried),
      String(r.writes.answerLost),
      String(r.writes.unresolved),
      r.recoveryMs === null ? '—' : `${(r.recoveryMs / 1000).toFixed(1)} s`,
      String(r.webhooks.events),
      String(r.webhooks.lost),
      String(r.webhooks.duplicatedBeyondAtLeastOnce),
      String(r.inconsistent),
      String(r.raceViolations),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    log('');
    log(line(header));
    log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const row of rows) log(line(row));
    log('');
    for (const r of results) for (const note of r.notes) log(`  ${r.fault}: ${note}`);
    failed = results.some((r) => r.writes.lost > 0 || r.writes.doubled > 0 || r.writes.unresolved > 0 || r.inconsistent > 0 || r.webhooks.lost > 0 || r.webhooks.duplicatedBeyondAtLeastOnce > 0 || r.raceViolations > 0);
    log(failed ? '\nFAILED: a write was lost, doubled or never answered, an event lost or duplicated, or a rule broken.' : '\nOK: 0 lost, 0 doubled, 0 inconsistent for every fault.');

    // --- The soak ------------------------------------------------------------------------------
    if (SOAK) {
      log(`\nSoak: ${SOAK_MINUTES} minutes of steady load; resident memory of each process after the first minute and at the end.`);
      const watched = ['gateway', ...SUBGRAPH_NAMES] as const;
      const samples = new Map<string, { at: number; kb: number }[]>(watched.map((n) => [n, []]));
      const started = Date.now();
      const load = new WriteLoad(gatewayUrl, writers, fixture, { kinds: ['atelier', 'contrat', 'demarche'], paceMs: 150 });
      const readers = [0, 1].map(async (r) => {
        while (Date.now() - started < SOAK_MINUTES * 60_000) {
          await postGraphQL(gatewayUrl, { query: '{ parcoursListe(first: 20) { totalCount edges { node { id statut situationLogement { categorie } situationProfessionnelle { categorie } } } } }' }, { token: probeTokens.coordination, localAddress: `127.0.0.${60 + r}` });
          await sleep(200);
        }
      });
      while (Date.now() - started < SOAK_MINUTES * 60_000) {
        for (const n of watched) {
          const kb = svc(n).rssKb();
          if (kb !== null) samples.get(n)!.push({ at: Date.now() - started, kb });
        }
        await sleep(2000);
      }
      await Promise.all(readers);
      await load.stop();
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
      let soakFailed = false;
      log(`  ${'process'.padEnd(18)} ${'minute 2'.padStart(12)} ${'last minute'.padStart(12)} ${'change'.padStart(8)}`);
      for (const n of watched) {
        const s = samples.get(n)!;
        // Medians over a minute each (a sample every 2 s): the garbage collector's saw-tooth moves
        // the resident memory by tens of MB from one second to the next.
        const settled = median(s.filter((x) => x.at >= 60_000 && x.at < 120_000).map((x) => x.kb));
        const end = median(s.filter((x) => x.at >= (SOAK_MINUTES - 1) * 60_000).map((x) => x.kb));
        const change = settled ? ((end - settled) / settled) * 100 : 0;
        if (Math.abs(change) > 10) soakFailed = true;
        log(`  ${n.padEnd(18)} ${`${(settled / 1024).toFixed(0)} MB`.padStart(12)} ${`${(end / 1024).toFixed(0)} MB`.padStart(12)} ${`${change >= 0 ? '+' : ''}${change.toFixed(1)} %`.padStart(8)}`);
      }
      log(`  ${load.acked} writes acknowledged during the soak. Median resident memory of each minute (MB):`);
      for (const n of watched) {
        const s = samples.get(n)!;
        const perMinute = Array.from({ length: SOAK_MINUTES }, (_, m) => median(s.filter((x) => x.at >= m * 60_000 && x.at < (m + 1) * 60_000).map((x) => x.kb)));
        log(`  ${n.padEnd(18)} ${perMinute.map((kb) => String(Math.round(kb / 1024)).padStart(5)).join('')}`);
      }
      log(soakFailed ? 'SOAK FAILED: a process ended more than 10 % away from its memory after the first minute.' : 'Soak OK: every process within 10 % of its memory after the first minute.');
      failed ||= soakFailed;
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await cleanup();
    if (!failed) rmSync(work, { recursive: true, force: true });
    else process.stdout.write(`Logs kept under ${work}\n`);
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run faults failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
