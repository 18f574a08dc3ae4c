import { today } from '@agir/common';
import { PERSONNE, REF, SITUATION, USERS, seedFaitsDomaines, seedReference } from './support/coordination-fixtures';
import { startTestHub, type GraphQLResult, type TestHub } from './support/hub';

/**
 * The whole parcours through the gateway: OFII orientation to closure after the 6-month
 * follow-up, and the fiche de liaison to OFII's refusal; every refused move answers
 * TRANSITION_INVALIDE and changes nothing.
 */

const ETAT = `query Etat($id: ID!) { parcours(id: $id) {
  id statut actionsPermises
  historique { action statutAvant statutApres date auteur { id nom structureId } motif reference }
} }`;

interface Etat {
  parcours: { id: string; statut: string; actionsPermises: string[]; historique: { action: string; statutAvant: string | null; statutApres: string; date: string; auteur: { id: string } }[] };
}

let hub: TestHub;
const tokens: Record<keyof typeof USERS, string> = {} as never;

beforeAll(async () => {
  hub = await startTestHub({ seed: seedReference });
  for (const [k, claims] of Object.entries(USERS)) tokens[k as keyof typeof USERS] = await hub.token(claims);
});
afterAll(async () => {
  await hub?.stop();
});

const as = (who: keyof typeof USERS) => ({ token: tokens[who] });
const ok = <T>(r: GraphQLResult<T>): T => {
  expect(r.errors).toBeUndefined();
  return r.data as T;
};
const etat = async (id: string) => ok(await hub.query<Etat>(ETAT, { id }, as('coordination44'))).parcours;

/** Tries a move that must be refused: TRANSITION_INVALIDE naming the statut, and nothing changed. */
async function refusee(query: string, variables: Record<string, unknown>, id: string, garde?: string) {
  const avant = await etat(id);
  const result = await hub.query(query, variables, as('coordination44'));
  expect(result.data ?? null).toBeNull();
  expect(result.errors).toHaveLength(1);
  const ext = result.errors![0]!.extensions!;
  expect(ext.code).toBe('TRANSITION_INVALIDE');
  expect(ext.statutActuel).toBe(avant.statut);
  // The allowed moves named in the error are those of the statut (SORTIR only when the criteria hold).
  expect(avant.actionsPermises).toEqual(expect.arrayContaining(ext.actionsPermises as string[]));
  if (garde) expect(ext.garde).toBe(garde);
  expect(result.errors![0]!.message).toContain(avant.statut);
  expect(await etat(id)).toEqual(avant);
  return ext;
}

const ORIENTER = `mutation($input: OrientationOfiiInput!) { orienterParOfii(input: $input) { id statut canalOrientation departement site { id } dateOrientation dateSignatureCir
  convocation { date heure contenu remiseLe site { nom } } eligibilite { eligible voie } } }`;
const DIAGNOSTIC = `mutation($id: ID!, $d: DiagnosticInput!) { realiserDiagnostic(parcoursId: $id, diagnostic: $d) { statut dateDiagnostic diagnostic { date professionnel prioriteRecommandee signeParBeneficiaire axes { axe observations } } } }`;
const COMMISSION = `mutation($id: ID!, $c: CommissionInput!) { tenirCommission(parcoursId: $id, commission: $c) { statut dateCommission commission { priorite bassinDeVie partenaires { nom } } referentDroitsLogement { nom } referentEmploiFormation { nom } } }`;
const CONTRAT = `mutation($id: ID!, $c: ContratInput!) { contractualiser(parcoursId: $id, contrat: $c) { statut dateContrat dateFinContrat contrat { dateSignature dateFin plan { axe objectifs } } } }`;
const SORTIR = `mutation($id: ID!, $s: SortieInput!) { sortir(parcoursId: $id, sortie: $s) { statut dateSortie motifFin } }`;
const SUIVI = `mutation($id: ID!, $s: SuiviInput!) { realiserSuivi(parcoursId: $id, suivi: $s) { statut suivis { echeance datePrevue date resultat } } }`;
const CLORE = `mutation($id: ID!, $f: FinParcoursInput!) { clore(parcoursId: $id, fin: $f) { statut } }`;
const ABANDONNER = `mutation($id: ID!, $f: FinParcoursInput!) { abandonner(parcoursId: $id, fin: $f) { statut } }`;
const REFUSER = `mutation($id: ID!, $f: FinParcoursInput!) { refuserContrat(parcoursId: $id, fin: $f) { statut } }`;

