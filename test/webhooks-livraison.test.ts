import { verifyWebhook, type WebhookBody } from '@agir/common';
import { startWebhookReceiver, type WebhookReceiver } from './fakes/webhook-receiver';
import { PERSONNE, REF, SITUATION, USERS, seedReference } from './support/coordination-fixtures';
import { COORDINATOR, startTestHub, type GraphQLResult, type TestHub } from './support/hub';

/**
 * End to end: a member tool subscribes through the gateway, the OFII orients a person, and the
 * Coordination subgraph's delivery worker posts exactly one signed PARCOURS_ORIENTE to the tool;
 * refused mutations (rolled back) announce nothing; the delivery log shows it DELIVERED.
 */

const ORIENTER = `mutation($input: OrientationOfiiInput!) { orienterParOfii(input: $input) { id statut } }`;
const CONTRAT = `mutation($id: ID!, $c: ContratInput!) { contractualiser(parcoursId: $id, contrat: $c) { statut } }`;
const ABONNER = `mutation($url: String!, $evenements: [String!]!) {
  creerAbonnementWebhook(url: $url, evenements: $evenements) { secret abonnement { id url evenements actif } } }`;
const ABONNEMENTS = `{ abonnementsWebhook { id url evenements actif echecsConsecutifs } }`;
const LIVRAISONS = `query($statut: String) { livraisonsWebhook(statut: $statut, limite: 10) { id evenementId typeEvenement parcoursId abonnementId statut essais livreeLe } }`;

interface Livraison {
  id: string;
  evenementId: string;
  typeEvenement: string;
  parcoursId: string | null;
  abonnementId: string;
  statut: string;
  essais: number;
  livreeLe: string | null;
}

let hub: TestHub;
let receiver: WebhookReceiver;
// The receiver reads the secret on each request: it is known only once the subscription exists.
const receiverOptions = { secret: 'not-yet-subscribed' };
const tokens: Record<keyof typeof USERS, string> = {} as never;
const as = (who: keyof typeof USERS) => ({ token: tokens[who] });
const ok = <T>(r: GraphQLResult<T>): T => {
  expect(r.errors).toBeUndefined();
  return r.data as T;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  hub = await startTestHub({ seed: seedReference, webhooksWorker: { pollIntervalMs: 50, timeoutMs: 2000, leaseMs: 10_000 } });
  receiver = await startWebhookReceiver(receiverOptions);
  for (const [k, claims] of Object.entries(USERS)) tokens[k as keyof typeof USERS] = await hub.token(claims);
});
afterAll(async () => {
  await hub?.stop();
  await receiver?.close();
});

