import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  AccompagnementExterne, Candidature, CertificationLangue, ContratTravail, Diagnostic, Diplome, Dossier, EtapeProjet, EvaluationLangue, Experience,
  Formation, Frein, InscriptionFranceTravail, Projet, SituationProfessionnelle,
} from '../subgraphs/emploi-formation/src/entities';
import { efFixture, seedCoordinationEF } from './support/emploi-formation-fixtures';
import { startTestHub, type TestHub } from './support/hub';

/** Every Emploi & Formation field of a parcours, nested types included. */
const LISTE = `
  query($first: Int) { parcoursListe(first: $first, filtre: { statut: [CONTRACTUALISE] }) { edges { node {
    id
    situationProfessionnelle { id categorie source stabilisante }
    historiqueProfessionnel { categorie source }
    situationPourSortie { categorie stabilise depuis }
    situationProfessionnelleAu(date: "2024-06-01") { categorie }
    evenementsEmploiFormation { date type libelle }
    langue { niveauCecrl niveauEntree niveauxGagnes parcoursCir { pourcentageRealise } }
    evaluationsLangue { niveauCecrl niveauEntree }
    certificationsLangue { type niveauCecrl }
    diagnosticSocioProfessionnel { niveauFormation diplomes { intitule } experiences { metier { libelle } } }
    freins { type leve }
    projetProfessionnel { etat metiersVises { code } etapes { type } }
    inscriptionFranceTravail { dateInscription }
    accompagnementsExternes { type }
    candidatures { canal resultat }
    formations { type stabilisante }
    contratsTravail { type stabilisant }
  } } } }`;

const f = efFixture();
const ids = Array.from({ length: 100 }, () => randomUUID());

/** Every parcours gets a row in every table, so that pages of 10 and 100 ask the same of each node. */
async function seedEF(db: DataSource): Promise<void> {
  const all = <T>(make: (p: string, i: number) => T) => ids.map(make);
  await db.getRepository(Dossier).insert(all((p) => ({ parcoursId: p, departement: '44', ouvertLe: '2024-01-15' })));
  await db.getRepository(SituationProfessionnelle).insert(all((p) => ({ parcoursId: p, categorie: 'SANS_ACTIVITE' as const, dateDebut: '2024-01-15', dateFin: null })));
  await db.getRepository(EvaluationLangue).insert(all((p) => ({ parcoursId: p, niveauCecrl: 'A1' as const, dateEvaluation: '2024-01-15', heuresParcoursCir: 400 })));
  await db.getRepository(EvaluationLangue).insert(all((p) => ({ parcoursId: p, niveauCecrl: 'A2' as const, dateEvaluation: '2024-09-15', heuresParcoursCir: 400 })));
  await db.getRepository(CertificationLangue).insert(all((p) => ({ parcoursId: p, type: 'DELF' as const, niveauCecrl: 'A2' as const, dateObtention: '2024-10-01' })));
  await db.getRepository(Diagnostic).insert(all((p) => ({ parcoursId: p, dateDiagnostic: '2024-01-15', niveauFormation: 'SECONDAIRE_DIPLOME' as const, souhaits: null, competences: ['cuisine'] })));
  await db.getRepository(Diplome).insert(all((p) => ({ parcoursId: p, intitule: 'Baccalauréat', pays: 'AF', annee: 2010, reconnaissance: 'EN_COURS' as const })));
  await db.getRepository(Experience).insert(all((p) => ({ parcoursId: p, codeRome: 'G1602', pays: 'AF', dureeMois: 24 })));
  await db.getRepository(Frein).insert(all((p) => ({ parcoursId: p, type: 'LANGUE' as const, dateIdentification: '2024-01-15', dateLevee: null })));
  await db.getRepository(Projet).insert(all((p) => ({ parcoursId: p, etat: 'EN_VALIDATION' as const, codesRome: ['G1602'], dateMiseAJour: '2024-02-01' })));
  await db.getRepository(EtapeProjet).insert(all((p) => ({ parcoursId: p, type: 'PMSMP' as const, codeRome: 'G1602', dateDebut: '2024-03-04', dateFin: '2024-03-15' })));
  await db.getRepository(InscriptionFranceTravail).insert(all((p) => ({ parcoursId: p, dateInscription: '2024-01-20', identifiant: null })));
  await db.getRepository(AccompagnementExterne).insert(all((p) => ({ parcoursId: p, type: 'PLIE' as const, structure: 'PLIE de Nantes', dateDebut: '2024-02-01', dateFin: null })));
  await db.getRepository(Candidature).insert(all((p) => ({ parcoursId: p, employeur: 'Restaurant', codeRome: 'G1602', dateCandidature: '2024-04-01', canal: 'FRANCE_TRAVAIL' as const, resultat: 'ACCEPTEE' as const })));
  await db.getRepository(Formation).insert(all((p) => ({
    parcoursId: p, type: 'LINGUISTIQUE' as const, dispositifLinguistique: 'CIR' as const, intitule: 'CIR', organisme: 'OFII', codeRome: null, diplomante: false,
    dateDebut: '2024-01-22', dateFin: '2024-06-30', heuresPrevues: 400, heuresRealisees: 200, resultat: 'EN_COURS' as const, categorie: 'FORMATION_LINGUISTIQUE' as const, stabilisant: false,
  })));
  await db.getRepository(ContratTravail).insert(all((p) => ({
    parcoursId: p, type: 'CDI' as const, employeur: 'Restaurant', codeRome: 'G1602', dateDebut: '2024-05-02', dateFin: null, termeImprecis: false,
    tempsTravail: 'TEMPS_PLEIN' as const, heuresHebdomadaires: null, categorie: 'EMPLOI_DURABLE' as const, stabilisant: true,
  })));
}