const AXES_DIAGNOSTIC = [
  { axe: 'DROITS', observations: 'Titre de séjour en cours de renouvellement ; CAF ouverte.' },
  { axe: 'LOGEMENT', observations: 'Hébergée en CADA, sortie prévue au printemps.' },
  { axe: 'EMPLOI', observations: 'Expérience de couturière, souhaite travailler dans le soin.' },
  { axe: 'FORMATION', observations: 'Niveau A1, 400 h de français prescrites au CIR.' },
];

describe('a parcours from OFII orientation to closure', () => {
  let id: string;

  it('the OFII orients at the CIR signature and books the diagnostic within the month', async () => {
    const convocation = { siteId: REF.site44, date: '2025-01-20', heure: '09:30', contenu: "Convocation à l'entretien diagnostic AGIR, avec votre titre de séjour. Interprète dari prévu." };
    // Not the OFII's: a prescriber may not orient at the CIR.
    const refus = await hub.query(ORIENTER, { input: { dateSignatureCir: '2025-01-06', beneficiaire: PERSONNE, situation: SITUATION, convocation } }, as('prescripteur44'));
    expect(refus.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // An appointment after the month is refused, naming the field.
    const tard = await hub.query(ORIENTER, { input: { dateSignatureCir: '2025-01-06', beneficiaire: PERSONNE, situation: SITUATION, convocation: { ...convocation, date: '2025-02-07' } } }, as('ofii'));
    expect(tard.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.convocation.date' });

    const data = ok(await hub.query<{ orienterParOfii: Record<string, unknown> & { id: string } }>(ORIENTER, { input: { dateSignatureCir: '2025-01-06', beneficiaire: PERSONNE, situation: SITUATION, convocation } }, as('ofii')));
    id = data.orienterParOfii.id;
    expect(data.orienterParOfii).toEqual({
      id,
      statut: 'CONVOQUE',
      canalOrientation: 'OFII',
      departement: '44',
      site: { id: REF.site44 },
      dateOrientation: '2025-01-06',
      dateSignatureCir: '2025-01-06',
      convocation: { date: '2025-01-20', heure: '09:30', contenu: convocation.contenu, remiseLe: '2025-01-06', site: { nom: 'Centre 1 AGIR – Rezé' } },
      eligibilite: { eligible: 'OUI', voie: 'BPI' },
    });
    const e = await etat(id);
    expect(e.historique).toEqual([
      { action: 'ORIENTER', statutAvant: null, statutApres: 'ORIENTE', date: '2025-01-06', auteur: { id: 'ofii-auditeur-1', nom: 'Auditrice OFII', structureId: REF.ofii }, motif: null, reference: null },
      { action: 'CONVOQUER', statutAvant: 'ORIENTE', statutApres: 'CONVOQUE', date: '2025-01-06', auteur: { id: 'ofii-auditeur-1', nom: 'Auditrice OFII', structureId: REF.ofii }, motif: null, reference: null },
    ]);
    expect(e.actionsPermises).toEqual(['REALISER_DIAGNOSTIC', 'ABANDONNER']);
  });

  it('refuses moves the statut does not allow, and a user of another département', async () => {
    await refusee(CONTRAT, { id, c: { dateSignature: '2025-01-21', plan: [{ axe: 'EMPLOI', objectifs: ['CDI'] }] } }, id);
    await refusee(REFUSER, { id, f: { date: '2025-01-21' } }, id);
    const autre = await hub.query(DIAGNOSTIC, { id, d: { date: '2025-01-20', professionnel: 'X', axes: AXES_DIAGNOSTIC, prioriteRecommandee: 'LES_DEUX', signeParBeneficiaire: true } }, as('coordination85'));
    expect(autre.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const lecture = await hub.query(ETAT, { id }, as('coordination85'));
    expect(lecture.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('records the diagnostic, the commission with its binôme and the contract', async () => {
    // Bad input first: a missing axe names the field and writes nothing.
    const manque = await hub.query(DIAGNOSTIC, { id, d: { date: '2025-01-20', professionnel: 'Sarah Bin', axes: AXES_DIAGNOSTIC.slice(0, 3), prioriteRecommandee: 'LES_DEUX', signeParBeneficiaire: true } }, as('coordination44'));
    expect(manque.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'diagnostic.axes' });
    expect((await etat(id)).statut).toBe('CONVOQUE');

    const d = ok(await hub.query<{ realiserDiagnostic: unknown }>(DIAGNOSTIC, { id, d: { date: '2025-01-20', professionnel: 'Sarah Bin', axes: AXES_DIAGNOSTIC, prioriteRecommandee: 'LES_DEUX', signeParBeneficiaire: true } }, as('coordination44')));
    expect(d.realiserDiagnostic).toEqual({
      statut: 'DIAGNOSTIC_REALISE',
      dateDiagnostic: '2025-01-20',
      diagnostic: { date: '2025-01-20', professionnel: 'Sarah Bin', prioriteRecommandee: 'LES_DEUX', signeParBeneficiaire: true, axes: AXES_DIAGNOSTIC },
    });

    // The binôme: a Droits & Logement referent in the Emploi & Formation seat is refused.
    const mauvais = await hub.query(COMMISSION, { id, c: { date: '2025-01-28', priorite: 'LES_DEUX', bassinDeVie: 'Nantes Métropole', partenaireIds: [REF.ofii], referentDroitsLogementId: REF.referentDL, referentEmploiFormationId: REF.referentDL85 } }, as('coordination44'));
    expect(mauvais.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'commission.referentEmploiFormationId' });
    const c = ok(await hub.query<{ tenirCommission: unknown }>(COMMISSION, { id, c: { date: '2025-01-28', priorite: 'LES_DEUX', bassinDeVie: 'Nantes Métropole', partenaireIds: [REF.ofii], referentDroitsLogementId: REF.referentDL, referentEmploiFormationId: REF.referentEF } }, as('coordination44')));
    expect(c.tenirCommission).toEqual({
      statut: 'COMMISSION_REALISEE',
      dateCommission: '2025-01-28',
      commission: { priorite: 'LES_DEUX', bassinDeVie: 'Nantes Métropole', partenaires: [{ nom: 'OFII' }] },
      referentDroitsLogement: { nom: 'Clerc' },
      referentEmploiFormation: { nom: 'Williot' },
    });

    // A contract longer than 24 months is bad input; a date before the commission too.
    const long = await hub.query(CONTRAT, { id, c: { dateSignature: '2025-02-10', dateFin: '2027-02-11', plan: [{ axe: 'EMPLOI', objectifs: ['CDI'] }] } }, as('coordination44'));
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'contrat.dateFin' });
    const avant = await hub.query(CONTRAT, { id, c: { dateSignature: '2025-01-27', plan: [{ axe: 'EMPLOI', objectifs: ['CDI'] }] } }, as('coordination44'));
    expect(avant.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'date' });
    const plan = [
      { axe: 'LOGEMENT', objectifs: ['Déposer une demande de logement social', 'Accéder à une résidence sociale'] },
      { axe: 'EMPLOI', objectifs: ["Obtenir un emploi d'agent de service hospitalier"] },
    ];
    const k = ok(await hub.query<{ contractualiser: unknown }>(CONTRAT, { id, c: { dateSignature: '2025-02-10', plan } }, as('coordination44')));
    expect(k.contractualiser).toEqual({ statut: 'CONTRACTUALISE', dateContrat: '2025-02-10', dateFinContrat: '2027-02-10', contrat: { dateSignature: '2025-02-10', dateFin: '2027-02-10', plan } });
    const ev = await hub.query(`mutation($id: ID!) { enregistrerEvaluation(parcoursId: $id, evaluation: { type: ENTREE, date: "2025-02-10", axes: [{ axe: LOGEMENT, appreciation: "En CADA" }] }) { evaluations { type date } } }`, { id }, as('coordination44'));
    expect(ok(ev)).toEqual({ enregistrerEvaluation: { evaluations: [{ type: 'ENTREE', date: '2025-02-10' }] } });
  });

  it('refuses the exit while the domains do not report the exit criteria, then allows it', async () => {
    await refusee(CLORE, { id, f: { date: '2025-06-01' } }, id);
    await refusee(SUIVI, { id, s: { echeance: 'TROIS_MOIS', date: '2025-06-01', resultat: 'x' } }, id);
    const ext = await refusee(SORTIR, { id, s: { date: '2025-09-01', motif: 'Résidence sociale et CDI' } }, id, 'CRITERES_SORTIE');
    expect(ext.criteresSortie).toMatchObject({ rempli: false, criteres: [{ critere: 'LOGEMENT', statut: 'INCONNU' }, { critere: 'SITUATION_PROFESSIONNELLE', statut: 'INCONNU' }] });

    // The domains record a résidence sociale and a durable job, in their own databases.
    await seedFaitsDomaines(
      { coordination: hub.subgraphs.coordination.dataSource, 'droits-logement': hub.subgraphs['droits-logement'].dataSource, 'emploi-formation': hub.subgraphs['emploi-formation'].dataSource },
      id,
      { logement: { type: 'RESIDENCE_SOCIALE', categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE', debut: '2025-05-01' }, emploi: { categorie: 'EMPLOI_DURABLE', debut: '2025-06-02' } },
    );
    const criteres = ok(await hub.query<{ parcours: { criteresSortie: { rempli: boolean; criteres: unknown[] } } }>(`query($id: ID!) { parcours(id: $id) { criteresSortie { rempli criteres { critere statut source } } } }`, { id }, as('coordination44')));
    expect(criteres.parcours.criteresSortie).toEqual({
      rempli: true,
      criteres: [
        { critere: 'LOGEMENT', statut: 'REMPLI', source: 'DROITS_LOGEMENT' },
        { critere: 'SITUATION_PROFESSIONNELLE', statut: 'REMPLI', source: 'EMPLOI_FORMATION' },
      ],
    });
    const s = ok(await hub.query<{ sortir: unknown }>(SORTIR, { id, s: { date: '2025-09-01', motif: 'Résidence sociale et CDI' } }, as('coordination44')));
    expect(s.sortir).toEqual({ statut: 'SORTI', dateSortie: '2025-09-01', motifFin: 'Résidence sociale et CDI' });
  });

  it('follows up at 3 and 6 months, then closes; a closed parcours refuses everything but a reintegration', async () => {
    // The 6-month follow-up cannot come first, nor the 3-month one before its date.
    await refusee(SUIVI, { id, s: { echeance: 'SIX_MOIS', date: '2025-12-01', resultat: 'x' } }, id);
    await refusee(SUIVI, { id, s: { echeance: 'TROIS_MOIS', date: '2025-10-01', resultat: 'x' } }, id, 'DELAI_SUIVI');
    const s3 = ok(await hub.query<{ realiserSuivi: unknown }>(SUIVI, { id, s: { echeance: 'TROIS_MOIS', date: '2025-12-01', resultat: 'Toujours en CDI, en résidence sociale.' } }, as('coordination44')));
    expect(s3.realiserSuivi).toEqual({ statut: 'SUIVI_3_MOIS', suivis: [{ echeance: 'TROIS_MOIS', datePrevue: '2025-12-01', date: '2025-12-01', resultat: 'Toujours en CDI, en résidence sociale.' }] });
    await refusee(CLORE, { id, f: { date: '2026-01-05' } }, id);
    ok(await hub.query(SUIVI, { id, s: { echeance: 'SIX_MOIS', date: '2026-03-02', resultat: 'Demande de logement social en cours.' } }, as('coordination44')));
    expect(ok(await hub.query(CLORE, { id, f: { date: '2026-03-10', motif: 'Intégration durable' } }, as('coordination44')))).toEqual({ clore: { statut: 'CLOS' } });

    await refusee(ABANDONNER, { id, f: { date: '2026-03-11' } }, id);
    await refusee(SUIVI, { id, s: { echeance: 'SIX_MOIS', date: '2026-03-11', resultat: 'x' } }, id);
    const fin = await etat(id);
    expect(fin.statut).toBe('CLOS');
    expect(fin.actionsPermises).toEqual(['REINTEGRER']);
    expect(fin.historique.map((h) => [h.action, h.statutApres, h.date])).toEqual([
      ['ORIENTER', 'ORIENTE', '2025-01-06'],
      ['CONVOQUER', 'CONVOQUE', '2025-01-06'],
      ['REALISER_DIAGNOSTIC', 'DIAGNOSTIC_REALISE', '2025-01-20'],
      ['TENIR_COMMISSION', 'COMMISSION_REALISEE', '2025-01-28'],
      ['CONTRACTUALISER', 'CONTRACTUALISE', '2025-02-10'],
      ['SORTIR', 'SORTI', '2025-09-01'],
      ['REALISER_SUIVI_3_MOIS', 'SUIVI_3_MOIS', '2025-12-01'],
      ['REALISER_SUIVI_6_MOIS', 'SUIVI_6_MOIS', '2026-03-02'],
      ['CLORE', 'CLOS', '2026-03-10'],
    ]);
    expect(new Set(fin.historique.slice(2).map((h) => h.auteur.id))).toEqual(new Set(['coord-44']));
  });

  it('keeps the history append-only in the database itself', async () => {
    const db = hub.subgraphs.coordination.dataSource;
    await expect(db.query('UPDATE transition_parcours SET motif = $1 WHERE parcours_id = $2', ['réécrit', id])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM transition_parcours WHERE parcours_id = $1', [id])).rejects.toThrow(/append-only/);
  });
});

describe('a fiche de liaison', () => {
  const FICHES = `query($d: String!) { fichesLiaison(departement: $d) { id statut soumiseLe prescripteur { nom structure soumisPar } beneficiaire { nom prenom } situation { volontaire } } }`;
  const SOUMETTRE = `mutation($input: FicheLiaisonInput!) { soumettreFicheLiaison(input: $input) { id statut departement beneficiaire { nom } } }`;
  const REPONSE = `mutation($id: ID!, $r: ReponseOfiiInput!) { enregistrerReponseOfii(ficheId: $id, reponse: $r) { id statut dateReponse motifRefus parcours { id statut canalOrientation historique { action } } } }`;
  // A fiche is dated the day it is submitted, so OFII answers today; the person is a BPI of year N-1.
  const AUJOURDHUI = today();
  const N1 = Number(AUJOURDHUI.slice(0, 4)) - 1;
  const fiche = (nom: string) => ({
    departement: '44',
    prescripteur: { nom: 'Julie Martin', structure: 'CADA de Nantes', email: 'julie.martin@example.org' },
    beneficiaire: { ...PERSONNE, nom, dateObtentionProtection: `${N1}-03-15` },
    dateSignatureCir: `${N1}-05-02`,
    situation: SITUATION,
    commentaire: `BPI ${N1}, souhaite entrer dans AGIR.`,
  });

  it('goes from the prescriber to the monthly CSV listing to OFII’s refusal, which creates no parcours', async () => {
    expect((await hub.query(SOUMETTRE, { input: fiche('Tesfaye') }, as('coordination44'))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const soumise = ok(await hub.query<{ soumettreFicheLiaison: { id: string; statut: string } }>(SOUMETTRE, { input: fiche('Tesfaye') }, as('prescripteur44')));
    const ficheId = soumise.soumettreFicheLiaison.id;
    expect(soumise.soumettreFicheLiaison).toEqual({ id: ficheId, statut: 'EN_ATTENTE', departement: '44', beneficiaire: { nom: 'Tesfaye' } });

    const liste = ok(await hub.query<{ fichesLiaison: { id: string }[] }>(FICHES, { d: '44' }, as('coordination44')));
    expect(liste.fichesLiaison.map((f) => f.id)).toContain(ficheId);
    const { listingFichesLiaisonCsv: csv } = ok(await hub.query<{ listingFichesLiaisonCsv: string }>(`query { listingFichesLiaisonCsv(departement: "44") }`, {}, as('coordination44')));
    const [entete, ...lignes] = csv.trimEnd().split('\n');
    expect(entete!.split(';').slice(0, 6)).toEqual(['Référence fiche', 'Soumise le', 'Prescripteur', 'Structure du prescripteur', 'Nom', 'Prénom']);
    expect(lignes.find((l) => l.startsWith(ficheId))).toBe(`${ficheId};${AUJOURDHUI};Julie Martin;CADA de Nantes;Tesfaye;Amina;1994-03-12;FEMME;AF;REFUGIE;${N1}-03-15;${N1}-05-02;Nantes;oui;oui;non;non;oui;BPI ${N1}, souhaite entrer dans AGIR.`);

    const avant = ok(await hub.query<{ parcoursListe: { totalCount: number } }>(`{ parcoursListe { totalCount } }`, {}, as('coordination44'))).parcoursListe.totalCount;
    const sansMotif = await hub.query(REPONSE, { id: ficheId, r: { decision: 'REFUSEE', date: AUJOURDHUI } }, as('ofii'));
    expect(sansMotif.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reponse.motifRefus' });
    const refus = ok(await hub.query<{ enregistrerReponseOfii: unknown }>(REPONSE, { id: ficheId, r: { decision: 'REFUSEE', date: AUJOURDHUI, motifRefus: 'Personne domiciliée en Maine-et-Loire.' } }, as('ofii')));
    expect(refus.enregistrerReponseOfii).toEqual({ id: ficheId, statut: 'REFUSEE', dateReponse: AUJOURDHUI, motifRefus: 'Personne domiciliée en Maine-et-Loire.', parcours: null });
    expect(ok(await hub.query<{ parcoursListe: { totalCount: number } }>(`{ parcoursListe { totalCount } }`, {}, as('coordination44'))).parcoursListe.totalCount).toBe(avant);
    // An answer is final.
    const encore = await hub.query(REPONSE, { id: ficheId, r: { decision: 'VALIDEE', date: AUJOURDHUI, convocation: { siteId: REF.site44, date: AUJOURDHUI, heure: '10:00', contenu: 'RDV' } } }, as('ofii'));
    expect(encore.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ficheId' });
    expect(ok(await hub.query<{ fichesLiaison: { id: string }[] }>(FICHES, { d: '44' }, as('coordination44'))).fichesLiaison.map((f) => f.id)).not.toContain(ficheId);
  });

  it('refuses a telephone number that is not in international form, and records nothing', async () => {
    const avant = ok(await hub.query<{ fichesLiaison: { id: string }[] }>(FICHES, { d: '44' }, as('coordination44'))).fichesLiaison.length;
    const input = fiche('Haile');
    for (const telephone of ['0612', '0612345678']) {
      const refus = await hub.query(SOUMETTRE, { input: { ...input, beneficiaire: { ...input.beneficiaire, telephone } } }, as('prescripteur44'));
      expect((refus.data as { soumettreFicheLiaison?: unknown } | null | undefined)?.soumettreFicheLiaison ?? null).toBeNull();
      expect(refus.errors?.[0]?.message).toContain('format international E.164, ex. +33612345678');
      expect(refus.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(ok(await hub.query<{ fichesLiaison: { id: string }[] }>(FICHES, { d: '44' }, as('coordination44'))).fichesLiaison).toHaveLength(avant);
  });

  it('once validated by the OFII with an appointment, opens a parcours convoked to the diagnostic', async () => {
    const soumise = ok(await hub.query<{ soumettreFicheLiaison: { id: string } }>(SOUMETTRE, { input: fiche('Nouri') }, as('prescripteur44')));
    const r = ok(
      await hub.query<{ enregistrerReponseOfii: { statut: string; parcours: { id: string; statut: string; canalOrientation: string; historique: { action: string }[] } } }>(
        REPONSE,
        { id: soumise.soumettreFicheLiaison.id, r: { decision: 'VALIDEE', date: AUJOURDHUI, convocation: { siteId: REF.site44, date: AUJOURDHUI, heure: '14:00', contenu: 'Entretien diagnostic AGIR' } } },
        as('ofii'),
      ),
    );
    expect(r.enregistrerReponseOfii).toMatchObject({ statut: 'VALIDEE', parcours: { statut: 'CONVOQUE', canalOrientation: 'FICHE_LIAISON', historique: [{ action: 'ORIENTER' }, { action: 'CONVOQUER' }] } });
    const pid = r.enregistrerReponseOfii.parcours.id;
    await refusee(CLORE, { id: pid, f: { date: AUJOURDHUI } }, pid);
    expect(ok(await hub.query(ABANDONNER, { id: pid, f: { date: AUJOURDHUI, motif: 'Déménagement' } }, as('coordination44')))).toEqual({ abandonner: { statut: 'ABANDON' } });
    await refusee(`mutation($id: ID!) { reintegrer(parcoursId: $id, reintegration: { date: $date, referenceAccordPrefet: "PREF-44-2025-12" }) { statut } }`.replace('$id: ID!', '$id: ID!, $date: Date!'), { id: pid, date: AUJOURDHUI }, pid);
  });
});