describe('webhooks delivered by the subgraphs', () => {
  let secret: string;
  let abonnementId: string;
  let parcoursId: string;

  it('a member tool subscribes its structure through the gateway, and gets the secret once', async () => {
    // Not a role that may subscribe, nor an event Coordination does not emit.
    const interdit = await hub.query(ABONNER, { url: receiver.url, evenements: ['PARCOURS_ORIENTE'] }, as('ofii'));
    expect(interdit.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const domaine = await hub.query(ABONNER, { url: receiver.url, evenements: ['LOGEMENT_ENTREE'] }, as('coordination44'));
    expect(domaine.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evenements' });

    const data = ok(
      await hub.query<{ creerAbonnementWebhook: { secret: string; abonnement: { id: string; url: string; evenements: string[]; actif: boolean } } }>(
        ABONNER,
        { url: receiver.url, evenements: ['PARCOURS_ORIENTE', 'PARCOURS_CONTRACTUALISE'] },
        as('coordination44'),
      ),
    );
    secret = data.creerAbonnementWebhook.secret;
    abonnementId = data.creerAbonnementWebhook.abonnement.id;
    receiverOptions.secret = secret;
    expect(secret).toMatch(/^whsec_/);
    expect(data.creerAbonnementWebhook.abonnement).toEqual({ id: abonnementId, url: receiver.url, evenements: ['PARCOURS_CONTRACTUALISE', 'PARCOURS_ORIENTE'], actif: true });
    // Listed for the caller's structure, never with the secret.
    const liste = ok(await hub.query<{ abonnementsWebhook: unknown[] }>(ABONNEMENTS, {}, as('coordination85')));
    expect(liste.abonnementsWebhook).toEqual([{ id: abonnementId, url: receiver.url, evenements: ['PARCOURS_CONTRACTUALISE', 'PARCOURS_ORIENTE'], actif: true, echecsConsecutifs: 0 }]);
  });

  it('an OFII orientation is delivered once, signed, with the parcours id and no identity', async () => {
    const convocation = { siteId: REF.site44, date: '2025-01-20', heure: '09:30', contenu: "Convocation à l'entretien diagnostic AGIR." };
    const data = ok(await hub.query<{ orienterParOfii: { id: string; statut: string } }>(
      ORIENTER,
      { input: { dateSignatureCir: '2025-01-06', beneficiaire: PERSONNE, situation: SITUATION, convocation } },
      as('ofii'),
    ));
    parcoursId = data.orienterParOfii.id;
    await receiver.waitForRequests(1, 5000);

    const [requete] = receiver.requests;
    expect(requete!.eventType).toBe('PARCOURS_ORIENTE');
    expect(requete!.verification.ok).toBe(true);
    expect(verifyWebhook(secret, requete!.signature, requete!.rawBody).ok).toBe(true);
    const body = JSON.parse(requete!.rawBody) as WebhookBody;
    expect(body).toMatchObject({
      id: requete!.eventId,
      type: 'PARCOURS_ORIENTE',
      parcoursId,
      data: { parcoursId, statut: 'CONVOQUE', canalOrientation: 'OFII', dateOrientation: '2025-01-06', departement: '44', siteId: REF.site44 },
    });
    // Ids and codes only: nothing of the person's identity leaves in a webhook.
    for (const identite of [PERSONNE.nom, PERSONNE.prenom, PERSONNE.dateNaissance]) expect(requete!.rawBody).not.toContain(identite);
  });

  it('refused mutations (rolled back) announce nothing', async () => {
    // An orientation refused before its transaction, and a contract refused inside it.
    const refusee = await hub.query(ORIENTER, {
      input: { dateSignatureCir: '2025-01-06', beneficiaire: PERSONNE, situation: SITUATION, convocation: { siteId: REF.site44, date: '2025-03-01', heure: '09:30', contenu: 'Trop tard.' } },
    }, as('ofii'));
    expect(refusee.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const contrat = await hub.query(CONTRAT, { id: parcoursId, c: { dateSignature: '2025-01-21', plan: [{ axe: 'EMPLOI', objectifs: ['CDI'] }] } }, as('coordination44'));
    expect(contrat.errors?.[0]?.extensions?.code).toBe('TRANSITION_INVALIDE');

    // Several rounds of the worker (50 ms apart) later, still the one request and the one event.
    await sleep(400);
    expect(receiver.requests).toHaveLength(1);
    const events = (await hub.subgraphs.coordination.dataSource.query('SELECT type, parcours_id FROM outbox_event')) as { type: string; parcours_id: string }[];
    expect(events).toEqual([{ type: 'PARCOURS_ORIENTE', parcours_id: parcoursId }]);
  });

  it('livraisonsWebhook lists the delivery as DELIVERED', async () => {
    let livraisons: Livraison[] = [];
    for (let i = 0; i < 40; i++) {
      livraisons = ok(await hub.query<{ livraisonsWebhook: Livraison[] }>(LIVRAISONS, {}, as('coordination44'))).livraisonsWebhook;
      if (livraisons[0]?.statut === 'DELIVERED') break;
      await sleep(50);
    }
    expect(livraisons).toEqual([
      {
        id: expect.any(String),
        evenementId: receiver.requests[0]!.eventId,
        typeEvenement: 'PARCOURS_ORIENTE',
        parcoursId,
        abonnementId,
        statut: 'DELIVERED',
        essais: 1,
        livreeLe: expect.any(String),
      },
    ]);
    const filtrees = ok(await hub.query<{ livraisonsWebhook: Livraison[] }>(LIVRAISONS, { statut: 'DEAD' }, as('coordination44'))).livraisonsWebhook;
    expect(filtrees).toEqual([]);
    // Another structure sees none of it.
    const ofii = await hub.query(LIVRAISONS, {}, as('ofii'));
    expect(ofii.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("a structure hears only of its own départements' parcours", async () => {
    // Aurore works in 44 only: its tool subscribes to the same event; an orientation in 85 reaches
    // Groupe SOS (44 and 85), not Aurore.
    const aurore = await hub.token({ ...COORDINATOR, sub: 'outil-aurore', structure: REF.aurore, departements: ['44'] });
    ok(await hub.query(ABONNER, { url: receiver.url, evenements: ['PARCOURS_ORIENTE'] }, { token: aurore }));
    const convocation = { siteId: REF.site85, date: '2025-01-20', heure: '10:00', contenu: "Convocation à l'entretien diagnostic AGIR." };
    ok(await hub.query(ORIENTER, { input: { dateSignatureCir: '2025-01-06', beneficiaire: { ...PERSONNE, nom: 'Autre' }, situation: SITUATION, convocation } }, as('ofii')));
    await receiver.waitForRequests(2, 5000);
    await sleep(400);
    expect(receiver.requests).toHaveLength(2);
    expect(JSON.parse(receiver.requests[1]!.rawBody)).toMatchObject({ type: 'PARCOURS_ORIENTE', data: { departement: '85' } });
    expect(ok(await hub.query<{ livraisonsWebhook: Livraison[] }>(LIVRAISONS, {}, { token: aurore })).livraisonsWebhook).toEqual([]);
  });
});
