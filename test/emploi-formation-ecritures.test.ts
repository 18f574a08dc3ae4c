import { randomUUID } from 'node:crypto';
import { efFixture, efRowCounts, efTokens, seedCoordinationEF } from './support/emploi-formation-fixtures';
import { startTestHub, type TestHub } from './support/hub';

/**
 * Writes of Emploi & Formation through the gateway: the six-month boundary of a CDD, ROME codes
 * checked against the referential, and every refusal typed, with nothing written.
 */
const f = efFixture();
const P = randomUUID(); // contractualised, the binôme's E&F referent is f.referentEF
const Q = randomUUID(); // a second contractualised parcours, for the boundary
const ORIENTE = randomUUID(); // not in accompaniment yet

let hub: TestHub;
let tokens: Awaited<ReturnType<typeof efTokens>>;

beforeAll(async () => {
  hub = await startTestHub({
    seed: (dbs) =>
      seedCoordinationEF(dbs.coordination, f, [
        { id: P, statut: 'CONTRACTUALISE', nom: 'P.', dateOrientation: '2024-01-10' },
        { id: Q, statut: 'CONTRACTUALISE', nom: 'Q.', dateOrientation: '2024-01-11' },
        { id: ORIENTE, statut: 'ORIENTE', nom: 'O.', dateOrientation: '2024-01-12' },
      ]),
  });
  tokens = await efTokens(hub, f);
});
afterAll(async () => {
  await hub?.stop();
});

const CONTRAT = `mutation($p: ID!, $i: ContratTravailInput!) { ajouterContratTravail(parcoursId: $p, input: $i) { type dateDebut dateFin stabilisant } }`;
const AU = `query($id: ID!, $d: Date!) { parcours(id: $id) { situationProfessionnelleAu(date: $d) { categorie stabilise depuis } } }`;
const cdd = (dateDebut: string, dateFin: string | null, extra: Record<string, unknown> = {}) => ({
  type: 'CDD', employeur: 'Clinique du Parc', codeRome: 'J1301', dateDebut, dateFin, tempsTravail: 'TEMPS_PLEIN', ...extra,
});

describe('the six-month boundary of a CDD, through the gateway', () => {
  it('a CDD of exactly six months is not stabilising; six months and one day is', async () => {
    const six = await hub.query(CONTRAT, { p: P, i: cdd('2024-01-15', '2024-07-15') }, { token: tokens.referent });
    expect(six).toEqual({ data: { ajouterContratTravail: { type: 'CDD', dateDebut: '2024-01-15', dateFin: '2024-07-15', stabilisant: false } } });
    const plus = await hub.query(CONTRAT, { p: Q, i: cdd('2024-01-15', '2024-07-16') }, { token: tokens.referent });
    expect(plus).toEqual({ data: { ajouterContratTravail: { type: 'CDD', dateDebut: '2024-01-15', dateFin: '2024-07-16', stabilisant: true } } });
    expect(await hub.query(AU, { id: P, d: '2024-03-01' })).toEqual({ data: { parcours: { situationProfessionnelleAu: { categorie: 'EMPLOI_COURT', stabilise: false, depuis: null } } } });
    expect(await hub.query(AU, { id: Q, d: '2024-03-01' })).toEqual({ data: { parcours: { situationProfessionnelleAu: { categorie: 'EMPLOI_DURABLE', stabilise: true, depuis: '2024-01-15' } } } });
  });
});

