import { randomUUID } from 'node:crypto';
import { efFixture, efTokens, seedCoordinationEF } from './support/emploi-formation-fixtures';
import { startTestHub, type TestHub } from './support/hub';

/**
 * The three Emploi & Formation vignettes of seed 002 (webinar of 12 October 2023), entered through
 * the gateway with this subgraph's mutations, then read back as the unified view reads them.
 */
const f = efFixture();
const J = randomUUID(); // Monsieur J.
const B = randomUUID(); // Madame B.
const A = randomUUID(); // Monsieur A.

let hub: TestHub;
let tokens: Awaited<ReturnType<typeof efTokens>>;

beforeAll(async () => {
  hub = await startTestHub({
    seed: (dbs) =>
      seedCoordinationEF(dbs.coordination, f, [
        { id: J, statut: 'CONTRACTUALISE', nom: 'J.', dateOrientation: '2023-01-10' },
        { id: B, statut: 'CONTRACTUALISE', nom: 'B.', dateOrientation: '2023-01-05' },
        { id: A, statut: 'CONTRACTUALISE', nom: 'A.', dateOrientation: '2023-02-10' },
      ]),
  });
  tokens = await efTokens(hub, f);
});
afterAll(async () => {
  await hub?.stop();
});

/** Runs a mutation as the binôme's E&F referent and returns its data, failing on any error. */
async function ecrire<T = Record<string, unknown>>(mutation: string, variables: Record<string, unknown>): Promise<T> {
  const result = await hub.query<T>(mutation, variables, { token: tokens.referent });
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

const FORMATION = `mutation($p: ID!, $i: FormationInput!) { ajouterFormation(parcoursId: $p, input: $i) { id type dispositifLinguistique diplomante dateDebut dateFin heuresPrevues resultat stabilisante } }`;
const CONTRAT = `mutation($p: ID!, $i: ContratTravailInput!) { ajouterContratTravail(parcoursId: $p, input: $i) { id type employeur metier { code libelle } dateDebut dateFin termeImprecis tempsTravail stabilisant } }`;
const INSCRIPTION = `mutation($p: ID!, $i: InscriptionFranceTravailInput!) { inscrireFranceTravail(parcoursId: $p, input: $i) { dateInscription identifiant } }`;
const AU = `query($id: ID!, $d: Date!) { parcours(id: $id) { situationProfessionnelleAu(date: $d) { categorie stabilise depuis } } }`;

async function situationAu(id: string, date: string) {
  const r = await hub.query<{ parcours: { situationProfessionnelleAu: unknown } }>(AU, { id, d: date }, { token: tokens.coordination });
  expect(r.errors).toBeUndefined();
  return r.data?.parcours.situationProfessionnelleAu;
}

describe('Monsieur J.: OFII French 100 h, FLE, DU passerelle tests, eight-month service civique', () => {
  it('enters his parcours', async () => {
    await ecrire(`mutation($p: ID!) { declarerSituationProfessionnelle(parcoursId: $p, input: { categorie: SANS_ACTIVITE, dateDebut: "2023-01-25" }) { id } }`, { p: J });
    await ecrire(`mutation($p: ID!) { evaluerNiveauLangue(parcoursId: $p, input: { niveauCecrl: A1, dateEvaluation: "2023-01-25", heuresParcoursCir: 100 }) { niveauCecrl } }`, { p: J });
    const cir = await ecrire<{ ajouterFormation: unknown }>(FORMATION, {
      p: J,
      i: { type: 'LINGUISTIQUE', dispositifLinguistique: 'CIR', intitule: 'Cours de français OFII', organisme: 'OFII', dateDebut: '2023-02-01', dateFin: '2023-02-28', heuresPrevues: 100, heuresRealisees: 100, resultat: 'TERMINEE' },
    });
    expect(cir.ajouterFormation).toEqual({ id: expect.any(String), type: 'LINGUISTIQUE', dispositifLinguistique: 'CIR', diplomante: false, dateDebut: '2023-02-01', dateFin: '2023-02-28', heuresPrevues: 100, resultat: 'TERMINEE', stabilisante: false });
    await ecrire(FORMATION, { p: J, i: { type: 'LINGUISTIQUE', dispositifLinguistique: 'FLE', intitule: 'FLE 100 h', organisme: 'IDC Formation', dateDebut: '2023-03-01', dateFin: '2023-06-30', heuresPrevues: 100, resultat: 'TERMINEE' } });
    await ecrire(`mutation($p: ID!) { definirProjetProfessionnel(parcoursId: $p, input: { etat: EN_VALIDATION, codesRome: ["K2111"], dateMiseAJour: "2023-02-15" }) { etat } }`, { p: J });
    const etape = await ecrire<{ ajouterEtapeProjet: unknown }>(`mutation($p: ID!) { ajouterEtapeProjet(parcoursId: $p, input: { type: TESTS_ENTREE_FORMATION, dateDebut: "2023-07-10" }) { type metier { code } dateDebut dateFin } }`, { p: J });
    expect(etape.ajouterEtapeProjet).toEqual({ type: 'TESTS_ENTREE_FORMATION', metier: null, dateDebut: '2023-07-10', dateFin: null });
    const sc = await ecrire<{ ajouterContratTravail: unknown }>(CONTRAT, {
      p: J,
      i: { type: 'SERVICE_CIVIQUE', employeur: 'COOP’R', codeRome: 'K1204', dateDebut: '2023-10-02', dateFin: '2024-06-01', tempsTravail: 'TEMPS_PARTIEL', heuresHebdomadaires: 24 },
    });
    expect(sc.ajouterContratTravail).toEqual({
      id: expect.any(String), type: 'SERVICE_CIVIQUE', employeur: 'COOP’R', metier: { code: 'K1204', libelle: 'Médiation sociale et facilitation de la vie en société' },
      dateDebut: '2023-10-02', dateFin: '2024-06-01', termeImprecis: false, tempsTravail: 'TEMPS_PARTIEL', stabilisant: false,
    });
  });

  it('his eight-month service civique does not count as stabilised', async () => {
    expect(await situationAu(J, '2023-01-26')).toEqual({ categorie: 'SANS_ACTIVITE', stabilise: false, depuis: null });
    expect(await situationAu(J, '2023-04-15')).toEqual({ categorie: 'FORMATION_LINGUISTIQUE', stabilise: false, depuis: null });
    expect(await situationAu(J, '2023-12-01')).toEqual({ categorie: 'SERVICE_CIVIQUE', stabilise: false, depuis: null });
    expect(await situationAu(J, '2024-06-02')).toEqual({ categorie: 'SANS_ACTIVITE', stabilise: false, depuis: null });
  });

  it('reads his language path and his chronologie', async () => {
    const r = await hub.query(`query($id: ID!) { parcours(id: $id) { langue { niveauCecrl niveauEntree niveauxGagnes heuresParcoursCir parcoursCir { heuresPrescrites heuresRealisees pourcentageRealise } } evenementsEmploiFormation { date domaine type libelle } } }`, { id: J }, { token: tokens.coordination });
    expect(r).toEqual({
      data: {
        parcours: {
          langue: { niveauCecrl: 'A1', niveauEntree: 'A1', niveauxGagnes: 0, heuresParcoursCir: 100, parcoursCir: { heuresPrescrites: 100, heuresRealisees: 100, pourcentageRealise: 100 } },
          evenementsEmploiFormation: [
            { date: '2023-01-25', domaine: 'EMPLOI_FORMATION', type: 'EVALUATION_LANGUE', libelle: 'Évaluation du français : niveau A1' },
            { date: '2023-02-01', domaine: 'EMPLOI_FORMATION', type: 'FORMATION_DEBUT', libelle: 'Début de formation linguistique (parcours linguistique du CIR)' },
            { date: '2023-02-15', domaine: 'EMPLOI_FORMATION', type: 'PROJET_PROFESSIONNEL', libelle: 'Projet professionnel : en validation (Formation professionnelle)' },
            { date: '2023-02-28', domaine: 'EMPLOI_FORMATION', type: 'FORMATION_FIN', libelle: 'Fin de formation linguistique (parcours linguistique du CIR)' },
            { date: '2023-03-01', domaine: 'EMPLOI_FORMATION', type: 'FORMATION_DEBUT', libelle: 'Début de formation linguistique (FLE)' },
            { date: '2023-06-30', domaine: 'EMPLOI_FORMATION', type: 'FORMATION_FIN', libelle: 'Fin de formation linguistique (FLE)' },
            { date: '2023-07-10', domaine: 'EMPLOI_FORMATION', type: 'ETAPE_PROJET', libelle: 'Tests d’entrée en formation' },
            { date: '2023-10-02', domaine: 'EMPLOI_FORMATION', type: 'CONTRAT_DEBUT', libelle: 'Début de engagement de service civique : Médiation sociale et facilitation de la vie en société' },
            { date: '2024-06-01', domaine: 'EMPLOI_FORMATION', type: 'CONTRAT_FIN', libelle: 'Fin de engagement de service civique : Médiation sociale et facilitation de la vie en société' },
          ],
        },
      },
    });
  });
});

describe('Madame B.: France Travail in March 2023, CDD de remplacement in May, GEIQ propreté in October', () => {
  it('enters her parcours', async () => {
    expect(await ecrire(INSCRIPTION, { p: B, i: { dateInscription: '2023-03-15', identifiant: '1234567B' } })).toEqual({ inscrireFranceTravail: { dateInscription: '2023-03-15', identifiant: '1234567B' } });
    await ecrire(`mutation($p: ID!) { signalerFrein(parcoursId: $p, type: GARDE_ENFANTS, dateIdentification: "2023-02-17") { type } }`, { p: B });
    await ecrire(`mutation($p: ID!) { signalerFrein(parcoursId: $p, type: MOBILITE, dateIdentification: "2023-02-17") { type } }`, { p: B });
    expect(await ecrire(`mutation($p: ID!) { leverFrein(parcoursId: $p, type: MOBILITE, dateLevee: "2023-07-20") { type dateIdentification leve dateLevee } }`, { p: B })).toEqual({
      leverFrein: { type: 'MOBILITE', dateIdentification: '2023-02-17', leve: true, dateLevee: '2023-07-20' },
    });
    await ecrire(`mutation($p: ID!) { definirProjetProfessionnel(parcoursId: $p, input: { etat: EN_VALIDATION, codesRome: ["D1104", "K2204"], dateMiseAJour: "2023-02-17" }) { etat } }`, { p: B });
    await ecrire(`mutation($p: ID!) { ajouterCandidature(parcoursId: $p, input: { employeur: "EHPAD Les Tilleuls", codeRome: "J1301", dateCandidature: "2023-04-20", canal: CANDIDATURE_SPONTANEE, resultat: ACCEPTEE }) { id } }`, { p: B });
    const cdd = await ecrire<{ ajouterContratTravail: unknown }>(CONTRAT, {
      p: B,
      i: { type: 'CDD', employeur: 'EHPAD Les Tilleuls', codeRome: 'J1301', dateDebut: '2023-05-02', termeImprecis: true, tempsTravail: 'TEMPS_PLEIN' },
    });
    expect(cdd.ajouterContratTravail).toMatchObject({ type: 'CDD', dateFin: null, termeImprecis: true, stabilisant: false });
    const id = (cdd.ajouterContratTravail as { id: string }).id;
    expect(await ecrire(`mutation($c: ID!) { terminerContratTravail(contratId: $c, dateFin: "2023-08-31") { dateFin stabilisant } }`, { c: id })).toEqual({
      terminerContratTravail: { dateFin: '2023-08-31', stabilisant: false },
    });
    const geiq = await ecrire<{ ajouterContratTravail: unknown }>(CONTRAT, {
      p: B,
      i: { type: 'IAE_GEIQ', employeur: 'GEIQ Propreté 44', codeRome: 'K2204', dateDebut: '2023-10-16', dateFin: '2024-10-15', tempsTravail: 'TEMPS_PLEIN', heuresHebdomadaires: 35 },
    });
    expect(geiq.ajouterContratTravail).toMatchObject({ type: 'IAE_GEIQ', metier: { code: 'K2204', libelle: 'Nettoyage de locaux' }, stabilisant: true });
  });

  it('her GEIQ contract makes her situation stabilised from its first day, not before', async () => {
    expect(await situationAu(B, '2023-06-15')).toEqual({ categorie: 'EMPLOI_COURT', stabilise: false, depuis: null });
    expect(await situationAu(B, '2023-09-15')).toEqual({ categorie: 'SANS_ACTIVITE', stabilise: false, depuis: null });
    expect(await situationAu(B, '2023-10-15')).toEqual({ categorie: 'SANS_ACTIVITE', stabilise: false, depuis: null });
    expect(await situationAu(B, '2023-10-16')).toEqual({ categorie: 'ALTERNANCE', stabilise: true, depuis: '2023-10-16' });
    expect(await situationAu(B, '2024-04-16')).toEqual({ categorie: 'ALTERNANCE', stabilise: true, depuis: '2023-10-16' });
  });

  it('shows her contracts, with the identifier hidden from the coordination', async () => {
    const query = `query($id: ID!) { parcours(id: $id) { inscriptionFranceTravail { dateInscription identifiant } freins { type leve } contratsTravail { type dateDebut dateFin stabilisant } projetProfessionnel { etat metiersVises { code libelle } } } }`;
    const asCoordination = await hub.query(query, { id: B }, { token: tokens.coordination });
    expect(asCoordination).toEqual({
      data: {
        parcours: {
          inscriptionFranceTravail: { dateInscription: '2023-03-15', identifiant: null },
          freins: [{ type: 'GARDE_ENFANTS', leve: false }, { type: 'MOBILITE', leve: true }].sort((a, b) => (a.type < b.type ? -1 : 1)),
          contratsTravail: [
            { type: 'CDD', dateDebut: '2023-05-02', dateFin: '2023-08-31', stabilisant: false },
            { type: 'IAE_GEIQ', dateDebut: '2023-10-16', dateFin: '2024-10-15', stabilisant: true },
          ],
          projetProfessionnel: { etat: 'EN_VALIDATION', metiersVises: [{ code: 'D1104', libelle: 'Pâtisserie, confiserie, chocolaterie et glacerie' }, { code: 'K2204', libelle: 'Nettoyage de locaux' }] },
        },
      },
      errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN', field: 'InscriptionFranceTravail.identifiant' }) })],
    });
    const asReferent = await hub.query<{ parcours: { inscriptionFranceTravail: unknown } }>(query, { id: B }, { token: tokens.referent });
    expect(asReferent.data?.parcours.inscriptionFranceTravail).toEqual({ dateInscription: '2023-03-15', identifiant: '1234567B' });
  });
});

describe('Monsieur A.: France Travail, application through ITOU to an ACI, ACI validated, project to rework', () => {
  it('enters his parcours and reads it back whole', async () => {
    await ecrire(INSCRIPTION, { p: A, i: { dateInscription: '2023-04-05' } });
    await ecrire(`mutation($p: ID!) { definirProjetProfessionnel(parcoursId: $p, input: { etat: EN_VALIDATION, codesRome: ["K2204"], dateMiseAJour: "2023-04-05" }) { etat } }`, { p: A });
    const cand = await ecrire<{ ajouterCandidature: { id: string } }>(
      `mutation($p: ID!) { ajouterCandidature(parcoursId: $p, input: { employeur: "ACI de la Ville de La Roche-sur-Yon", codeRome: "A1203", dateCandidature: "2023-05-10", canal: EMPLOIS_DE_L_INCLUSION }) { id resultat } }`,
      { p: A },
    );
    expect(await ecrire(`mutation($c: ID!) { modifierResultatCandidature(candidatureId: $c, resultat: ACCEPTEE) { employeur metier { code } canal resultat } }`, { c: cand.ajouterCandidature.id })).toEqual({
      modifierResultatCandidature: { employeur: 'ACI de la Ville de La Roche-sur-Yon', metier: { code: 'A1203' }, canal: 'EMPLOIS_DE_L_INCLUSION', resultat: 'ACCEPTEE' },
    });
    await ecrire(`mutation($p: ID!) { ajouterAccompagnementExterne(parcoursId: $p, input: { type: SIAE, structure: "Chantier d'insertion ACEMUS", dateDebut: "2023-05-10" }) { id } }`, { p: A });
    await ecrire(FORMATION, { p: A, i: { type: 'LINGUISTIQUE', dispositifLinguistique: 'FLE', intitule: 'FLE lundi-mardi', organisme: 'IDC Formation', dateDebut: '2023-04-03', dateFin: '2023-12-19' } });
    // Health is why the project is reworked: nothing of it is stored, only the state.
    expect(await ecrire(`mutation($p: ID!) { definirProjetProfessionnel(parcoursId: $p, input: { etat: A_RETRAVAILLER, codesRome: [], dateMiseAJour: "2023-09-12" }) { etat metiersVises { code } dateMiseAJour etapes { id } } }`, { p: A })).toEqual({
      definirProjetProfessionnel: { etat: 'A_RETRAVAILLER', metiersVises: [], dateMiseAJour: '2023-09-12', etapes: [] },
    });
    const r = await hub.query(
      `query($id: ID!) { parcours(id: $id) { id statut candidatures { metier { libelle } canal resultat } accompagnementsExternes { type structure } projetProfessionnel { etat } situationProfessionnelleAu(date: "2023-06-01") { categorie stabilise depuis } evenementsEmploiFormation { date type } } }`,
      { id: A },
      { token: tokens.coordination },
    );
    expect(r).toEqual({
      data: {
        parcours: {
          id: A,
          statut: 'CONTRACTUALISE',
          candidatures: [{ metier: { libelle: 'Aménagement et entretien des espaces verts' }, canal: 'EMPLOIS_DE_L_INCLUSION', resultat: 'ACCEPTEE' }],
          accompagnementsExternes: [{ type: 'SIAE', structure: "Chantier d'insertion ACEMUS" }],
          projetProfessionnel: { etat: 'A_RETRAVAILLER' },
          situationProfessionnelleAu: { categorie: 'FORMATION_LINGUISTIQUE', stabilise: false, depuis: null },
          evenementsEmploiFormation: [
            { date: '2023-04-03', type: 'FORMATION_DEBUT' },
            { date: '2023-04-05', type: 'INSCRIPTION_FRANCE_TRAVAIL' },
            // The project, and its change when the ACI showed it was to rework.
            { date: '2023-04-05', type: 'PROJET_PROFESSIONNEL' },
            { date: '2023-05-10', type: 'ACCOMPAGNEMENT_EXTERNE_DEBUT' },
            { date: '2023-05-10', type: 'CANDIDATURE' },
            { date: '2023-09-12', type: 'PROJET_PROFESSIONNEL_MODIFIE' },
            { date: '2023-12-19', type: 'FORMATION_FIN' },
          ],
        },
      },
    });
  });
});

describe('indicators of the three vignettes', () => {
  it('counts them in SQL for 44 over 2023', async () => {
    const r = await hub.query(
      `{ indicateursEmploiFormation(departement: "44", du: "2023-01-01", au: "2023-12-31") {
          parcoursSuivis situationEntree { categorie nombre } situationActuelle { categorie nombre }
          accesEmploiFormation { numerateur denominateur taux objectif atteint }
          progressionLangue { parcoursEvalues parcoursEnProgression niveauxGagnes }
          freins { type identifies leves } contratsParType { type nombre } } }`,
      {},
      { token: tokens.coordination },
    );
    expect(r.errors).toBeUndefined();
    const i = (r.data as { indicateursEmploiFormation: Record<string, unknown> }).indicateursEmploiFormation;
    const nonZero = (list: unknown) => (list as { nombre?: number; identifies?: number }[]).filter((x) => (x.nombre ?? x.identifies) !== 0);
    expect({ ...i, situationEntree: nonZero(i.situationEntree), situationActuelle: nonZero(i.situationActuelle), freins: nonZero(i.freins), contratsParType: nonZero(i.contratsParType) }).toEqual({
      parcoursSuivis: 3,
      // The dossier opens on the earliest fact recorded: J. declared SANS_ACTIVITE that day, A.'s
      // first fact is his FLE course; B.'s is a barrier, so her situation at entry is unknown (not counted).
      situationEntree: [
        { categorie: 'SANS_ACTIVITE', nombre: 1 },
        { categorie: 'FORMATION_LINGUISTIQUE', nombre: 1 },
      ],
      // On 31 December A.'s FLE course has ended (19 December).
      situationActuelle: [
        { categorie: 'SANS_ACTIVITE', nombre: 1 },
        { categorie: 'ALTERNANCE', nombre: 1 },
        { categorie: 'SERVICE_CIVIQUE', nombre: 1 },
      ],
      // B. (CDD, GEIQ); J.'s service civique and A.'s FLE do not count.
      accesEmploiFormation: { numerateur: 1, denominateur: 3, taux: 1 / 3, objectif: 0.6, atteint: false },
      progressionLangue: { parcoursEvalues: 0, parcoursEnProgression: 0, niveauxGagnes: 0 },
      freins: [
        { type: 'MOBILITE', identifies: 1, leves: 1 },
        { type: 'GARDE_ENFANTS', identifies: 1, leves: 0 },
      ],
      contratsParType: [
        { type: 'CDD', nombre: 1 },
        { type: 'IAE_GEIQ', nombre: 1 },
        { type: 'SERVICE_CIVIQUE', nombre: 1 },
      ],
    });
  });

  it('refuses a referent of the other domain and a département out of scope', async () => {
    const q = `query($d: String!) { indicateursEmploiFormation(departement: $d, du: "2023-01-01", au: "2023-12-31") { parcoursSuivis } }`;
    const dl = await hub.query(q, { d: '44' }, { token: tokens.referentDL });
    expect(dl.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const out = await hub.query(q, { d: '85' }, { token: tokens.coordination });
    expect(out.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
