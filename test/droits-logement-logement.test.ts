import { addDays, today } from '@agir/common';
import { AUTRE_REFERENT_DL, DL, erreurs, REFERENT_DL, REFERENT_EF, seedDroitsLogement } from './support/droits-logement-fixture';
import { startTestHub, type TestHub } from './support/hub';

/**
 * Issue #4, Done-when (1): a person's housing path recorded through the gateway, from the DNA to a
 * résidence sociale to a home of their own, with two offers; the exit-criteria facts
 * (`logementPourSortie`) switch on the right day and the refusal count reaches two. Then every
 * refusal of the write path, each leaving nothing written.
 */
let hub: TestHub;
let token: string;
const jour = today();
const j = (n: number) => addDays(jour, n);

beforeAll(async () => {
  hub = await startTestHub({ seed: seedDroitsLogement });
  token = await hub.token(REFERENT_DL);
});
afterAll(async () => {
  await hub?.stop();
});

const LOGEMENT = `
  query Logement($id: ID!) {
    parcours(id: $id) {
      logementPourSortie { categorie type durable temporaireAccepte depuis }
      refusPropositionsLogement
      situationLogement { type commune { codeInsee nom } dateDebut dateFin }
    }
  }`;
const HISTORIQUE = `
  query Historique($id: ID!) {
    parcours(id: $id) {
      historiqueLogement { categorie type commune { codeInsee nom } dateDebut dateFin }
      propositionsLogement { date bailleur typologie commune { codeInsee nom } reponse dateReponse motifRefus }
      demandeLogementSocial { numeroUnique dateDepot communesSouhaitees { codeInsee nom } typologiesSouhaitees renouvellements echeanceRenouvellement }
      installationLogement { dateEntree mesures { type dateDebut dateFin } incidents { type date dateResolution } }
      evenementsDroitsLogement { date domaine type libelle }
    }
  }`;
const ENREGISTRER = `
  mutation Enregistrer($input: EnregistrerSituationLogementInput!) {
    enregistrerSituationLogement(input: $input) { id categorie type commune { codeInsee nom } dateDebut dateFin }
  }`;
const CHANGER = `
  mutation Changer($input: ChangerSituationLogementInput!) {
    changerSituationLogement(input: $input) { categorie type commune { codeInsee nom } dateDebut dateFin }
  }`;
const PROPOSER = `
  mutation Proposer($input: EnregistrerPropositionLogementInput!) {
    enregistrerPropositionLogement(input: $input) { id date bailleur typologie commune { codeInsee nom } reponse dateReponse motifRefus }
  }`;
const REPONDRE = `
  mutation Repondre($input: RepondrePropositionLogementInput!) {
    repondrePropositionLogement(input: $input) { date typologie reponse dateReponse motifRefus }
  }`;
const DEMANDE = `
  mutation Demande($input: EnregistrerDemandeLogementSocialInput!) {
    enregistrerDemandeLogementSocial(input: $input) { id numeroUnique dateDepot communesSouhaitees { codeInsee nom } typologiesSouhaitees renouvellements echeanceRenouvellement }
  }`;

type Data = Record<string, Record<string, unknown>>;
async function ecrire(query: string, input: Record<string, unknown>, t = token) {
  const result = await hub.query<Data>(query, { input }, { token: t });
  expect(result.errors).toBeUndefined();
  return Object.values(result.data ?? {})[0] as Record<string, unknown> & { id: string };
}
const lire = async (id: string) => (await hub.query<Data>(LOGEMENT, { id }, { token })).data?.parcours;
const historique = async (id: string) => (await hub.query<Data>(HISTORIQUE, { id }, { token })).data?.parcours;

const NANTES = { codeInsee: '44109', nom: 'Nantes' };
const REZE = { codeInsee: '44143', nom: 'Rezé' };
const SAINT_HERBLAIN = { codeInsee: '44162', nom: 'Saint-Herblain' };

