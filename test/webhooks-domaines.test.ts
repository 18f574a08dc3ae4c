import { randomUUID } from 'node:crypto';
import { verifyWebhook, type WebhookBody } from '@agir/common';
import type { TokenClaims } from '../scripts/tokens';
import { startWebhookReceiver, type WebhookReceiver } from './fakes/webhook-receiver';
import { DL, REFERENT_DL, REFERENT_EF, seedDroitsLogement } from './support/droits-logement-fixture';
import { startTestHub, type GraphQLResult, type TestHub } from './support/hub';

/**
 * The domains' own webhook APIs, end to end: a member association of Droits & Logement (then of
 * Emploi & Formation) subscribes its tool through the gateway, its referent records a housing
 * entry (a work contract), and the domain subgraph's worker posts one signed LOGEMENT_ENTREE
 * (CONTRAT_SIGNE) to that tool and to no other structure's. The subscriptions and deliveries live
 * in the domain's own database; the refusals are typed.
 */

const PARCOURS = DL.contractualises[0]!.parcours;
const AUTRE_STRUCTURE = randomUUID();

/** The tools' tokens: one per structure, carrying the domain referent roles and no referent id. */
const OUTIL_AURORE: TokenClaims = { sub: 'outil-aurore', structure: DL.structure, roles: ['REFERENT_DROITS_LOGEMENT', 'REFERENT_EMPLOI_FORMATION'], departements: ['44'] };
const OUTIL_AUTRE: TokenClaims = { sub: 'outil-autre', structure: AUTRE_STRUCTURE, roles: ['REFERENT_DROITS_LOGEMENT', 'REFERENT_EMPLOI_FORMATION'], departements: ['44'] };
const COORDINATION: TokenClaims = { sub: 'coordination', structure: DL.structure, roles: ['COORDINATION'], departements: ['44'] };
const USERS = { outilAurore: OUTIL_AURORE, outilAutre: OUTIL_AUTRE, coordination: COORDINATION, referentDL: REFERENT_DL, referentEF: REFERENT_EF };

const API = {
  dl: {
    creer: `mutation($url: String!, $evenements: [String!]!) {
      creerAbonnementWebhookDroitsLogement(url: $url, evenements: $evenements) { secret abonnement { id url evenements actif } } }`,
    liste: `{ abonnementsWebhookDroitsLogement { id url evenements actif echecsConsecutifs } }`,
    livraisons: `query($statut: String) { livraisonsWebhookDroitsLogement(statut: $statut, limite: 10) { evenementId typeEvenement parcoursId abonnementId statut essais livreeLe } }`,
    reprendre: `mutation($id: ID!) { reprendreAbonnementWebhookDroitsLogement(id: $id) { id actif } }`,
  },
  ef: {
    creer: `mutation($url: String!, $evenements: [String!]!) {
      creerAbonnementWebhookEmploiFormation(url: $url, evenements: $evenements) { secret abonnement { id url evenements actif } } }`,
    liste: `{ abonnementsWebhookEmploiFormation { id url evenements actif echecsConsecutifs } }`,
    livraisons: `query($statut: String) { livraisonsWebhookEmploiFormation(statut: $statut, limite: 10) { evenementId typeEvenement parcoursId abonnementId statut essais livreeLe } }`,
    reprendre: `mutation($id: ID!) { reprendreAbonnementWebhookEmploiFormation(id: $id) { id actif } }`,
  },
};
const ENREGISTRER_LOGEMENT = `mutation($input: EnregistrerSituationLogementInput!) { enregistrerSituationLogement(input: $input) { id type categorie dateDebut } }`;
const AJOUTER_CONTRAT = `mutation($p: ID!, $i: ContratTravailInput!) { ajouterContratTravail(parcoursId: $p, input: $i) { id type dateDebut dateFin stabilisant } }`;

interface Livraison {
  evenementId: string;
  typeEvenement: string;
  parcoursId: string | null;
  abonnementId: string;
  statut: string;
  essais: number;
  livreeLe: string | null;
}
interface Creation {
  secret: string;
  abonnement: { id: string; url: string; evenements: string[]; actif: boolean };
}

