import { randomUUID } from 'node:crypto';
import { Structure } from '../subgraphs/coordination/src/entities';
import { FIXTURE, seedFixture } from './support/fixtures';
import { consentAll, COORDINATOR, startTestHub, type TestHub } from './support/hub';

/** A member association of 44 that does not coordinate: it must not hear of a grant. */
const ASSOCIATION_LOGEMENT = randomUUID();

const MOTIF = "Hébergement d'urgence la nuit, référente absente";

const JOURNAL = `query($id: ID!) {
  journalAcces(parcoursId: $id) {
    parcoursId departement
    coordination { ...entree }
    droitsLogement { ...entree }
    emploiFormation { ...entree }
    accesExceptionnels {
      id utilisateur motif structure
      lectures { operation action brisDeGlace }
      revue { revuePar conclusion commentaire }
    }
  }
}
fragment entree on EntreeJournal { utilisateur roles operation action champs autorise via brisDeGlace motifRefus }`;

const OUVRIR = `mutation($id: ID!, $motif: String!) { ouvrirAccesExceptionnel(parcoursId: $id, motif: $motif) { id parcoursId expireLe } }`;
const REVISER = `mutation($id: ID!, $conclusion: ConclusionRevue!, $commentaire: String) {
  reviserAccesExceptionnel(id: $id, conclusion: $conclusion, commentaire: $commentaire) { id revue { revuePar nomRevuePar conclusion commentaire } }
}`;
const A_REVISER = `query($aReviser: Boolean) { accesExceptionnels(departement: "44", aReviser: $aReviser) { id parcoursId utilisateur motif revue { conclusion } lectures { operation action } } }`;

interface Entree {
  utilisateur: string;
  operation: string;
  action: string;
  champs: string[];
  via: string | null;
  brisDeGlace: boolean;
}

/**
 * The data-protection officer's view through the gateway: the whole audit trail of one parcours
 * across the three subgraphs in one query, the break-the-glass grants (announced, listed until
 * reviewed, reviewed once by someone else than the grantee), and every refusal typed and writing
 * nothing.
 */