describe('no N+1 in Emploi & Formation through the gateway', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({
      seed: async (dbs) => {
        await seedCoordinationEF(dbs.coordination, f, ids.map((id, i) => ({ id, statut: 'CONTRACTUALISE' as const, nom: `N${i}`, dateOrientation: '2024-01-10' })));
        await seedEF(dbs['emploi-formation']);
      },
    });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('runs as many statements for 40 parcours as for 10, every field through a per-request loader', async () => {
    const run = (first: number) =>
      hub.countSql(async () => {
        const result = await hub.query<{ parcoursListe: { edges: { node: Record<string, unknown> }[] } }>(LISTE, { first });
        expect(result.errors).toBeUndefined();
        expect(result.data?.parcoursListe.edges).toHaveLength(first);
        return result;
      });
    const ten = await run(10);
    // 40, not 100: every field of the domain on each row costs 39,045 at 100, over the gateway's
    // cost limit (18,500), now that a page size passed as a variable counts.
    const larger = await run(40);
    expect(larger.statements['emploi-formation']).toEqual(ten.statements['emploi-formation']);
    // One statement per table read (15 tables, and the change journal for the project's versions in the events), whatever the page size.
    expect(ten.statements['emploi-formation']).toBeLessThanOrEqual(16);
    // And each node is the same whole payload.
    const node = larger.result.data!.parcoursListe.edges[0]!.node;
    expect(node).toEqual({
      id: expect.any(String),
      situationProfessionnelle: { id: expect.any(String), categorie: 'EMPLOI_DURABLE', source: 'CALCULEE', stabilisante: true },
      historiqueProfessionnel: [
        { categorie: 'SANS_ACTIVITE', source: 'DECLAREE' },
        { categorie: 'FORMATION_LINGUISTIQUE', source: 'CALCULEE' },
        { categorie: 'EMPLOI_DURABLE', source: 'CALCULEE' },
      ],
      situationPourSortie: { categorie: 'EMPLOI_DURABLE', stabilise: true, depuis: '2024-05-02' },
      situationProfessionnelleAu: { categorie: 'EMPLOI_DURABLE' },
      evenementsEmploiFormation: [
        { date: '2024-01-15', type: 'DIAGNOSTIC_SOCIO_PROFESSIONNEL', libelle: 'Diagnostic socio-professionnel' },
        { date: '2024-01-15', type: 'EVALUATION_LANGUE', libelle: 'Évaluation du français : niveau A1' },
        { date: '2024-01-20', type: 'INSCRIPTION_FRANCE_TRAVAIL', libelle: 'Inscription à France Travail' },
        { date: '2024-01-22', type: 'FORMATION_DEBUT', libelle: 'Début de formation linguistique (parcours linguistique du CIR)' },
        { date: '2024-02-01', type: 'PROJET_PROFESSIONNEL', libelle: 'Projet professionnel : en validation (Personnel de cuisine)' },
        { date: '2024-02-01', type: 'ACCOMPAGNEMENT_EXTERNE_DEBUT', libelle: "Début de l'accompagnement par le PLIE" },
        { date: '2024-03-04', type: 'ETAPE_PROJET', libelle: 'PMSMP : Personnel de cuisine' },
        { date: '2024-04-01', type: 'CANDIDATURE', libelle: 'Candidature via France Travail : Personnel de cuisine (candidature retenue)' },
        { date: '2024-05-02', type: 'CONTRAT_DEBUT', libelle: 'Début de CDI : Personnel de cuisine' },
        { date: '2024-06-30', type: 'FORMATION_FIN', libelle: 'Fin de formation linguistique (parcours linguistique du CIR)' },
        { date: '2024-09-15', type: 'EVALUATION_LANGUE', libelle: 'Évaluation du français : niveau A2' },
        { date: '2024-10-01', type: 'CERTIFICATION_LANGUE', libelle: 'Certification DELF obtenue : niveau A2' },
      ],
      langue: { niveauCecrl: 'A2', niveauEntree: 'A1', niveauxGagnes: 1, parcoursCir: { pourcentageRealise: 50 } },
      evaluationsLangue: [{ niveauCecrl: 'A1', niveauEntree: 'A1' }, { niveauCecrl: 'A2', niveauEntree: 'A1' }],
      certificationsLangue: [{ type: 'DELF', niveauCecrl: 'A2' }],
      diagnosticSocioProfessionnel: { niveauFormation: 'SECONDAIRE_DIPLOME', diplomes: [{ intitule: 'Baccalauréat' }], experiences: [{ metier: { libelle: 'Personnel de cuisine' } }] },
      freins: [{ type: 'LANGUE', leve: false }],
      projetProfessionnel: { etat: 'EN_VALIDATION', metiersVises: [{ code: 'G1602' }], etapes: [{ type: 'PMSMP' }] },
      inscriptionFranceTravail: { dateInscription: '2024-01-20' },
      accompagnementsExternes: [{ type: 'PLIE' }],
      candidatures: [{ canal: 'FRANCE_TRAVAIL', resultat: 'ACCEPTEE' }],
      formations: [{ type: 'LINGUISTIQUE', stabilisante: false }],
      contratsTravail: [{ type: 'CDI', stabilisant: true }],
    });
  });
});