describe('the housing path of one person, through the gateway', () => {
  const parcoursId = DL.contractualises[0]!.parcours;

  it('records DNA, résidence sociale, logement autonome with two offers, and the exit facts follow', async () => {
    // Nothing yet: the domain does not follow this parcours.
    expect(await lire(parcoursId)).toEqual({ logementPourSortie: null, refusPropositionsLogement: 0, situationLogement: null });

    // Entry: a CADA (DNA), since ten months.
    expect(await ecrire(ENREGISTRER, { parcoursId, type: 'CADA', communeInsee: '44109', dateDebut: j(-300) })).toEqual({
      id: expect.any(String), categorie: 'DNA', type: 'CADA', commune: NANTES, dateDebut: j(-300), dateFin: null,
    });
    expect(await lire(parcoursId)).toEqual({
      logementPourSortie: { categorie: 'DNA', type: 'CADA', durable: false, temporaireAccepte: false, depuis: j(-300) },
      refusPropositionsLogement: 0,
      situationLogement: { type: 'CADA', commune: NANTES, dateDebut: j(-300), dateFin: null },
    });

    // The social-housing application.
    expect(
      await ecrire(DEMANDE, { parcoursId, numeroUnique: '044 2501 2345 6', dateDepot: j(-280), communesSouhaitees: ['44109', '44143', '44109'], typologiesSouhaitees: ['T2', 'T3'] }),
    ).toEqual({
      id: expect.any(String), numeroUnique: '044250123456', dateDepot: j(-280), communesSouhaitees: [NANTES, REZE], typologiesSouhaitees: ['T2', 'T3'],
      renouvellements: [], echeanceRenouvellement: expect.any(String),
    });

    // Moves to a résidence sociale: accepted temporary housing for the exit, from that day.
    expect(await ecrire(CHANGER, { parcoursId, type: 'RESIDENCE_SOCIALE', communeInsee: '44143', date: j(-120) })).toEqual({
      categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE', type: 'RESIDENCE_SOCIALE', commune: REZE, dateDebut: j(-120), dateFin: null,
    });
    expect((await lire(parcoursId))?.logementPourSortie).toEqual({
      categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE', type: 'RESIDENCE_SOCIALE', durable: false, temporaireAccepte: true, depuis: j(-120),
    });

    // A first offer, refused with its motif.
    const refusee = await ecrire(PROPOSER, { parcoursId, date: j(-90), bailleur: 'Nantes Métropole Habitat', typologie: 'T2', communeInsee: '44162' });
    expect(refusee).toEqual({
      id: expect.any(String), date: j(-90), bailleur: 'Nantes Métropole Habitat', typologie: 'T2', commune: SAINT_HERBLAIN, reponse: 'EN_ATTENTE', dateReponse: null, motifRefus: null,
    });
    expect(await ecrire(REPONDRE, { propositionId: refusee.id, reponse: 'REFUSEE', date: j(-85), motifRefus: "Trop loin de l'école des enfants" })).toEqual({
      date: j(-90), typologie: 'T2', reponse: 'REFUSEE', dateReponse: j(-85), motifRefus: "Trop loin de l'école des enfants",
    });
    expect((await lire(parcoursId))?.refusPropositionsLogement).toBe(1);

    // A second offer, accepted.
    const acceptee = await ecrire(PROPOSER, { parcoursId, date: j(-30), bailleur: 'Habitat 44', typologie: 'T3', communeInsee: '44109' });
    expect(await ecrire(REPONDRE, { propositionId: acceptee.id, reponse: 'ACCEPTEE', date: j(-25) })).toEqual({
      date: j(-30), typologie: 'T3', reponse: 'ACCEPTEE', dateReponse: j(-25), motifRefus: null,
    });

    // The lease starts today: durable housing from today, the résidence sociale ends today.
    await ecrire(CHANGER, { parcoursId, type: 'PARC_SOCIAL', communeInsee: '44109', date: jour });
    expect(await lire(parcoursId)).toEqual({
      logementPourSortie: { categorie: 'LOGEMENT_AUTONOME', type: 'PARC_SOCIAL', durable: true, temporaireAccepte: false, depuis: jour },
      refusPropositionsLogement: 1,
      situationLogement: { type: 'PARC_SOCIAL', commune: NANTES, dateDebut: jour, dateFin: null },
    });

    expect(await historique(parcoursId)).toEqual({
      historiqueLogement: [
        { categorie: 'DNA', type: 'CADA', commune: NANTES, dateDebut: j(-300), dateFin: j(-120) },
        { categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE', type: 'RESIDENCE_SOCIALE', commune: REZE, dateDebut: j(-120), dateFin: jour },
        { categorie: 'LOGEMENT_AUTONOME', type: 'PARC_SOCIAL', commune: NANTES, dateDebut: jour, dateFin: null },
      ],
      propositionsLogement: [
        { date: j(-90), bailleur: 'Nantes Métropole Habitat', typologie: 'T2', commune: SAINT_HERBLAIN, reponse: 'REFUSEE', dateReponse: j(-85), motifRefus: "Trop loin de l'école des enfants" },
        { date: j(-30), bailleur: 'Habitat 44', typologie: 'T3', commune: NANTES, reponse: 'ACCEPTEE', dateReponse: j(-25), motifRefus: null },
      ],
      demandeLogementSocial: {
        numeroUnique: '044250123456', dateDepot: j(-280), communesSouhaitees: [NANTES, REZE], typologiesSouhaitees: ['T2', 'T3'], renouvellements: [],
        echeanceRenouvellement: expect.any(String),
      },
      installationLogement: { dateEntree: jour, mesures: [], incidents: [] },
      // The chronologie: dated, coded, in French, with no free text about the person (no motif, no landlord).
      evenementsDroitsLogement: [
        { date: j(-300), domaine: 'DROITS_LOGEMENT', type: 'LOGEMENT_ENTREE', libelle: 'Entrée : CADA à Nantes (DNA)' },
        { date: j(-280), domaine: 'DROITS_LOGEMENT', type: 'DEMANDE_LOGEMENT_SOCIAL_DEPOSEE', libelle: 'Demande de logement social déposée' },
        { date: j(-120), domaine: 'DROITS_LOGEMENT', type: 'LOGEMENT_ENTREE', libelle: 'Entrée : résidence sociale à Rezé (logement accompagné / adapté)' },
        { date: j(-90), domaine: 'DROITS_LOGEMENT', type: 'PROPOSITION_LOGEMENT', libelle: 'Proposition de logement : T2 à Saint-Herblain' },
        { date: j(-85), domaine: 'DROITS_LOGEMENT', type: 'PROPOSITION_REFUSEE', libelle: 'Proposition de logement refusée : T2 à Saint-Herblain' },
        { date: j(-30), domaine: 'DROITS_LOGEMENT', type: 'PROPOSITION_LOGEMENT', libelle: 'Proposition de logement : T3 à Nantes' },
        { date: j(-25), domaine: 'DROITS_LOGEMENT', type: 'PROPOSITION_ACCEPTEE', libelle: 'Proposition de logement acceptée : T3 à Nantes' },
        { date: jour, domaine: 'DROITS_LOGEMENT', type: 'LOGEMENT_ENTREE', libelle: 'Entrée : logement du parc social à Nantes (logement autonome)' },
      ],
    });
  });

  it('switches only on the day of the move, and counts refusals up to two', async () => {
    const id = DL.contractualises[1]!.parcours;
    await ecrire(ENREGISTRER, { parcoursId: id, type: 'HUDA', communeInsee: '44109', dateDebut: j(-60) });
    // The move into a FJT is booked for tomorrow: today the person is still in the HUDA.
    await ecrire(CHANGER, { parcoursId: id, type: 'FJT', communeInsee: '44143', date: j(1) });
    expect(await lire(id)).toEqual({
      logementPourSortie: { categorie: 'DNA', type: 'HUDA', durable: false, temporaireAccepte: false, depuis: j(-60) },
      refusPropositionsLogement: 0,
      situationLogement: { type: 'HUDA', commune: NANTES, dateDebut: j(-60), dateFin: j(1) },
    });

    for (const [n, date] of [[1, j(-40)], [2, j(-20)]] as const) {
      const p = await ecrire(PROPOSER, { parcoursId: id, date, bailleur: 'Atlantique Habitations', typologie: 'T1', communeInsee: '44143' });
      await ecrire(REPONDRE, { propositionId: p.id, reponse: 'REFUSEE', date, motifRefus: 'Logement trop petit' });
      expect((await lire(id))?.refusPropositionsLogement).toBe(n);
    }

    // The root query Coordination may batch: one count per id, in the order asked, 0 when none.
    const coordination = await hub.token({ sub: 'coord', structure: DL.structure, roles: ['COORDINATION'], departements: ['44'] });
    const comptes = await hub.query(
      'query ($ids: [ID!]!) { refusPropositionsLogement(parcoursIds: $ids) { parcoursId refus } }',
      { ids: [id, DL.contractualises[0]!.parcours, DL.contractualises[5]!.parcours] },
      { token: coordination },
    );
    expect(comptes).toEqual({
      data: {
        refusPropositionsLogement: [
          { parcoursId: id, refus: 2 },
          { parcoursId: DL.contractualises[0]!.parcours, refus: 1 },
          { parcoursId: DL.contractualises[5]!.parcours, refus: 0 },
        ],
      },
    });
  });

  it('refuses more than 500 ids, malformed ids, a prescriber, and leaves out for a caller outside the département the ids it may not read', async () => {
    const coordination = await hub.token({ sub: 'coord', structure: DL.structure, roles: ['COORDINATION'], departements: ['44'] });
    const q = 'query ($ids: [ID!]!) { refusPropositionsLogement(parcoursIds: $ids) { parcoursId refus } }';
    const trop = await hub.query(q, { ids: Array.from({ length: 501 }, () => DL.contractualises[0]!.parcours) }, { token: coordination });
    expect(erreurs(trop)).toEqual([{ code: 'BAD_USER_INPUT', field: 'parcoursIds', message: expect.stringContaining('Au plus 500') }]);
    const mal = await hub.query(q, { ids: ['abc'] }, { token: coordination });
    expect(erreurs(mal)).toEqual([{ code: 'BAD_USER_INPUT', field: 'parcoursIds', message: expect.stringContaining('UUID') }]);
    const vendee = await hub.token({ sub: 'coord85', structure: DL.structure, roles: ['COORDINATION'], departements: ['85'] });
    const hors = await hub.query(q, { ids: [DL.contractualises[0]!.parcours] }, { token: vendee });
    expect(hors).toEqual({ data: { refusPropositionsLogement: [] } });
    const [refus] = await hub.subgraphs['droits-logement'].dataSource.query(`SELECT parcours_id, fields, allowed, reason FROM audit_log WHERE user_id = 'coord85'`);
    expect(refus).toEqual({ parcours_id: DL.contractualises[0]!.parcours, fields: ['Query.refusPropositionsLogement'], allowed: false, reason: 'ce parcours est hors de votre périmètre' });
    const prescripteur = await hub.token({ sub: 'presc', structure: DL.structure, roles: ['PRESCRIPTEUR'], departements: ['44'] });
    expect(erreurs(await hub.query(q, { ids: [] }, { token: prescripteur }))).toEqual([{ code: 'FORBIDDEN', message: expect.stringContaining('PRESCRIPTEUR') }]);
  });
});

describe('refusals of the housing writes, each leaving nothing written', () => {
  const parcoursId = DL.contractualises[2]!.parcours;
  const entree = { parcoursId, type: 'CADA', communeInsee: '44109', dateDebut: j(-200) };

  /** The whole D&L state of the parcours, to compare before and after a refused write. */
  const etat = async (id = parcoursId) => {
    const result = await hub.query<Data>(HISTORIQUE, { id }, { token });
    expect(result.errors).toBeUndefined();
    return result.data?.parcours;
  };

  async function refuse(query: string, input: Record<string, unknown>, attendu: unknown, t = token, id = parcoursId) {
    const avant = await etat(id);
    const result = await hub.query(query, { input }, { token: t });
    expect(result.data).toBeNull();
    expect(erreurs(result)).toEqual([attendu]);
    expect(await etat(id)).toEqual(avant);
  }

  it('refuses a caller who is not the designated D&L referent', async () => {
    await refuse(ENREGISTRER, entree, { code: 'FORBIDDEN', message: expect.stringContaining("pas le référent désigné") }, await hub.token(AUTRE_REFERENT_DL));
    await refuse(ENREGISTRER, entree, { code: 'FORBIDDEN', message: expect.stringContaining('REFERENT_DROITS_LOGEMENT') }, await hub.token(REFERENT_EF));
    const coordination = await hub.token({ sub: 'coord', structure: DL.structure, roles: ['COORDINATION'], departements: ['44'] });
    await refuse(ENREGISTRER, entree, { code: 'FORBIDDEN', message: expect.stringContaining('REFERENT_DROITS_LOGEMENT') }, coordination);
    // Not even a dossier was opened.
    expect(await lire(parcoursId)).toEqual({ logementPourSortie: null, refusPropositionsLogement: 0, situationLogement: null });
  });

  it('refuses a parcours that is not in accompaniment, and an unknown one', async () => {
    await refuse(
      ENREGISTRER,
      { ...entree, parcoursId: DL.oriente.parcours },
      { code: 'STATUT_PARCOURS_INCOMPATIBLE', message: expect.stringContaining('statut ORIENTE') },
      token,
      DL.oriente.parcours,
    );
    const inconnu = await hub.query(ENREGISTRER, { input: { ...entree, parcoursId: '6f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f' } }, { token });
    expect(erreurs(inconnu)).toEqual([{ code: 'NOT_FOUND', message: expect.stringContaining('6f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f') }]);
  });

  it('refuses a commune code that is not a current INSEE commune', async () => {
    for (const code of ['44000', '99999', 'Nantes']) {
      await refuse(ENREGISTRER, { ...entree, communeInsee: code }, { code: 'BAD_USER_INPUT', field: 'input.communeInsee', message: expect.stringContaining(`« ${code} »`) });
    }
  });

  it('refuses overlapping periods and a period ending before it starts', async () => {
    await ecrire(ENREGISTRER, entree);
    await refuse(ENREGISTRER, { ...entree, type: 'HUDA', dateDebut: j(-100) }, {
      code: 'BAD_USER_INPUT', field: 'input.dateDebut', message: expect.stringContaining('se chevauchent'),
    });
    await refuse(ENREGISTRER, { ...entree, type: 'SQUAT', dateDebut: j(-400), dateFin: j(-500) }, {
      code: 'BAD_USER_INPUT', field: 'input.dateDebut', message: expect.stringContaining('se termine avant de commencer'),
    });
    // A move on the first day of the current situation, or with nothing in force that day.
    await refuse(CHANGER, { parcoursId, type: 'HOTEL', date: j(-200) }, { code: 'BAD_USER_INPUT', field: 'input.date', message: expect.stringContaining('commence le jour du changement') });
    await refuse(CHANGER, { parcoursId, type: 'HOTEL', date: j(-250) }, { code: 'BAD_USER_INPUT', field: 'input.date', message: expect.stringContaining("Aucune situation de logement n'est en cours") });
    // A period before the entry that ends the day the entry starts is fine (the day of a move).
    await ecrire(ENREGISTRER, { ...entree, type: 'HEBERGEMENT_TIERS', dateDebut: j(-260), dateFin: j(-200) });
  });

  it('refuses a refusal without its motif, a motif on an acceptance, a second answer', async () => {
    const p = await ecrire(PROPOSER, { parcoursId, date: j(-10), bailleur: 'Habitat 44', typologie: 'T2', communeInsee: '44109' });
    await refuse(REPONDRE, { propositionId: p.id, reponse: 'REFUSEE', date: j(-5) }, { code: 'BAD_USER_INPUT', field: 'input.motifRefus', message: expect.stringContaining('doit être motivé') });
    await refuse(REPONDRE, { propositionId: p.id, reponse: 'REFUSEE', date: j(-5), motifRefus: '   ' }, { code: 'BAD_USER_INPUT', field: 'input.motifRefus', message: expect.stringContaining('doit être motivé') });
    await refuse(REPONDRE, { propositionId: p.id, reponse: 'ACCEPTEE', date: j(-5), motifRefus: 'Trop cher' }, { code: 'BAD_USER_INPUT', field: 'input.motifRefus', message: expect.stringContaining("n'est pas refusée") });
    await refuse(REPONDRE, { propositionId: p.id, reponse: 'EN_ATTENTE', date: j(-5) }, { code: 'BAD_USER_INPUT', field: 'input.reponse', message: expect.stringContaining('ACCEPTEE ou REFUSEE') });
    await refuse(REPONDRE, { propositionId: p.id, reponse: 'ACCEPTEE', date: j(-11) }, { code: 'BAD_USER_INPUT', field: 'input.date', message: expect.stringContaining('précède la proposition') });
    await ecrire(REPONDRE, { propositionId: p.id, reponse: 'ACCEPTEE', date: j(-5) });
    await refuse(REPONDRE, { propositionId: p.id, reponse: 'REFUSEE', date: j(-4), motifRefus: 'Changement d’avis' }, { code: 'TRANSITION_INVALIDE', message: expect.stringContaining('déjà reçu une réponse') });
    await refuse(PROPOSER, { parcoursId, date: j(-3), bailleur: ' ', typologie: 'T2', communeInsee: '44109' }, { code: 'BAD_USER_INPUT', field: 'input.bailleur', message: expect.stringContaining('bailleur') });
    const inconnue = await hub.query(REPONDRE, { input: { propositionId: '6f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f', reponse: 'ACCEPTEE', date: jour } }, { token });
    expect(erreurs(inconnue)).toEqual([{ code: 'NOT_FOUND', message: expect.stringContaining('6f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f') }]);
  });

  it('keeps one social-housing application, renewed forward in time', async () => {
    const d = await ecrire(DEMANDE, { parcoursId, numeroUnique: '044250099999', dateDepot: j(-400), communesSouhaitees: ['44109'], typologiesSouhaitees: ['T2'] });
    await refuse(DEMANDE, { parcoursId, numeroUnique: '044250088888', dateDepot: j(-10), communesSouhaitees: ['44109'], typologiesSouhaitees: ['T2'] }, {
      code: 'BAD_USER_INPUT', field: 'input.parcoursId', message: expect.stringContaining('renouvelez-la'),
    });
    const RENOUVELER = 'mutation ($input: RenouvelerDemandeLogementSocialInput!) { renouvelerDemandeLogementSocial(input: $input) { renouvellements echeanceRenouvellement } }';
    expect(await ecrire(RENOUVELER, { demandeId: d.id, date: j(-40) })).toEqual({ renouvellements: [j(-40)], echeanceRenouvellement: expect.any(String) });
    await refuse(RENOUVELER, { demandeId: d.id, date: j(-50) }, { code: 'BAD_USER_INPUT', field: 'input.date', message: expect.stringContaining('postérieur') });
    const autre = DL.contractualises[3]!.parcours;
    await refuse(DEMANDE, { parcoursId: autre, numeroUnique: 'x', dateDepot: jour, communesSouhaitees: ['44109'], typologiesSouhaitees: ['T2'] }, {
      code: 'BAD_USER_INPUT', field: 'input.numeroUnique', message: expect.stringContaining('Numéro unique invalide'),
    }, token, autre);
    await refuse(DEMANDE, { parcoursId: autre, numeroUnique: '044250077777', dateDepot: jour, communesSouhaitees: ['44109', '12345'], typologiesSouhaitees: ['T2'] }, {
      code: 'BAD_USER_INPUT', field: 'input.communesSouhaitees[1]', message: expect.stringContaining('« 12345 »'),
    }, token, autre);
  });

  it('records support measures and incidents in housing', async () => {
    const id = DL.contractualises[4]!.parcours;
    await ecrire(ENREGISTRER, { parcoursId: id, type: 'PARC_PRIVE', communeInsee: '44109', dateDebut: j(-100) });
    await ecrire('mutation ($input: AjouterMesureAccompagnementLogementInput!) { ajouterMesureAccompagnementLogement(input: $input) { id type dateDebut dateFin } }', {
      parcoursId: id, type: 'AVDL', dateDebut: j(-100),
    });
    const incident = await ecrire('mutation ($input: SignalerIncidentLogementInput!) { signalerIncidentLogement(input: $input) { id type date dateResolution } }', {
      parcoursId: id, type: 'IMPAYE_LOYER', date: j(-50),
    });
    const RESOUDRE = 'mutation ($input: ResoudreIncidentLogementInput!) { resoudreIncidentLogement(input: $input) { type date dateResolution } }';
    expect(await ecrire(RESOUDRE, { incidentId: incident.id, date: j(-20) })).toEqual({ type: 'IMPAYE_LOYER', date: j(-50), dateResolution: j(-20) });
    await refuse(RESOUDRE, { incidentId: incident.id, date: j(-10) }, { code: 'TRANSITION_INVALIDE', message: expect.stringContaining('déjà résolu') }, token, id);
    expect((await historique(id))?.installationLogement).toEqual({
      dateEntree: j(-100), mesures: [{ type: 'AVDL', dateDebut: j(-100), dateFin: null }], incidents: [{ type: 'IMPAYE_LOYER', date: j(-50), dateResolution: j(-20) }],
    });
    expect((await historique(id))?.evenementsDroitsLogement).toEqual([
      { date: j(-100), domaine: 'DROITS_LOGEMENT', type: 'LOGEMENT_ENTREE', libelle: 'Entrée : logement du parc privé à Nantes (logement autonome)' },
      { date: j(-100), domaine: 'DROITS_LOGEMENT', type: 'MESURE_ACCOMPAGNEMENT_LOGEMENT', libelle: "Mesure d'accompagnement : AVDL (accompagnement vers et dans le logement)" },
      { date: j(-50), domaine: 'DROITS_LOGEMENT', type: 'INCIDENT_LOGEMENT', libelle: 'Incident dans le logement : impayé de loyer' },
      { date: j(-20), domaine: 'DROITS_LOGEMENT', type: 'INCIDENT_LOGEMENT_RESOLU', libelle: 'Incident résolu : impayé de loyer' },
    ]);
  });
});