describe("the data-protection officer's view of the audit trail", () => {
  let hub: TestHub;
  const tokens: Record<string, string> = {};
  const audit = (sql: string, params: unknown[]) =>
    Promise.all(Object.values(hub.subgraphs).map((s) => s.dataSource.query(sql, params) as Promise<Record<string, unknown>[]>));

  beforeAll(async () => {
    hub = await startTestHub({
      async seed(dbs) {
        await seedFixture(dbs);
        await consentAll(dbs.coordination);
        await dbs.coordination.getRepository(Structure).insert({ id: ASSOCIATION_LOGEMENT, nom: 'Association logement 44', domaines: ['DROITS_LOGEMENT'], departements: ['44'], membreGroupement: true });
      },
    });
    tokens.dpo44 = await hub.token({ ...COORDINATOR, sub: 'dpo-44', name: 'DPO 44', roles: ['DPO'], departements: ['44'] });
    tokens.dpo85 = await hub.token({ ...COORDINATOR, sub: 'dpo-85', name: 'DPO 85', roles: ['DPO'], departements: ['85'] });
    tokens.coordination44 = await hub.token({ ...COORDINATOR, sub: 'coord-44', structure: FIXTURE.structureSos, departements: ['44'] });
    tokens.coordination85 = await hub.token({ ...COORDINATOR, sub: 'coord-85', name: 'Coordination 85', departements: ['85'] });
    tokens.logement44 = await hub.token({ ...COORDINATOR, sub: 'logement-44', structure: ASSOCIATION_LOGEMENT, departements: ['44'] });
    tokens.analyste = await hub.token({ ...COORDINATOR, sub: 'analyste', roles: ['ANALYSTE'] });
    for (const who of ['coordination44', 'logement44']) {
      const abonnement = await hub.query(`mutation { creerAbonnementWebhook(url: "http://127.0.0.1:9/agir", evenements: ["ACCES_EXCEPTIONNEL_OUVERT"]) { abonnement { id } } }`, {}, { token: tokens[who] });
      expect(abonnement.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await hub?.stop();
  });

  async function ouvrir(parcoursId: string): Promise<string> {
    const grant = await hub.query<{ ouvrirAccesExceptionnel: { id: string } }>(OUVRIR, { id: parcoursId, motif: MOTIF }, { token: tokens.coordination85 });
    expect(grant.errors).toBeUndefined();
    return grant.data!.ouvrirAccesExceptionnel.id;
  }

  it('reads, as the DPO, the whole audit of one parcours across the three subgraphs in one query, a break-the-glass access and its review included', async () => {
    // A coordinator of 85 breaks the glass on a 44 parcours and reads it, domains included.
    const grantId = await ouvrir(FIXTURE.amina.parcours);
    const read = await hub.query(`query($id: ID!) { parcours(id: $id) { beneficiaire { nom } situationLogement { categorie } langue { niveauCecrl } } }`, { id: FIXTURE.amina.parcours }, { token: tokens.coordination85 });
    expect(read.errors).toBeUndefined();

    // The coordination of the parcours's département is told, in the grant's transaction; the
    // association that does not coordinate is not.
    const [event] = await hub.subgraphs.coordination.dataSource.query(`SELECT id, parcours_id, payload FROM outbox_event WHERE type = 'ACCES_EXCEPTIONNEL_OUVERT' AND payload->>'accesExceptionnelId' = $1`, [grantId]);
    expect(event.payload).toEqual({ accesExceptionnelId: grantId, parcoursId: FIXTURE.amina.parcours, departement: '44', utilisateur: 'coord-85', structure: COORDINATOR.structure, ouvertLe: expect.any(String), expireLe: expect.any(String) });
    const deliveries = await hub.subgraphs.coordination.dataSource.query(
      `SELECT s.structure_id FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id WHERE d.event_id = $1`, [event.id]);
    expect(deliveries).toEqual([{ structure_id: FIXTURE.structureSos }]);

    // The work list shows the grant until it is reviewed, to the DPO and to the coordination.
    for (const who of ['dpo44', 'coordination44']) {
      const workList = await hub.query(A_REVISER, { aReviser: true }, { token: tokens[who] });
      expect(workList).toEqual({ data: { accesExceptionnels: [{
        id: grantId, parcoursId: FIXTURE.amina.parcours, utilisateur: 'coord-85', motif: MOTIF, revue: null,
        lectures: [{ operation: 'BRIS_DE_GLACE', action: 'ouvrirAccesExceptionnel' }, { operation: 'LECTURE', action: 'lecture' }],
      }] } });
    }
    const review = await hub.query(REVISER, { id: grantId, conclusion: 'JUSTIFIE', commentaire: 'Mise à l’abri la nuit, coordination 44 injoignable.' }, { token: tokens.dpo44 });
    expect(review).toEqual({ data: { reviserAccesExceptionnel: { id: grantId, revue: { revuePar: 'dpo-44', nomRevuePar: 'DPO 44', conclusion: 'JUSTIFIE', commentaire: 'Mise à l’abri la nuit, coordination 44 injoignable.' } } } });
    expect((await hub.query(A_REVISER, { aReviser: true }, { token: tokens.dpo44 })).data).toEqual({ accesExceptionnels: [] });
    expect((await hub.query<{ accesExceptionnels: { id: string }[] }>(A_REVISER, { aReviser: false }, { token: tokens.dpo44 })).data?.accesExceptionnels.map((g) => g.id)).toEqual([grantId]);

    // One query, three subgraphs.
    const journal = await hub.query<{ journalAcces: { coordination: Entree[]; droitsLogement: Entree[]; emploiFormation: Entree[]; accesExceptionnels: unknown[] } }>(JOURNAL, { id: FIXTURE.amina.parcours }, { token: tokens.dpo44 });
    expect(journal.errors).toBeUndefined();
    const j = journal.data!.journalAcces;
    expect(j).toMatchObject({ parcoursId: FIXTURE.amina.parcours, departement: '44' });
    const sousAcces = { utilisateur: 'coord-85', autorise: true, via: 'BREAK_GLASS', brisDeGlace: true, operation: 'LECTURE', action: 'lecture', roles: ['COORDINATION'], motifRefus: null };
    expect(j.coordination).toEqual(expect.arrayContaining([
      expect.objectContaining({ utilisateur: 'coord-85', operation: 'BRIS_DE_GLACE', action: 'ouvrirAccesExceptionnel', champs: ['motif'], brisDeGlace: true }),
      { ...sousAcces, champs: ['Beneficiaire.nom', 'Parcours.beneficiaire'] },
      expect.objectContaining({ utilisateur: 'dpo-44', operation: 'LECTURE', action: 'accesExceptionnels', via: 'DPO', brisDeGlace: false }),
      expect.objectContaining({ utilisateur: 'dpo-44', operation: 'ECRITURE', action: 'reviserAccesExceptionnel', champs: ['conclusion'] }),
      // The change journal names the columns a write changed, never their values.
      expect.objectContaining({ utilisateur: 'dpo-44', operation: 'ECRITURE', action: 'update acces_exceptionnel', champs: ['commentaire', 'conclusion', 'revue_le', 'revue_par', 'revue_par_nom'] }),
    ]));
    expect(j.droitsLogement).toEqual(expect.arrayContaining([{ ...sousAcces, champs: expect.arrayContaining(['SituationLogement.categorie']) }]));
    expect(j.emploiFormation).toEqual(expect.arrayContaining([{ ...sousAcces, champs: expect.arrayContaining(['Langue.niveauCecrl']) }]));
    expect(j.accesExceptionnels).toEqual([{
      id: grantId, utilisateur: 'coord-85', motif: MOTIF, structure: COORDINATOR.structure,
      lectures: [{ operation: 'BRIS_DE_GLACE', action: 'ouvrirAccesExceptionnel', brisDeGlace: true }, { operation: 'LECTURE', action: 'lecture', brisDeGlace: true }],
      revue: { revuePar: 'dpo-44', conclusion: 'JUSTIFIE', commentaire: 'Mise à l’abri la nuit, coordination 44 injoignable.' },
    }]);
    // The audit, not the person: no value read is in the journal.
    expect(JSON.stringify(journal)).not.toMatch(/Haidari|LOGEMENT_ACCOMPAGNE_ADAPTE|"A2"/);

    // The DPO's own reading is in the audit trail of each subgraph that answered.
    const ownRead = await audit(`SELECT operation, action, fields, allowed, via, roles FROM audit_log WHERE user_id = 'dpo-44' AND action = 'journalAcces' AND parcours_id = $1`, [FIXTURE.amina.parcours]);
    expect(ownRead).toEqual([
      [{ operation: 'READ', action: 'journalAcces', fields: ['Query.journalAcces'], allowed: true, via: 'DPO', roles: ['DPO'] }],
      [{ operation: 'READ', action: 'journalAcces', fields: ['JournalAcces.droitsLogement'], allowed: true, via: 'DPO', roles: ['DPO'] }],
      [{ operation: 'READ', action: 'journalAcces', fields: ['JournalAcces.emploiFormation'], allowed: true, via: 'DPO', roles: ['DPO'] }],
    ]);
    // Read again, the journal shows that reading too.
    const again = await hub.query<{ journalAcces: { emploiFormation: Entree[] } }>(JOURNAL, { id: FIXTURE.amina.parcours }, { token: tokens.dpo44 });
    expect(again.data?.journalAcces.emploiFormation).toEqual(expect.arrayContaining([expect.objectContaining({ utilisateur: 'dpo-44', action: 'journalAcces', champs: ['JournalAcces.emploiFormation'] })]));
  });

  it.each([
    ['a DPO of another département', 'dpo85', 'FORBIDDEN', 'hors de votre périmètre de DPO'],
    ['a coordinator (not a DPO)', 'coordination44', 'FORBIDDEN', 'réservé au rôle DPO'],
    ['an analyst', 'analyste', 'FORBIDDEN', 'réservé au rôle DPO'],
  ])('refuses the journal to %s, typed, reading and answering nothing', async (_who, token, code, message) => {
    const result = await hub.query(JOURNAL, { id: FIXTURE.amina.parcours }, { token: tokens[token] });
    expect(result.data).toEqual({ journalAcces: null });
    expect(result.errors?.map((e) => [e.extensions?.code, e.message.includes(message)])).toEqual([[code, true]]);
    // No subgraph answered: no reading of the journal is recorded, only the refusal (as every refusal).
    const rows = await audit(`SELECT action, allowed FROM audit_log WHERE user_id = $1 AND (action = 'journalAcces' OR fields = '{Query.journalAcces}')`, [token === 'dpo85' ? 'dpo-85' : token === 'analyste' ? 'analyste' : 'coord-44']);
    expect(rows).toEqual([[{ action: 'refus', allowed: false }], [], []]);
  });

  it('answers NOT_FOUND for an unknown parcours, and BAD_USER_INPUT for a period that ends before it starts', async () => {
    const inconnu = randomUUID();
    const unknown = await hub.query(`query($id: ID!) { journalAcces(parcoursId: $id) { parcoursId } }`, { id: inconnu }, { token: tokens.dpo44 });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', id: inconnu });
    const backwards = await hub.query(`query($id: ID!) { journalAcces(parcoursId: $id, du: "2025-06-01", au: "2025-01-01") { parcoursId } }`, { id: FIXTURE.amina.parcours }, { token: tokens.dpo44 });
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'du' });
  });

  it('keeps to the period asked for', async () => {
    const past = await hub.query<{ journalAcces: { du: string; au: string; coordination: unknown[]; droitsLogement: unknown[]; accesExceptionnels: unknown[] } }>(
      `query($id: ID!) { journalAcces(parcoursId: $id, du: "2024-01-01", au: "2024-12-31") { du au coordination { action } droitsLogement { action } accesExceptionnels { id } } }`, { id: FIXTURE.karim.parcours }, { token: tokens.dpo44 });
    expect(past).toEqual({ data: { journalAcces: { du: '2024-01-01', au: '2024-12-31', coordination: [], droitsLogement: [], accesExceptionnels: [] } } });
  });

  it('never lets the grantee review their own grant, nor anyone outside the département or without the role', async () => {
    const grantId = await ouvrir(FIXTURE.karim.parcours);
    for (const [token, message] of [
      ['coordination85', 'Vous avez ouvert cet accès exceptionnel'],
      ['dpo85', 'hors de votre périmètre'],
      ['analyste', 'réservé aux rôles DPO, COORDINATION'],
    ] as const) {
      const result = await hub.query(REVISER, { id: grantId, conclusion: 'JUSTIFIE' }, { token: tokens[token] });
      expect(result.data).toBeNull();
      expect(result.errors?.map((e) => [e.extensions?.code, e.message.includes(message)])).toEqual([['FORBIDDEN', true]]);
    }
    const [grant] = await hub.subgraphs.coordination.dataSource.query('SELECT revue_par, revue_le, conclusion FROM acces_exceptionnel WHERE id = $1', [grantId]);
    expect(grant).toEqual({ revue_par: null, revue_le: null, conclusion: null });
    const [writes] = await audit(`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('reviserAccesExceptionnel', 'update acces_exceptionnel') AND parcours_id = $1`, [FIXTURE.karim.parcours]);
    expect(writes).toEqual([{ n: 0 }]);
    // The database refuses it too, whatever code path tried.
    await expect(hub.subgraphs.coordination.dataSource.query(`UPDATE acces_exceptionnel SET revue_par = user_id, revue_le = now(), conclusion = 'JUSTIFIE' WHERE id = $1`, [grantId]))
      .rejects.toThrow(/acces_exceptionnel_revue_par_autre/);
    // Another coordinator of the département may.
    const byColleague = await hub.query(REVISER, { id: grantId, conclusion: 'NON_JUSTIFIE', commentaire: 'Aucune urgence ce soir-là.' }, { token: tokens.coordination44 });
    expect(byColleague.data).toEqual({ reviserAccesExceptionnel: { id: grantId, revue: { revuePar: 'coord-44', nomRevuePar: COORDINATOR.name, conclusion: 'NON_JUSTIFIE', commentaire: 'Aucune urgence ce soir-là.' } } });
  });

  it('refuses a second review, typed, keeping the first', async () => {
    const grantId = await ouvrir(FIXTURE.karim.parcours);
    expect((await hub.query(REVISER, { id: grantId, conclusion: 'JUSTIFIE' }, { token: tokens.dpo44 })).errors).toBeUndefined();
    const reviews = () => audit(`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('reviserAccesExceptionnel', 'update acces_exceptionnel') AND parcours_id = $1`, [FIXTURE.karim.parcours]);
    const before = await reviews();
    const second = await hub.query(REVISER, { id: grantId, conclusion: 'NON_JUSTIFIE', commentaire: 'Je ne suis pas d’accord.' }, { token: tokens.coordination44 });
    expect(second.data).toBeNull();
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'DEJA_REVISE', id: grantId });
    expect(second.errors?.[0]?.message).toContain('par DPO 44');
    const [grant] = await hub.subgraphs.coordination.dataSource.query('SELECT revue_par, conclusion, commentaire FROM acces_exceptionnel WHERE id = $1', [grantId]);
    expect(grant).toEqual({ revue_par: 'dpo-44', conclusion: 'JUSTIFIE', commentaire: null });
    expect(await reviews()).toEqual(before);
  });

  it('keeps the grants of a département to its DPO and coordination', async () => {
    for (const token of ['dpo85', 'coordination85']) {
      const result = await hub.query(A_REVISER, {}, { token: tokens[token] });
      expect(result.data).toBeNull();
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    const analyste = await hub.query(A_REVISER, {}, { token: tokens.analyste });
    expect(analyste.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['DPO', 'COORDINATION'] });
  });

  it("does not let a caller make up the département a domain checks the DPO's scope on", async () => {
    // A DPO of 85 sends the domain a representation claiming the 44 parcours is in 85: only the
    // gateway may call _entities, and through the gateway the département comes from Coordination.
    const forged = { r: [{ __typename: 'JournalAcces', parcoursId: FIXTURE.amina.parcours, du: '2025-01-01', au: '2025-12-31', departement: '85' }] };
    const { status, body } = await hub.post(`query($r: [_Any!]!) { _entities(representations: $r) { ... on JournalAcces { droitsLogement { action } } } }`, forged, {
      url: hub.subgraphs['droits-logement'].url,
      token: tokens.dpo85,
    });
    expect({ status, data: body.data, code: body.errors?.[0]?.extensions?.code }).toEqual({ status: 403, data: undefined, code: 'FORBIDDEN' });
    expect(await audit(`SELECT count(*)::int AS n FROM audit_log WHERE user_id = 'dpo-85' AND action = 'journalAcces'`, [])).toEqual([[{ n: 0 }], [{ n: 0 }], [{ n: 0 }]]);
  });

  it('never gives a DPO the parcours itself', async () => {
    const result = await hub.query(`query($id: ID!) { parcours(id: $id) { id beneficiaire { nom } } }`, { id: FIXTURE.amina.parcours }, { token: tokens.dpo44 });
    expect(result.data).toEqual({ parcours: null });
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(result)).not.toContain('Haidari');
  });
});
