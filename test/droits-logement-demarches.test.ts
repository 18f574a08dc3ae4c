import { addDays, today } from '@agir/common';
import { TYPES_DEMARCHE_DROIT } from '../subgraphs/droits-logement/src/rules';
import { AUTRE_REFERENT_DL, DL, erreurs, REFERENT_DL, seedDroitsLogement } from './support/droits-logement-fixture';
import { startTestHub, type TestHub } from './support/hub';

/**
 * Issue #4, Done-when (2): every type of rights procedure is created, moved through its statuts,
 * blocked with a motif and unblocked, through the gateway; invalid moves get typed errors and
 * leave the procedure as it was.
 */
let hub: TestHub;
let token: string;
const jour = today();
const j = (n: number) => addDays(jour, n);
const parcoursId = DL.contractualises[0]!.parcours;

beforeAll(async () => {
  hub = await startTestHub({ seed: seedDroitsLogement });
  token = await hub.token(REFERENT_DL);
});
afterAll(async () => {
  await hub?.stop();
});

const CHAMPS = 'id type statut organisme dateDebut dateFin blocage { motif commentaire depuis } dernierChangement';
const CREER = `mutation ($input: CreerDemarcheDroitInput!) { creerDemarcheDroit(input: $input) { ${CHAMPS} } }`;
const CHANGER = `mutation ($input: ChangerStatutDemarcheInput!) { changerStatutDemarche(input: $input) { ${CHAMPS} } }`;
const DEMARCHES = `query ($id: ID!) { parcours(id: $id) { demarchesDroits { ${CHAMPS} } evenementsDroitsLogement { date type libelle } } }`;

type Demarche = { id: string; type: string; statut: string; organisme: string | null; dateDebut: string | null; dateFin: string | null; blocage: unknown; dernierChangement: string | null };

async function ecrire(query: string, input: Record<string, unknown>): Promise<Demarche> {
  const result = await hub.query<Record<string, Demarche>>(query, { input }, { token });
  expect(result.errors).toBeUndefined();
  return Object.values(result.data ?? {})[0]!;
}
const demarches = async () => (await hub.query<{ parcours: { demarchesDroits: Demarche[] } }>(DEMARCHES, { id: parcoursId }, { token })).data?.parcours.demarchesDroits;
const organisme = (type: string) => (type === 'ACCOMPAGNEMENT_SOIN' ? null : `Organisme ${type}`);

describe.each(TYPES_DEMARCHE_DROIT)('a %s procedure', (type) => {
  it('is created, started, blocked, unblocked and obtained', async () => {
    const creee = await ecrire(CREER, { parcoursId, type, organisme: organisme(type), date: j(-60) });
    const base = { id: creee.id, type, organisme: organisme(type) };
    expect(creee).toEqual({ ...base, statut: 'A_ENGAGER', dateDebut: null, dateFin: null, blocage: null, dernierChangement: j(-60) });

    expect(await ecrire(CHANGER, { demarcheId: creee.id, statut: 'EN_COURS', date: j(-50) })).toEqual({
      ...base, statut: 'EN_COURS', dateDebut: j(-50), dateFin: null, blocage: null, dernierChangement: j(-50),
    });
    expect(await ecrire(CHANGER, { demarcheId: creee.id, statut: 'BLOQUE', date: j(-40), blocage: { motif: 'PIECE_MANQUANTE' } })).toEqual({
      ...base, statut: 'BLOQUE', dateDebut: j(-50), dateFin: null, blocage: { motif: 'PIECE_MANQUANTE', commentaire: null, depuis: j(-40) }, dernierChangement: j(-40),
    });
    // Unblocked: back under way, its start kept, the blockage cleared.
    expect(await ecrire(CHANGER, { demarcheId: creee.id, statut: 'EN_COURS', date: j(-30) })).toEqual({
      ...base, statut: 'EN_COURS', dateDebut: j(-50), dateFin: null, blocage: null, dernierChangement: j(-30),
    });
    const comment = type === 'ACCOMPAGNEMENT_SOIN' ? null : "En attente de l'acte de naissance";
    const motif = type === 'ACCOMPAGNEMENT_SOIN' ? 'DELAI_ORGANISME' : 'AUTRE';
    expect(await ecrire(CHANGER, { demarcheId: creee.id, statut: 'BLOQUE', date: j(-20), blocage: { motif, commentaire: comment } })).toMatchObject({
      statut: 'BLOQUE', blocage: { motif, commentaire: comment, depuis: j(-20) },
    });
    expect(await ecrire(CHANGER, { demarcheId: creee.id, statut: 'OBTENU', date: j(-10) })).toEqual({
      ...base, statut: 'OBTENU', dateDebut: j(-50), dateFin: j(-10), blocage: null, dernierChangement: j(-10),
    });
    // Obtained is final.
    const avant = await demarches();
    const result = await hub.query(CHANGER, { input: { demarcheId: creee.id, statut: 'EN_COURS', date: jour } }, { token });
    expect(erreurs(result)).toEqual([{ code: 'TRANSITION_INVALIDE', message: expect.stringContaining('est au statut OBTENU, qui est final') }]);
    expect(result.errors?.[0]?.extensions).toMatchObject({ statutActuel: 'OBTENU', statutDemande: 'EN_COURS', statutsPermis: [] });
    expect(await demarches()).toEqual(avant);
  });

  it('is dropped before or after it starts', async () => {
    const a = await ecrire(CREER, { parcoursId, type, date: j(-5) });
    expect(await ecrire(CHANGER, { demarcheId: a.id, statut: 'ABANDONNE', date: j(-4) })).toMatchObject({ statut: 'ABANDONNE', dateDebut: null, dateFin: j(-4) });
    const b = await ecrire(CREER, { parcoursId, type, date: j(-5) });
    await ecrire(CHANGER, { demarcheId: b.id, statut: 'EN_COURS', date: j(-4) });
    await ecrire(CHANGER, { demarcheId: b.id, statut: 'BLOQUE', date: j(-3), blocage: { motif: 'BLOCAGE_ADMINISTRATIF' } });
    expect(await ecrire(CHANGER, { demarcheId: b.id, statut: 'ABANDONNE', date: j(-2) })).toMatchObject({ statut: 'ABANDONNE', dateDebut: j(-4), dateFin: j(-2), blocage: null });
  });
});