describe('refusals, each typed and writing nothing', () => {
  const refuse = async (query: string, variables: Record<string, unknown>, token: string, code: string, extra: Record<string, unknown> = {}) => {
    const before = await efRowCounts(hub.subgraphs['emploi-formation'].dataSource);
    const r = await hub.query(query, variables, { token });
    expect(r.data ?? null).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code, ...extra });
    expect(r.errors?.[0]?.message).toMatch(/\S/);
    expect(await efRowCounts(hub.subgraphs['emploi-formation'].dataSource)).toEqual(before);
    return r.errors![0]!;
  };

  it('refuses a caller without the Emploi & Formation role', async () => {
    await refuse(CONTRAT, { p: P, i: cdd('2024-09-01', '2025-08-31') }, tokens.referentDL, 'FORBIDDEN');
    await refuse(CONTRAT, { p: P, i: cdd('2024-09-01', '2025-08-31') }, tokens.coordination, 'FORBIDDEN');
  });

  it('refuses an E&F referent who is not the binôme’s', async () => {
    await refuse(CONTRAT, { p: P, i: cdd('2024-09-01', '2025-08-31') }, tokens.autreReferent, 'FORBIDDEN');
  });

  it('refuses a parcours not in accompaniment, and an unknown or malformed parcours id', async () => {
    // An oriented parcours has no binôme yet: Coordination does not even show it to the referent.
    await refuse(CONTRAT, { p: ORIENTE, i: cdd('2024-09-01', '2025-08-31') }, tokens.referent, 'FORBIDDEN');
    await refuse(CONTRAT, { p: randomUUID(), i: cdd('2024-09-01', '2025-08-31') }, tokens.referent, 'NOT_FOUND');
    await refuse(CONTRAT, { p: 'abc', i: cdd('2024-09-01', '2025-08-31') }, tokens.referent, 'BAD_USER_INPUT', { field: 'parcoursId' });
  });

  it('refuses a ROME code absent from the referential, or malformed', async () => {
    const e = await refuse(CONTRAT, { p: P, i: cdd('2024-09-01', '2025-08-31', { codeRome: 'K9999' }) }, tokens.referent, 'BAD_USER_INPUT', { field: 'input.codeRome', motif: 'REFERENTIEL' });
    expect(e.message).toContain('K9999');
    await refuse(CONTRAT, { p: P, i: cdd('2024-09-01', '2025-08-31', { codeRome: 'k1304' }) }, tokens.referent, 'BAD_USER_INPUT', { field: 'input.codeRome', motif: 'FORMAT' });
    await refuse(
      `mutation($p: ID!) { definirProjetProfessionnel(parcoursId: $p, input: { etat: VALIDE, codesRome: ["K2204", "Z0000"], dateMiseAJour: "2024-02-01" }) { etat } }`,
      { p: P },
      tokens.referent,
      'BAD_USER_INPUT',
      { field: 'input.codesRome[1]', motif: 'REFERENTIEL' },
    );
  });

  it('refuses a CDD without an end date unless its term is imprecise, and reversed dates', async () => {
    await refuse(CONTRAT, { p: P, i: cdd('2024-09-01', null) }, tokens.referent, 'BAD_USER_INPUT', { field: 'input.dateFin' });
    await refuse(CONTRAT, { p: P, i: cdd('2024-09-01', '2024-08-31') }, tokens.referent, 'BAD_USER_INPUT', { field: 'input.dateFin' });
    await refuse(CONTRAT, { p: P, i: { ...cdd('2024-09-01', null), type: 'SERVICE_CIVIQUE' } }, tokens.referent, 'BAD_USER_INPUT', { field: 'input.dateFin' });
    await refuse(CONTRAT, { p: P, i: { ...cdd('2024-09-01', null), type: 'CDI', termeImprecis: true } }, tokens.referent, 'BAD_USER_INPUT', { field: 'input.termeImprecis' });
    await refuse(CONTRAT, { p: P, i: cdd('2024-09-01', '2025-08-31', { tempsTravail: 'TEMPS_PARTIEL' }) }, tokens.referent, 'BAD_USER_INPUT', { field: 'input.heuresHebdomadaires' });
  });

  it('refuses a CIR path of a volume the OFII does not prescribe, and a training without its dispositif', async () => {
    const F = `mutation($p: ID!, $i: FormationInput!) { ajouterFormation(parcoursId: $p, input: $i) { id } }`;
    const base = { type: 'LINGUISTIQUE', intitule: 'Français', organisme: 'OFII', dateDebut: '2024-02-01' };
    await refuse(F, { p: P, i: { ...base, dispositifLinguistique: 'CIR', heuresPrevues: 150 } }, tokens.referent, 'BAD_USER_INPUT', { field: 'input.heuresPrevues' });
    await refuse(F, { p: P, i: { ...base, dispositifLinguistique: 'CIR', heuresPrevues: 100, heuresRealisees: 120 } }, tokens.referent, 'BAD_USER_INPUT', { field: 'input.heuresRealisees' });
    await refuse(F, { p: P, i: base }, tokens.referent, 'BAD_USER_INPUT', { field: 'input.dispositifLinguistique' });
    await refuse(
      `mutation($p: ID!) { evaluerNiveauLangue(parcoursId: $p, input: { niveauCecrl: A1, dateEvaluation: "2024-01-20", heuresParcoursCir: 300 }) { niveauCecrl } }`,
      { p: P },
      tokens.referent,
      'BAD_USER_INPUT',
      { field: 'input.heuresParcoursCir' },
    );
  });

  it('refuses diplomas before the diagnostic, a barrier lifted before it was seen, and an unknown contract', async () => {
    await refuse(`mutation($p: ID!) { ajouterDiplome(parcoursId: $p, input: { intitule: "Licence", pays: "SY", reconnaissance: EN_COURS }) { id } }`, { p: P }, tokens.referent, 'BAD_USER_INPUT', { field: 'parcoursId' });
    await refuse(`mutation($p: ID!) { leverFrein(parcoursId: $p, type: LANGUE, dateLevee: "2024-05-01") { leve } }`, { p: P }, tokens.referent, 'BAD_USER_INPUT', { field: 'type' });
    await refuse(`mutation($c: ID!) { terminerContratTravail(contratId: $c, dateFin: "2024-05-01") { dateFin } }`, { c: randomUUID() }, tokens.referent, 'NOT_FOUND');
    await refuse(`mutation($p: ID!) { inscrireFranceTravail(parcoursId: $p, input: { dateInscription: "2024-01-20", identifiant: "12-34" }) { dateInscription } }`, { p: P }, tokens.referent, 'BAD_USER_INPUT', { field: 'input.identifiant' });
  });
});

