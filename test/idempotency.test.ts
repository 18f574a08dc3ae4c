import { randomUUID } from 'node:crypto';
import { purgeIdempotencyKeys } from '@agir/common';
import { efFixture, efTokens, seedCoordinationEF } from './support/emploi-formation-fixtures';
import { startTestHub, type GraphQLResult, type TestHub } from './support/hub';

/**
 * Idempotent mutations through the gateway, in Coordination and in a domain: the same
 * `Idempotency-Key` with the same input answers the first answer and writes once (retried one
 * after the other, or sent twice at once); the same key with another input is refused with
 * CLE_IDEMPOTENCE_REUTILISEE and writes nothing; a refused write keeps no key; keys are per
 * caller; a malformed key is refused; keys older than the retention are purged, never younger.
 */
const f = efFixture();
const P = randomUUID();

let hub: TestHub;
let tokens: Awaited<ReturnType<typeof efTokens>>;

beforeAll(async () => {
  hub = await startTestHub({
    seed: (dbs) => seedCoordinationEF(dbs.coordination, f, [{ id: P, statut: 'CONTRACTUALISE', nom: 'P.', dateOrientation: '2024-01-10' }]),
  });
  tokens = await efTokens(hub, f);
});
afterAll(async () => {
  await hub?.stop();
});

const CONTRAT = `mutation($p: ID!, $i: ContratTravailInput!) { ajouterContratTravail(parcoursId: $p, input: $i) { id type dateDebut dateFin } }`;
const ATELIER = `mutation($i: AtelierInput!) { enregistrerAtelier(input: $i) { id date theme intitule participants { id } } }`;
const cdd = (dateDebut: string, dateFin: string) => ({ type: 'CDD', employeur: 'Clinique du Parc', codeRome: 'J1301', dateDebut, dateFin, tempsTravail: 'TEMPS_PLEIN' });
const atelier = (intitule: string) => ({ date: '2024-03-12', siteId: f.site, theme: 'NUMERIQUE', intitule, participantIds: [P] });

const contrats = async () => Number(((await hub.subgraphs['emploi-formation'].dataSource.query('SELECT count(*) AS n FROM contrat_travail')) as { n: string }[])[0]!.n);
const ateliers = async () => Number(((await hub.subgraphs.coordination.dataSource.query('SELECT count(*) AS n FROM atelier')) as { n: string }[])[0]!.n);
const avecCle = (token: string, cle: string) => ({ token, headers: { 'idempotency-key': cle } });
const codes = (r: GraphQLResult<unknown>) => (r.errors ?? []).map((e) => e.extensions?.code);

describe('a retried mutation with its key writes once', () => {
  it('Emploi & Formation: the retry answers the first contract, and the table holds one', async () => {
    const cle = randomUUID();
    const avant = await contrats();
    const premier = await hub.query<{ ajouterContratTravail: { id: string } }>(CONTRAT, { p: P, i: cdd('2024-02-01', '2024-05-31') }, avecCle(tokens.referent, cle));
    expect(premier.errors).toBeUndefined();
    const retry = await hub.query(CONTRAT, { p: P, i: cdd('2024-02-01', '2024-05-31') }, avecCle(tokens.referent, cle));
    expect(retry).toEqual(premier);
    expect(await contrats()).toBe(avant + 1);
    // Without a key, the same mutation is a new write, as before.
    const sansCle = await hub.query<{ ajouterContratTravail: { id: string } }>(CONTRAT, { p: P, i: cdd('2024-02-01', '2024-05-31') }, { token: tokens.referent });
    expect(sansCle.data?.ajouterContratTravail.id).not.toBe(premier.data?.ajouterContratTravail.id);
    expect(await contrats()).toBe(avant + 2);
  });

  it('Coordination: a workshop sent twice at once with one key is written once, and both answers are the first', async () => {
    const cle = randomUUID();
    const avant = await ateliers();
    const [a, b] = await Promise.all([
      hub.query(ATELIER, { i: atelier('Démarches en ligne') }, avecCle(tokens.coordination, cle)),
      hub.query(ATELIER, { i: atelier('Démarches en ligne') }, avecCle(tokens.coordination, cle)),
    ]);
    expect(a.errors).toBeUndefined();
    expect(b).toEqual(a);
    expect(await ateliers()).toBe(avant + 1);
    // The key is stored with its caller and the first answer, in the subgraph that wrote.
    const rows = (await hub.subgraphs.coordination.dataSource.query('SELECT caller, reponse FROM idempotency_key WHERE cle = $1', [cle])) as { caller: string; reponse: unknown }[];
    expect(rows).toEqual([{ caller: 'coord', reponse: { data: expect.objectContaining({ enregistrerAtelier: expect.objectContaining({ intitule: 'Démarches en ligne' }) }) } }]);
  });
});