let hub: TestHub;
const tokens = {} as Record<keyof typeof USERS, string>;
const as = (who: keyof typeof USERS) => ({ token: tokens[who] });
const ok = <T>(r: GraphQLResult<T>): T => {
  expect(r.errors).toBeUndefined();
  return r.data as T;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// One receiver per subscription: each verifies with its own secret, known once subscribed.
const receivers: Record<'aurore' | 'autre' | 'auroreEF' | 'autreEF', { options: { secret: string }; receiver?: WebhookReceiver }> = {
  aurore: { options: { secret: 'not-yet-subscribed' } },
  autre: { options: { secret: 'not-yet-subscribed' } },
  auroreEF: { options: { secret: 'not-yet-subscribed' } },
  autreEF: { options: { secret: 'not-yet-subscribed' } },
};
const receiver = (name: keyof typeof receivers) => receivers[name].receiver!;

beforeAll(async () => {
  hub = await startTestHub({ seed: seedDroitsLogement, webhooksWorker: { pollIntervalMs: 50, timeoutMs: 2000, leaseMs: 10_000 } });
  for (const entry of Object.values(receivers)) entry.receiver = await startWebhookReceiver(entry.options);
  for (const [k, claims] of Object.entries(USERS)) tokens[k as keyof typeof USERS] = await hub.token(claims);
});
afterAll(async () => {
  await hub?.stop();
  for (const entry of Object.values(receivers)) await entry.receiver?.close();
});

/** The delivery log until its first entry is DELIVERED (the worker polls every 50 ms). */
async function livraisonsLivrees(query: string, field: string, who: keyof typeof USERS): Promise<Livraison[]> {
  let livraisons: Livraison[] = [];
  for (let i = 0; i < 60; i++) {
    livraisons = ok(await hub.query<Record<string, Livraison[]>>(query, {}, as(who)))[field]!;
    if (livraisons[0]?.statut === 'DELIVERED') break;
    await sleep(50);
  }
  return livraisons;
}

describe('Droits & Logement: subscriptions of its member associations', () => {
  let abonnementId: string;
  let secret: string;

  it('refuses the roles of other domains, events it does not emit and bad URLs, each typed', async () => {
    const creer = (who: keyof typeof USERS, url: string, evenements: string[]) => hub.query(API.dl.creer, { url, evenements }, as(who));
    const url = receiver('aurore').url;

    for (const who of ['coordination', 'referentEF'] as const) {
      const refus = await creer(who, url, ['LOGEMENT_ENTREE']);
      expect(refus.errors?.map((e) => e.extensions)).toEqual([{ code: 'FORBIDDEN', requiredRoles: ['REFERENT_DROITS_LOGEMENT', 'ADMIN'], serviceName: 'droits-logement', requestId: expect.any(String) }]);
      expect((await hub.query(API.dl.liste, {}, as(who))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await hub.query(API.dl.livraisons, {}, as(who))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }

    const autreDomaine = await creer('outilAurore', url, ['LOGEMENT_ENTREE', 'CONTRAT_SIGNE', 'PARCOURS_ORIENTE']);
    expect(autreDomaine.errors).toHaveLength(1);
    expect(autreDomaine.errors![0]!.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'evenements',
      evenementsInconnus: ['CONTRAT_SIGNE', 'PARCOURS_ORIENTE'],
      evenementsPermis: ['LOGEMENT_ENTREE'],
      serviceName: 'droits-logement',
      requestId: expect.any(String),
    });
    expect(autreDomaine.errors![0]!.message).toMatch(/^Droits & Logement n'émet pas CONTRAT_SIGNE, PARCOURS_ORIENTE : abonnez-vous ici à LOGEMENT_ENTREE\./);
    expect(autreDomaine.errors![0]!.message).toContain('Emploi & Formation (creerAbonnementWebhookEmploiFormation)');
    const inconnu = await creer('outilAurore', url, ['LOGEMENT_PERDU']);
    expect(inconnu.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evenements', evenementsPermis: ['LOGEMENT_ENTREE'] });
    const vide = await creer('outilAurore', url, []);
    expect(vide.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evenements', evenementsPermis: ['LOGEMENT_ENTREE'] });

    for (const mauvaise of ['http://outil.example.org/agir', 'https://user:pw@outil.example.org/agir', 'pas une url']) {
      const refus = await creer('outilAurore', mauvaise, ['LOGEMENT_ENTREE']);
      expect(refus.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    }
    // Nothing of it was written.
    expect(await hub.subgraphs['droits-logement'].dataSource.query('SELECT count(*)::int AS n FROM webhook_subscription')).toEqual([{ n: 0 }]);
  });

  it("a member association subscribes its tool through the gateway, in the domain's own database", async () => {
    const data = ok(await hub.query<{ creerAbonnementWebhookDroitsLogement: Creation }>(API.dl.creer, { url: receiver('aurore').url, evenements: ['LOGEMENT_ENTREE'] }, as('outilAurore')));
    secret = data.creerAbonnementWebhookDroitsLogement.secret;
    abonnementId = data.creerAbonnementWebhookDroitsLogement.abonnement.id;
    receivers.aurore.options.secret = secret;
    expect(secret).toMatch(/^whsec_/);
    expect(data.creerAbonnementWebhookDroitsLogement.abonnement).toEqual({ id: abonnementId, url: receiver('aurore').url, evenements: ['LOGEMENT_ENTREE'], actif: true });

    // Another member association subscribes its own tool to the same event.
    const autre = ok(await hub.query<{ creerAbonnementWebhookDroitsLogement: Creation }>(API.dl.creer, { url: receiver('autre').url, evenements: ['LOGEMENT_ENTREE'] }, as('outilAutre')));
    receivers.autre.options.secret = autre.creerAbonnementWebhookDroitsLogement.secret;

    // Each structure lists its own, never with the secret; the referent of the same structure sees it too.
    const attendu = [{ id: abonnementId, url: receiver('aurore').url, evenements: ['LOGEMENT_ENTREE'], actif: true, echecsConsecutifs: 0 }];
    expect(ok(await hub.query(API.dl.liste, {}, as('outilAurore')))).toEqual({ abonnementsWebhookDroitsLogement: attendu });
    expect(ok(await hub.query(API.dl.liste, {}, as('referentDL')))).toEqual({ abonnementsWebhookDroitsLogement: attendu });
    expect(ok(await hub.query<{ abonnementsWebhookDroitsLogement: { id: string }[] }>(API.dl.liste, {}, as('outilAutre'))).abonnementsWebhookDroitsLogement.map((a) => a.id)).toEqual([
      autre.creerAbonnementWebhookDroitsLogement.abonnement.id,
    ]);

    // Stored by Droits & Logement; Coordination holds no subscription and lists none.
    expect(await hub.subgraphs['droits-logement'].dataSource.query('SELECT structure_id, event_types FROM webhook_subscription ORDER BY created_at')).toEqual([
      { structure_id: DL.structure, event_types: ['LOGEMENT_ENTREE'] },
      { structure_id: AUTRE_STRUCTURE, event_types: ['LOGEMENT_ENTREE'] },
    ]);
    expect(await hub.subgraphs.coordination.dataSource.query('SELECT count(*)::int AS n FROM webhook_subscription')).toEqual([{ n: 0 }]);
    expect(ok(await hub.query(`{ abonnementsWebhook { id } }`, {}, as('coordination')))).toEqual({ abonnementsWebhook: [] });

    // A structure cannot resume another's subscription: it does not exist for it.
    const etrangere = await hub.query(API.dl.reprendre, { id: abonnementId }, as('outilAutre'));
    expect(etrangere.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(ok(await hub.query(API.dl.reprendre, { id: abonnementId }, as('outilAurore')))).toEqual({ reprendreAbonnementWebhookDroitsLogement: { id: abonnementId, actif: true } });
  });

  it('a housing entry recorded through the gateway reaches the accompanying structure, signed, and no other', async () => {
    const entree = ok(await hub.query<{ enregistrerSituationLogement: { id: string } }>(
      ENREGISTRER_LOGEMENT,
      { input: { parcoursId: PARCOURS, type: 'RESIDENCE_SOCIALE', communeInsee: '44143', dateDebut: '2025-03-01' } },
      as('referentDL'),
    ));
    await receiver('aurore').waitForRequests(1, 5000);
    const [requete] = receiver('aurore').requests;
    expect(requete!.eventType).toBe('LOGEMENT_ENTREE');
    expect(requete!.verification.ok).toBe(true);
    expect(verifyWebhook(secret, requete!.signature, requete!.rawBody).ok).toBe(true);
    expect(JSON.parse(requete!.rawBody) as WebhookBody).toEqual({
      id: requete!.eventId,
      type: 'LOGEMENT_ENTREE',
      occurredAt: expect.any(String),
      parcoursId: PARCOURS,
      data: {
        parcoursId: PARCOURS,
        statut: 'CONTRACTUALISE',
        situationLogementId: entree.enregistrerSituationLogement.id,
        type: 'RESIDENCE_SOCIALE',
        categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE',
        communeInsee: '44143',
        dateDebut: '2025-03-01',
        dateFin: null,
      },
    });
    // Ids and codes only: no name of the person, nor the commune's name.
    for (const absent of ['Personne0', 'Rezé']) expect(requete!.rawBody).not.toContain(absent);

    // The other association, subscribed to the same event, accompanies no one here: nothing for it.
    await sleep(400);
    expect(receiver('aurore').requests).toHaveLength(1);
    expect(receiver('autre').requests).toHaveLength(0);
    expect(await hub.subgraphs['droits-logement'].dataSource.query(
      'SELECT s.structure_id, count(d.id)::int AS n FROM webhook_subscription s LEFT JOIN webhook_delivery d ON d.subscription_id = s.id GROUP BY 1 ORDER BY 2 DESC',
    )).toEqual([{ structure_id: DL.structure, n: 1 }, { structure_id: AUTRE_STRUCTURE, n: 0 }]);
  });

  it('the delivery log is readable by the subscribing structure only', async () => {
    const livraisons = await livraisonsLivrees(API.dl.livraisons, 'livraisonsWebhookDroitsLogement', 'outilAurore');
    expect(livraisons).toEqual([
      { evenementId: receiver('aurore').requests[0]!.eventId, typeEvenement: 'LOGEMENT_ENTREE', parcoursId: PARCOURS, abonnementId, statut: 'DELIVERED', essais: 1, livreeLe: expect.any(String) },
    ]);
    expect(ok(await hub.query(API.dl.livraisons, { statut: 'DEAD' }, as('outilAurore')))).toEqual({ livraisonsWebhookDroitsLogement: [] });
    expect(ok(await hub.query(API.dl.livraisons, {}, as('outilAutre')))).toEqual({ livraisonsWebhookDroitsLogement: [] });
    expect((await hub.query(API.dl.livraisons, { statut: 'LIVREE' }, as('outilAurore'))).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'statut' });
    // Coordination's log is its own, and empty.
    expect(ok(await hub.query(`{ livraisonsWebhook { id } }`, {}, as('coordination')))).toEqual({ livraisonsWebhook: [] });
  });
});

describe('Emploi & Formation: subscriptions of its member associations', () => {
  let abonnementId: string;
  let secret: string;

  it('refuses the roles of other domains and events it does not emit', async () => {
    for (const who of ['coordination', 'referentDL'] as const) {
      const refus = await hub.query(API.ef.creer, { url: receiver('auroreEF').url, evenements: ['CONTRAT_SIGNE'] }, as(who));
      expect(refus.errors?.map((e) => e.extensions)).toEqual([{ code: 'FORBIDDEN', requiredRoles: ['REFERENT_EMPLOI_FORMATION', 'ADMIN'], serviceName: 'emploi-formation', requestId: expect.any(String) }]);
    }
    const refus = await hub.query(API.ef.creer, { url: receiver('auroreEF').url, evenements: ['LOGEMENT_ENTREE'] }, as('outilAurore'));
    expect(refus.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'evenements', evenementsInconnus: ['LOGEMENT_ENTREE'], evenementsPermis: ['CONTRAT_SIGNE'], serviceName: 'emploi-formation', requestId: expect.any(String) });
    expect(refus.errors?.[0]?.message).toMatch(/^Emploi & Formation n'émet pas LOGEMENT_ENTREE : abonnez-vous ici à CONTRAT_SIGNE\./);
    const url = await hub.query(API.ef.creer, { url: 'ftp://outil.example.org/agir', evenements: ['CONTRAT_SIGNE'] }, as('outilAurore'));
    expect(url.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
  });

  it('a contract recorded through the gateway reaches the accompanying structure, signed, and no other', async () => {
    const data = ok(await hub.query<{ creerAbonnementWebhookEmploiFormation: Creation }>(API.ef.creer, { url: receiver('auroreEF').url, evenements: ['CONTRAT_SIGNE'] }, as('outilAurore')));
    secret = data.creerAbonnementWebhookEmploiFormation.secret;
    abonnementId = data.creerAbonnementWebhookEmploiFormation.abonnement.id;
    receivers.auroreEF.options.secret = secret;
    const autre = ok(await hub.query<{ creerAbonnementWebhookEmploiFormation: Creation }>(API.ef.creer, { url: receiver('autreEF').url, evenements: ['CONTRAT_SIGNE'] }, as('outilAutre')));
    receivers.autreEF.options.secret = autre.creerAbonnementWebhookEmploiFormation.secret;
    expect(await hub.subgraphs['emploi-formation'].dataSource.query('SELECT structure_id, event_types FROM webhook_subscription ORDER BY created_at')).toEqual([
      { structure_id: DL.structure, event_types: ['CONTRAT_SIGNE'] },
      { structure_id: AUTRE_STRUCTURE, event_types: ['CONTRAT_SIGNE'] },
    ]);

    const contrat = ok(await hub.query<{ ajouterContratTravail: { id: string } }>(
      AJOUTER_CONTRAT,
      { p: PARCOURS, i: { type: 'CDI', employeur: 'Clinique du Parc', codeRome: 'J1301', dateDebut: '2025-04-01', dateFin: null, tempsTravail: 'TEMPS_PLEIN' } },
      as('referentEF'),
    ));
    await receiver('auroreEF').waitForRequests(1, 5000);
    const [requete] = receiver('auroreEF').requests;
    expect(requete!.eventType).toBe('CONTRAT_SIGNE');
    expect(verifyWebhook(secret, requete!.signature, requete!.rawBody).ok).toBe(true);
    expect(JSON.parse(requete!.rawBody) as WebhookBody).toEqual({
      id: requete!.eventId,
      type: 'CONTRAT_SIGNE',
      occurredAt: expect.any(String),
      parcoursId: PARCOURS,
      data: {
        parcoursId: PARCOURS,
        contratId: contrat.ajouterContratTravail.id,
        type: 'CDI',
        codeRome: 'J1301',
        categorie: 'EMPLOI_DURABLE',
        stabilisant: true,
        tempsTravail: 'TEMPS_PLEIN',
        dateDebut: '2025-04-01',
        dateFin: null,
      },
    });
    // Not the employer's name, nor anything of the person.
    for (const absent of ['Clinique du Parc', 'Personne0']) expect(requete!.rawBody).not.toContain(absent);

    await sleep(400);
    expect(receiver('auroreEF').requests).toHaveLength(1);
    expect(receiver('autreEF').requests).toHaveLength(0);
    // The housing tool heard nothing of the contract either.
    expect(receiver('aurore').requests).toHaveLength(1);
  });

  it('the delivery log is readable by the subscribing structure only', async () => {
    const livraisons = await livraisonsLivrees(API.ef.livraisons, 'livraisonsWebhookEmploiFormation', 'outilAurore');
    expect(livraisons).toEqual([
      { evenementId: receiver('auroreEF').requests[0]!.eventId, typeEvenement: 'CONTRAT_SIGNE', parcoursId: PARCOURS, abonnementId, statut: 'DELIVERED', essais: 1, livreeLe: expect.any(String) },
    ]);
    expect(ok(await hub.query(API.ef.livraisons, {}, as('outilAutre')))).toEqual({ livraisonsWebhookEmploiFormation: [] });
    // Each domain's log holds its own deliveries only.
    expect(ok(await hub.query<{ livraisonsWebhookDroitsLogement: Livraison[] }>(API.dl.livraisons, {}, as('outilAurore'))).livraisonsWebhookDroitsLogement.map((l) => l.typeEvenement)).toEqual(['LOGEMENT_ENTREE']);
  });
});