describe('dates within the parcours’s time, through the gateway', () => {
  const FREIN = `mutation($p: ID!, $d: Date!) { signalerFrein(parcoursId: $p, type: MOBILITE, dateIdentification: $d) { type } }`;
  const CANDIDATURE = `mutation($p: ID!, $i: CandidatureInput!) { ajouterCandidature(parcoursId: $p, input: $i) { dateCandidature } }`;
  const FORMATION = `mutation($p: ID!, $i: FormationInput!) { ajouterFormation(parcoursId: $p, input: $i) { dateDebut } }`;
  const SITUATION = `mutation($p: ID!, $i: SituationProfessionnelleInput!) { declarerSituationProfessionnelle(parcoursId: $p, input: $i) { dateDebut } }`;
  const demain = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const erreur = async (query: string, variables: Record<string, unknown>) => {
    const r = await hub.query(query, variables, { token: tokens.referent });
    return { data: r.data ?? null, code: r.errors?.[0]?.extensions?.code, field: r.errors?.[0]?.extensions?.field, message: r.errors?.[0]?.message ?? '' };
  };

  it('refuses a fact of the accompaniment dated before the orientation, and one that happened in the future, naming the field', async () => {
    const avant = await efRowCounts(hub.subgraphs['emploi-formation'].dataSource);
    const tot = await erreur(FREIN, { p: P, d: '2023-12-01' });
    expect(tot).toMatchObject({ data: null, code: 'BAD_USER_INPUT', field: 'dateIdentification' });
    expect(tot.message).toContain('2024-01-10');
    const futur = await erreur(CANDIDATURE, { p: P, i: { employeur: 'Boulangerie Ange', codeRome: 'D1102', dateCandidature: demain(), canal: 'CANDIDATURE_SPONTANEE' } });
    expect(futur).toMatchObject({ data: null, code: 'BAD_USER_INPUT', field: 'input.dateCandidature' });
    expect(futur.message).toContain('dans le futur');
    expect(await erreur(SITUATION, { p: P, i: { categorie: 'SANS_ACTIVITE', dateDebut: demain() } })).toMatchObject({ data: null, code: 'BAD_USER_INPUT', field: 'input.dateDebut' });
    expect(await efRowCounts(hub.subgraphs['emploi-formation'].dataSource)).toEqual(avant);
  });

  it('accepts a situation that began before the orientation and a training booked ahead', async () => {
    expect(await hub.query(SITUATION, { p: Q, i: { categorie: 'SANS_ACTIVITE', dateDebut: '2023-09-01' } }, { token: tokens.referent })).toEqual({ data: { declarerSituationProfessionnelle: { dateDebut: '2023-09-01' } } });
    const prevue = await hub.query(FORMATION, { p: Q, i: { type: 'LINGUISTIQUE', dispositifLinguistique: 'CIR', intitule: 'Français A2', organisme: 'Alliance', dateDebut: demain(), heuresPrevues: 200 } }, { token: tokens.referent });
    expect(prevue).toEqual({ data: { ajouterFormation: { dateDebut: demain() } } });
  });
});