describe('refusals', () => {
  it('the same key with another input is refused, typed, and writes nothing', async () => {
    const cle = randomUUID();
    const premier = await hub.query(ATELIER, { i: atelier('Créer son adresse électronique') }, avecCle(tokens.coordination, cle));
    expect(premier.errors).toBeUndefined();
    const avant = await ateliers();
    const autre = await hub.query(ATELIER, { i: atelier('Un autre atelier') }, avecCle(tokens.coordination, cle));
    expect(autre.data ?? null).toBeNull();
    expect(autre.errors).toHaveLength(1);
    expect(autre.errors![0]!.extensions).toMatchObject({ code: 'CLE_IDEMPOTENCE_REUTILISEE', field: 'Idempotency-Key' });
    expect(autre.errors![0]!.message).toContain(cle);
    expect(autre.errors![0]!.message).toContain('nouvelle clé');
    // Another mutation entirely, with that key, is refused too.
    const contrat = await hub.query(CONTRAT, { p: P, i: cdd('2024-06-01', '2024-06-30') }, avecCle(tokens.coordination, cle));
    expect(contrat.data ?? null).toBeNull();
    expect(await ateliers()).toBe(avant);
    // The first answer still answers its own input.
    expect(await hub.query(ATELIER, { i: atelier('Créer son adresse électronique') }, avecCle(tokens.coordination, cle))).toEqual(premier);
  });

  it('a refused write keeps no key: the corrected input may reuse it', async () => {
    const cle = randomUUID();
    const avant = await contrats();
    const refus = await hub.query(CONTRAT, { p: P, i: cdd('2024-08-01', '2024-07-01') }, avecCle(tokens.referent, cle));
    expect(codes(refus)).toEqual(['BAD_USER_INPUT']);
    expect(await hub.subgraphs['emploi-formation'].dataSource.query('SELECT 1 FROM idempotency_key WHERE cle = $1', [cle])).toEqual([]);
    const corrige = await hub.query(CONTRAT, { p: P, i: cdd('2024-07-01', '2024-08-01') }, avecCle(tokens.referent, cle));
    expect(corrige.errors).toBeUndefined();
    expect(await contrats()).toBe(avant + 1);
  });

  it('a key whose write committed but whose answer was never stored (the process died in between) says so, and writes nothing', async () => {
    const cle = randomUUID();
    const premier = await hub.query(ATELIER, { i: atelier('Sans réponse') }, avecCle(tokens.coordination, cle));
    expect(premier.errors).toBeUndefined();
    await hub.subgraphs.coordination.dataSource.query('UPDATE idempotency_key SET reponse = NULL, answered_at = NULL WHERE cle = $1', [cle]);
    const avant = await ateliers();
    const retry = await hub.query(ATELIER, { i: atelier('Sans réponse') }, avecCle(tokens.coordination, cle));
    expect(retry.data ?? null).toBeNull();
    expect(retry.errors).toHaveLength(1);
    expect(retry.errors![0]!.extensions).toMatchObject({ code: 'REPONSE_IDEMPOTENTE_INDISPONIBLE', field: 'Idempotency-Key', ecritureEnregistree: true });
    expect(retry.errors![0]!.message).toContain('relisez');
    expect(await ateliers()).toBe(avant);
  }, 20_000);

  it('a key whose write committed with an incomplete answer (a domain unavailable) says the write is made, at once, instead of replaying "retry later"', async () => {
    const cle = randomUUID();
    const premier = await hub.query(ATELIER, { i: atelier('Réponse incomplète') }, avecCle(tokens.coordination, cle));
    expect(premier.errors).toBeUndefined();
    const db = hub.subgraphs.coordination.dataSource;
    expect(await db.query('SELECT reponse_complete FROM idempotency_key WHERE cle = $1', [cle])).toEqual([{ reponse_complete: true }]);
    // As the answer stored when a field of the payload could not be read from another domain.
    await db.query(
      `UPDATE idempotency_key SET reponse = '{"data": null, "errors": [{"message": "Le domaine Coordination est indisponible", "extensions": {"code": "SUBGRAPH_UNAVAILABLE"}}]}', reponse_complete = false WHERE cle = $1`,
      [cle],
    );
    const avant = await ateliers();
    const started = Date.now();
    const retry = await hub.query(ATELIER, { i: atelier('Réponse incomplète') }, avecCle(tokens.coordination, cle));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(retry.data ?? null).toBeNull();
    expect(retry.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'REPONSE_IDEMPOTENTE_INDISPONIBLE', ecritureEnregistree: true })]);
    expect(retry.errors![0]!.message).toContain('incomplète');
    expect(await ateliers()).toBe(avant);
  });

  it('keys are per caller: another user’s same key is a write of its own', async () => {
    const cle = randomUUID();
    const avant = await ateliers();
    const moi = await hub.query<{ enregistrerAtelier: { id: string } }>(ATELIER, { i: atelier('Mobilité') }, avecCle(tokens.coordination, cle));
    const autreCoordination = await hub.token({ sub: 'coord-2', structure: f.structure, departements: ['44'], roles: ['COORDINATION'] });
    const lui = await hub.query<{ enregistrerAtelier: { id: string } }>(ATELIER, { i: atelier('Mobilité') }, avecCle(autreCoordination, cle));
    expect(lui.data?.enregistrerAtelier.id).not.toBe(moi.data?.enregistrerAtelier.id);
    expect(await ateliers()).toBe(avant + 2);
  });

  it('a malformed key is refused before anything is written', async () => {
    const avant = await ateliers();
    for (const cle of ['', 'avec espace', 'x'.repeat(256), 'clé']) {
      const r = await hub.query(ATELIER, { i: atelier('Numérique') }, avecCle(tokens.coordination, cle));
      expect(r.data ?? null).toBeNull();
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key' });
      expect(r.errors?.[0]?.message).toContain('UUID');
    }
    expect(await ateliers()).toBe(avant);
  });

  it('queries ignore the key', async () => {
    const r = await hub.query(`query($id: ID!) { parcours(id: $id) { id } }`, { id: P }, avecCle(tokens.coordination, 'lecture-1'));
    expect(r).toEqual({ data: { parcours: { id: P } } });
  });
});

describe('retention', () => {
  it('purges the keys older than the retention period, keeps the younger, and refuses less than 24 h', async () => {
    const db = hub.subgraphs.coordination.dataSource;
    await db.query(`INSERT INTO idempotency_key (caller, cle, empreinte, created_at) VALUES ('purge', 'vieille', 'x', now() - interval '25 hours'), ('purge', 'recente', 'x', now() - interval '23 hours')`);
    expect(await purgeIdempotencyKeys(db, 24)).toBe(1);
    expect(await db.query(`SELECT cle FROM idempotency_key WHERE caller = 'purge'`)).toEqual([{ cle: 'recente' }]);
    await expect(purgeIdempotencyKeys(db, 12)).rejects.toThrow('au moins 24 heures');
  });
});