describe('invalid moves are refused with typed errors and change nothing', () => {
  let id: string;
  beforeAll(async () => {
    id = (await ecrire(CREER, { parcoursId, type: 'TITRE_SEJOUR', organisme: 'Préfecture de la Loire-Atlantique', date: j(-15) })).id;
  });

  async function refuse(input: Record<string, unknown>, attendu: unknown, t = token, extensions?: Record<string, unknown>) {
    const avant = await demarches();
    const result = await hub.query(CHANGER, { input: { demarcheId: id, ...input } }, { token: t });
    expect(result.data).toBeNull();
    expect(erreurs(result)).toEqual([attendu]);
    if (extensions) expect(result.errors?.[0]?.extensions).toMatchObject(extensions);
    expect(await demarches()).toEqual(avant);
  }

  it('refuses moves outside the status machine', async () => {
    await refuse({ statut: 'OBTENU', date: j(-10) }, { code: 'TRANSITION_INVALIDE', message: expect.stringContaining('Statuts possibles depuis A_ENGAGER : EN_COURS, ABANDONNE') }, token, {
      statutActuel: 'A_ENGAGER', statutDemande: 'OBTENU', statutsPermis: ['EN_COURS', 'ABANDONNE'],
    });
    await refuse({ statut: 'BLOQUE', date: j(-10), blocage: { motif: 'PIECE_MANQUANTE' } }, { code: 'TRANSITION_INVALIDE', message: expect.stringContaining('ne peut pas passer au statut BLOQUE') });
    await refuse({ statut: 'A_ENGAGER', date: j(-10) }, { code: 'TRANSITION_INVALIDE', message: expect.stringContaining('ne peut pas passer au statut A_ENGAGER') });
  });

  it('refuses a blockage without motif, a motif AUTRE without comment, a blockage on another move, a date in the past', async () => {
    await ecrire(CHANGER, { demarcheId: id, statut: 'EN_COURS', date: j(-10) });
    await refuse({ statut: 'BLOQUE', date: j(-5) }, { code: 'BAD_USER_INPUT', field: 'input.blocage', message: expect.stringContaining('indiquez le motif du blocage') });
    await refuse({ statut: 'BLOQUE', date: j(-5), blocage: { motif: 'AUTRE', commentaire: '  ' } }, { code: 'BAD_USER_INPUT', field: 'input.blocage', message: expect.stringContaining('demande un commentaire') });
    await refuse({ statut: 'OBTENU', date: j(-5), blocage: { motif: 'PIECE_MANQUANTE' } }, { code: 'BAD_USER_INPUT', field: 'input.blocage', message: expect.stringContaining('retirez le blocage') });
    await refuse({ statut: 'OBTENU', date: j(-12) }, { code: 'BAD_USER_INPUT', field: 'input.date', message: expect.stringContaining('antérieur au dernier changement') });
    const motifInconnu = await hub.query(CHANGER, { input: { demarcheId: id, statut: 'BLOQUE', date: j(-5), blocage: { motif: 'GREVE' } } }, { token });
    expect(motifInconnu.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses another referent, and health details', async () => {
    await refuse({ statut: 'OBTENU', date: j(-1) }, { code: 'FORBIDDEN', message: expect.stringContaining('pas le référent désigné') }, await hub.token(AUTRE_REFERENT_DL));
    const avant = await demarches();
    const sante = await hub.query(CREER, { input: { parcoursId, type: 'ACCOMPAGNEMENT_SOIN', organisme: 'Centre médico-psychologique', date: jour } }, { token });
    expect(erreurs(sante)).toEqual([{ code: 'BAD_USER_INPUT', field: 'input.organisme', message: expect.stringContaining("aucune information de santé n'est conservée") }]);
    const inconnue = await hub.query(CHANGER, { input: { demarcheId: '6f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f', statut: 'OBTENU', date: jour } }, { token });
    expect(erreurs(inconnue)).toEqual([{ code: 'NOT_FOUND', message: expect.stringContaining('6f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f') }]);
    expect(await demarches()).toEqual(avant);
  });
});

describe('dates within the parcours’s time', () => {
  it('refuses a procedure dated before the orientation or in the future, naming the field and writing nothing', async () => {
    const avant = await demarches();
    for (const [date, attendu] of [['2024-12-31', /avant l'entrée dans le parcours \(2025-01-10\)/], [j(3), /dans le futur/]] as const) {
      const r = await hub.query(CREER, { input: { parcoursId, type: 'RSA', organisme: 'CAF', date } }, { token });
      expect(erreurs(r)).toEqual([{ code: 'BAD_USER_INPUT', field: 'input.date', message: expect.stringMatching(attendu) }]);
    }
    expect(await demarches()).toEqual(avant);
  });
});
