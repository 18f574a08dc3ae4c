import { randomUUID } from 'node:crypto';
import { Beneficiaire, Parcours, Site, Structure, type ParcoursRow } from '../subgraphs/coordination/src/entities';
import { DemarcheDroit, Dossier as DossierDL, SituationLogement } from '../subgraphs/droits-logement/src/entities';
import { ContratTravail, Dossier as DossierEF, Formation, SituationProfessionnelle } from '../subgraphs/emploi-formation/src/entities';
import { startTestHub, type GraphQLResult, type TestHub } from './support/hub';

/**
 * `Query.indicateurs`: one federated entity, Coordination's counts and each domain's, on a small
 * population whose every outcome is known. Period: 2025-01-01 to 2025-03-31, département 44.
 *
 * | parcours | site | canal | orientation | diagnostic | commission | contrat | fin | suivis |
 * |---|---|---|---|---|---|---|---|---|
 * | P1 | A | OFII | 2025-01-01 (= du) | 01-20 (19 d) | 01-27 | 02-10 (14 d) | in accompaniment | |
 * | P2 | A | FICHE_LIAISON | 2025-03-31 (= au) | | | | | |
 * | P3 | A | OFII | 2025-04-01 (au + 1) | | | | | |
 * | P4 | A | PREFET | 2024-12-01 | 2025-01-15 (45 d) | 01-20 | 02-20 (31 d) | SORTI 03-15 | |
 * | P5 | A | OFII | 2024-06-01 | 2024-06-20 | 2024-07-01 | 2024-07-10 | EXCLU 2025-02-01 (NON_ADHESION) | |
 * | P6 | A | OFII | 2024-05-01 | 2024-05-10 | 2024-05-20 | 2024-06-01 | SORTI 2024-10-01 | 3 months 2025-01-05 |
 * | P7 | A | OFII | 2025-01-10 | 02-05 (26 d) | | | ABANDON 02-20 | |
 * | P8 | A | FICHE_LIAISON | 2024-09-01 | 2024-09-10 | 2024-09-20 | 2024-10-01 | in accompaniment | |
 * | P9 | B | OFII | 2025-02-15 | | | | | |
 * | P10 | 85 | OFII | 2025-02-01 | | | | | |
 * | P13 | A | OFII | 2023-05-01 | 2023-05-10 | 2023-05-20 | 2023-06-01 | SORTI 2024-07-01 | 6 months 2025-01-02 |
 * | P14 | A | PREFET | 2025-03-01 | | | | | |
 */
const ids = () => ({ b: randomUUID(), p: randomUUID() });
const P = { p1: ids(), p2: ids(), p3: ids(), p4: ids(), p5: ids(), p6: ids(), p7: ids(), p8: ids(), p9: ids(), p10: ids(), p13: ids(), p14: ids() };
const STRUCTURE = randomUUID();
const SITE_A = randomUUID();
const SITE_B = randomUUID();
const SITE_85 = randomUUID();
const PERIODE = { departement: '44', du: '2025-01-01', au: '2025-03-31' };

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({
    seed: async (dbs) => {
      const c = dbs.coordination;
      await c.getRepository(Structure).insert({ id: STRUCTURE, nom: 'Groupe SOS Solidarités', domaines: ['COORDINATION', 'DROITS_LOGEMENT', 'EMPLOI_FORMATION'], departements: ['44', '85'], membreGroupement: true });
      const site = (id: string, nom: string, departement: string) => ({
        id, nom, type: 'CENTRE' as const, departement, secteur: 'S', structureId: STRUCTURE, adresse: null, codePostal: null, communeInsee: null, communeNom: null, etat: 'OUVERT' as const,
      });
      await c.getRepository(Site).insert([site(SITE_A, 'Centre A', '44'), site(SITE_B, 'Centre B', '44'), site(SITE_85, 'Centre 85', '85')]);
      await c.getRepository(Beneficiaire).insert(
        Object.values(P).map((x, i) => ({
          id: x.b, nom: `Nom${i}`, prenom: `Prenom${i}`, sexe: 'FEMME' as const, dateNaissance: '1990-01-01', paysNaissance: 'AF', protection: 'REFUGIE' as const,
          dateObtentionProtection: '2023-01-01', rejoignant: false, communeInsee: null, communeNom: null, telephone: null, email: null,
        })),
      );
      const p = (x: { b: string; p: string }, o: Partial<ParcoursRow> & Pick<ParcoursRow, 'statut' | 'dateOrientation'>) => ({
        id: x.p, beneficiaireId: x.b, siteId: SITE_A, departement: '44', canalOrientation: 'OFII' as const, dateSignatureCir: null, dateDiagnostic: null,
        dateCommission: null, dateContrat: null, dateSortie: null, referentDroitsLogementId: null, referentEmploiFormationId: null, ...o,
      });
      await c.getRepository(Parcours).insert([
        p(P.p1, { statut: 'CONTRACTUALISE', dateOrientation: '2025-01-01', dateDiagnostic: '2025-01-20', dateCommission: '2025-01-27', dateContrat: '2025-02-10' }),
        p(P.p2, { statut: 'ORIENTE', dateOrientation: '2025-03-31', canalOrientation: 'FICHE_LIAISON' }),
        p(P.p3, { statut: 'ORIENTE', dateOrientation: '2025-04-01' }),
        p(P.p4, { statut: 'SORTI', canalOrientation: 'PREFET', dateOrientation: '2024-12-01', dateDiagnostic: '2025-01-15', dateCommission: '2025-01-20', dateContrat: '2025-02-20', dateSortie: '2025-03-15', motifFin: 'CDI et résidence sociale' }),
        p(P.p5, { statut: 'EXCLU', dateOrientation: '2024-06-01', dateDiagnostic: '2024-06-20', dateCommission: '2024-07-01', dateContrat: '2024-07-10', dateSortie: '2025-02-01', motifExclusion: 'NON_ADHESION' }),
        p(P.p6, { statut: 'SUIVI_3_MOIS', dateOrientation: '2024-05-01', dateDiagnostic: '2024-05-10', dateCommission: '2024-05-20', dateContrat: '2024-06-01', dateSortie: '2024-10-01' }),
        p(P.p7, { statut: 'ABANDON', dateOrientation: '2025-01-10', dateDiagnostic: '2025-02-05', dateSortie: '2025-02-20' }),
        p(P.p8, { statut: 'CONTRACTUALISE', canalOrientation: 'FICHE_LIAISON', dateOrientation: '2024-09-01', dateDiagnostic: '2024-09-10', dateCommission: '2024-09-20', dateContrat: '2024-10-01' }),
        p(P.p9, { statut: 'ORIENTE', dateOrientation: '2025-02-15', siteId: SITE_B }),
        p(P.p10, { statut: 'ORIENTE', dateOrientation: '2025-02-01', siteId: SITE_85, departement: '85' }),
        p(P.p13, { statut: 'SUIVI_6_MOIS', dateOrientation: '2023-05-01', dateDiagnostic: '2023-05-10', dateCommission: '2023-05-20', dateContrat: '2023-06-01', dateSortie: '2024-07-01' }),
        p(P.p14, { statut: 'ORIENTE', canalOrientation: 'PREFET', dateOrientation: '2025-03-01' }),
      ]);
      await c.query(
        `INSERT INTO entretien_suivi (parcours_id, echeance, date_entretien, resultat) VALUES
           ($1, 'TROIS_MOIS', '2025-01-05', 'En logement, en emploi'),
           ($2, 'TROIS_MOIS', '2024-10-01', 'En logement'),
           ($2, 'SIX_MOIS', '2025-01-02', 'En logement, en emploi')`,
        [P.p6.p, P.p13.p],
      );

      const dl = dbs['droits-logement'];
      await dl.getRepository(DossierDL).insert([
        { parcoursId: P.p1.p, departement: '44', ouvertLe: '2025-01-20' },
        { parcoursId: P.p4.p, departement: '44', ouvertLe: '2025-01-15' },
        { parcoursId: P.p8.p, departement: '44', ouvertLe: '2024-09-15' },
        { parcoursId: P.p10.p, departement: '85', ouvertLe: '2025-02-01' },
      ]);
      const s = (parcoursId: string, type: string, categorie: string, dateDebut: string, dateFin: string | null = null) => ({
        parcoursId, type, categorie, dateDebut, dateFin, communeInsee: null, communeNom: null,
      });
      await dl.getRepository(SituationLogement).insert([
        s(P.p1.p, 'CADA', 'DNA', '2024-06-01', '2025-03-01'),
        s(P.p1.p, 'RESIDENCE_SOCIALE', 'LOGEMENT_ACCOMPAGNE_ADAPTE', '2025-03-01'),
        s(P.p4.p, 'SANS_ABRI', 'SANS_ABRI_HEBERGEMENT_PRECAIRE', '2025-01-15'),
        s(P.p8.p, 'CHRS', 'HEBERGEMENT_TEMPORAIRE', '2024-09-01'),
        s(P.p10.p, 'PARC_SOCIAL', 'LOGEMENT_AUTONOME', '2025-02-01'),
      ] as never);
      await dl.getRepository(DemarcheDroit).insert([
        { parcoursId: P.p1.p, type: 'CAF_PRESTATIONS_FAMILIALES', statut: 'OBTENU', organisme: null, dateDebut: '2025-01-20', dateFin: '2025-02-19' }, // 30 days
        { parcoursId: P.p4.p, type: 'RSA', statut: 'OBTENU', organisme: null, dateDebut: '2025-01-16', dateFin: '2025-03-17' }, // 60 days
        { parcoursId: P.p8.p, type: 'TITRE_SEJOUR', statut: 'BLOQUE', organisme: null, dateDebut: '2024-10-01', dateFin: null, motifBlocage: 'DELAI_ORGANISME', bloqueeDepuis: '2024-12-01' },
        { parcoursId: P.p10.p, type: 'CAF_PRESTATIONS_FAMILIALES', statut: 'OBTENU', organisme: null, dateDebut: '2025-02-01', dateFin: '2025-02-02' },
      ] as never);

      const ef = dbs['emploi-formation'];
      await ef.getRepository(DossierEF).insert([
        { parcoursId: P.p1.p, departement: '44', ouvertLe: '2025-01-20' },
        { parcoursId: P.p4.p, departement: '44', ouvertLe: '2025-01-15' },
        { parcoursId: P.p8.p, departement: '44', ouvertLe: '2024-09-15' },
        { parcoursId: P.p10.p, departement: '85', ouvertLe: '2025-02-01' },
      ]);
      await ef.getRepository(SituationProfessionnelle).insert([{ parcoursId: P.p4.p, categorie: 'SANS_ACTIVITE', dateDebut: '2025-01-15', dateFin: null }] as never);
      const contrat = (parcoursId: string, dateDebut: string) => ({
        parcoursId, type: 'CDI', employeur: 'Employeur', codeRome: 'J1501', dateDebut, dateFin: null, termeImprecis: false, tempsTravail: 'TEMPS_PLEIN',
        heuresHebdomadaires: null, categorie: 'EMPLOI_DURABLE', stabilisant: true,
      });
      await ef.getRepository(ContratTravail).insert([contrat(P.p1.p, '2025-03-01'), contrat(P.p10.p, '2025-02-01')] as never);
      await ef.getRepository(Formation).insert([
        {
          parcoursId: P.p8.p, type: 'QUALIFIANTE', dispositifLinguistique: null, intitule: 'Titre professionnel agent de propreté', organisme: 'AFPA', codeRome: null,
          diplomante: false, dateDebut: '2025-02-01', dateFin: '2025-06-30', heuresPrevues: null, heuresRealisees: null, resultat: 'EN_COURS',
          categorie: 'FORMATION_PROFESSIONNELLE', stabilisant: true,
        },
      ] as never);
    },
  });
});
afterAll(async () => {
  await hub?.stop();
});

const INDICATEURS = `
  query ($departement: String!, $du: Date!, $au: Date!, $siteId: ID) {
    indicateurs(departement: $departement, du: $du, au: $au, siteId: $siteId) {
      departement du au siteId
      effectifs { orientes diagnostiques signataires enAccompagnementFin exclusions abandons suivis3Mois suivis6Mois masque }
      orientationsParCanal { canal nombre masque }
      sortiesParMotif { motif nombre masque }
      exclusionsParMotif { motif nombre masque }
      delaiDiagnostic { nombre medianeJours percentile90Jours cible dansLaCible { numerateur denominateur taux masque } masque }
      delaiContractualisation { nombre medianeJours percentile90Jours cible dansLaCible { numerateur denominateur taux masque } masque }
      maintien { numerateur denominateur taux masque }
      parMois { mois du au orientes diagnostiques signataires sorties masque }
      droitsLogement {
        departement du au
        situationsEntree { categorie nombre masque }
        accesLogement { numerateur denominateur taux masque }
        demarches { type statut nombre masque }
        delaiOuvertureCaf { jours nombre masque }
        demarchesBloquees { type motif nombre masque }
      }
      droitsLogementParMois { mois du au entrees entreesLogementSortie droitsObtenus masque }
      emploiFormation {
        departement du au parcoursSuivis masque
        situationEntree { categorie nombre masque }
        situationActuelle { categorie nombre masque }
        accesEmploiFormation { numerateur denominateur taux objectif atteint masque }
        progressionLangue { parcoursEvalues parcoursEnProgression niveauxGagnes masque }
        freins { type identifies leves masque }
        contratsParType { type nombre masque }
      }
      emploiFormationParMois { mois du au entrees contratsCommences formationsCommencees masque }
    }
  }`;

type Indicateurs = Record<string, unknown> & { effectifs: Record<string, unknown>; parMois: Record<string, unknown>[] };
const erreurs = (r: GraphQLResult) => (r.errors ?? []).map((e) => ({ code: e.extensions?.code, ...(e.extensions?.field ? { field: e.extensions.field } : {}), message: e.message }));

const n = (nombre: number | null) => ({ nombre, masque: nombre === null });
const CATEGORIES_LOGEMENT = ['SANS_ABRI_HEBERGEMENT_PRECAIRE', 'DNA', 'HEBERGEMENT_TEMPORAIRE', 'LOGEMENT_ACCOMPAGNE_ADAPTE', 'LOGEMENT_AUTONOME'];
const CATEGORIES_PRO = ['SANS_ACTIVITE', 'FORMATION_LINGUISTIQUE', 'FORMATION_PROFESSIONNELLE', 'ETUDES', 'EMPLOI_COURT', 'EMPLOI_DURABLE', 'ALTERNANCE', 'INSERTION_ACTIVITE_ECONOMIQUE', 'SERVICE_CIVIQUE'];
const TYPES_FREIN = ['LANGUE', 'MOBILITE', 'GARDE_ENFANTS', 'SANTE', 'LOGEMENT', 'NUMERIQUE', 'RECONNAISSANCE_QUALIFICATIONS', 'AUTRE'];
const TYPES_CONTRAT = ['CDI', 'CDD', 'INTERIM', 'APPRENTISSAGE', 'PROFESSIONNALISATION', 'IAE_ACI', 'IAE_EI', 'IAE_ETTI', 'IAE_GEIQ', 'SERVICE_CIVIQUE', 'AUTRE'];
const parCategorie = (toutes: string[], valeurs: Record<string, number>) => toutes.map((categorie) => ({ categorie, nombre: valeurs[categorie] ?? 0, masque: false }));

async function indicateurs(variables: Record<string, unknown>, roles: string[] = ['COORDINATION'], departements = ['44', '85']) {
  const token = await hub.token({ sub: `u-${roles.join('-')}`, name: 'Test', structure: STRUCTURE, roles: roles as never, departements });
  return hub.query<{ indicateurs: Indicateurs }>(INDICATEURS, variables, { token });
}

describe('the federated indicators of a département', () => {
  it('answers every indicator of the three domains in one query, against hand-computed values', async () => {
    const r = await indicateurs(PERIODE);
    expect(r.errors).toBeUndefined();
    expect(r.data!.indicateurs).toEqual({
      departement: '44',
      du: '2025-01-01',
      au: '2025-03-31',
      siteId: null,
      // Oriented: P1 (on du), P2 (on au), P7, P9, P14; not P3 (the day after au), nor P10 (85).
      effectifs: { orientes: 5, diagnostiques: 3, signataires: 2, enAccompagnementFin: 2, exclusions: 1, abandons: 1, suivis3Mois: 1, suivis6Mois: 1, masque: false },
      orientationsParCanal: [
        { canal: 'OFII', ...n(3) },
        { canal: 'FICHE_LIAISON', ...n(1) },
        { canal: 'PREFET', ...n(1) },
      ],
      sortiesParMotif: [
        { motif: 'SORTIE', ...n(1) },
        { motif: 'REFUS_CONTRACTUALISATION', ...n(0) },
        { motif: 'ABANDON', ...n(1) },
        { motif: 'EXCLUSION', ...n(1) },
        { motif: 'FIN_DE_DROITS', ...n(0) },
      ],
      exclusionsParMotif: [
        { motif: 'DEUX_REFUS_LOGEMENT', ...n(0) },
        { motif: 'VIOLENCE_MENACES', ...n(0) },
        { motif: 'NON_ADHESION', ...n(1) },
        { motif: 'COMPORTEMENT_DELICTUEUX', ...n(0) },
      ],
      // 19, 26 and 45 days: median 26, p90 26 + 0.8 × 19 = 41.2; P4 misses the month.
      delaiDiagnostic: {
        nombre: 3, medianeJours: 26, percentile90Jours: expect.closeTo(41.2, 6) as unknown as number, cible: '1 mois',
        dansLaCible: { numerateur: 2, denominateur: 3, taux: 2 / 3, masque: false }, masque: false,
      },
      // 14 and 31 days: median 22.5, p90 14 + 0.9 × 17 = 29.3; P4 misses the 3 weeks.
      delaiContractualisation: {
        nombre: 2, medianeJours: 22.5, percentile90Jours: expect.closeTo(29.3, 6) as unknown as number, cible: '3 semaines',
        dansLaCible: { numerateur: 1, denominateur: 2, taux: 0.5, masque: false }, masque: false,
      },
      // Signatories in accompaniment during the period: P1, P4, P5, P8 (not P6, P13, out before); P5 excluded.
      maintien: { numerateur: 3, denominateur: 4, taux: 0.75, masque: false },
      parMois: [
        { mois: '2025-01', du: '2025-01-01', au: '2025-01-31', orientes: 2, diagnostiques: 2, signataires: 0, sorties: 0, masque: false },
        { mois: '2025-02', du: '2025-02-01', au: '2025-02-28', orientes: 1, diagnostiques: 1, signataires: 2, sorties: 2, masque: false },
        { mois: '2025-03', du: '2025-03-01', au: '2025-03-31', orientes: 2, diagnostiques: 0, signataires: 0, sorties: 1, masque: false },
      ],
      droitsLogement: {
        departement: '44',
        du: '2025-01-01',
        au: '2025-03-31',
        situationsEntree: parCategorie(CATEGORIES_LOGEMENT, { SANS_ABRI_HEBERGEMENT_PRECAIRE: 1, DNA: 1 }),
        accesLogement: { numerateur: 1, denominateur: 3, taux: 1 / 3, masque: false },
        demarches: [
          { type: 'TITRE_SEJOUR', statut: 'BLOQUE', ...n(1) },
          { type: 'CAF_PRESTATIONS_FAMILIALES', statut: 'OBTENU', ...n(1) },
          { type: 'RSA', statut: 'OBTENU', ...n(1) },
        ],
        delaiOuvertureCaf: { jours: 45, nombre: 2, masque: false },
        demarchesBloquees: [{ type: 'TITRE_SEJOUR', motif: 'DELAI_ORGANISME', ...n(1) }],
      },
      droitsLogementParMois: [
        { mois: '2025-01', du: '2025-01-01', au: '2025-01-31', entrees: 2, entreesLogementSortie: 0, droitsObtenus: 0, masque: false },
        { mois: '2025-02', du: '2025-02-01', au: '2025-02-28', entrees: 0, entreesLogementSortie: 0, droitsObtenus: 1, masque: false },
        { mois: '2025-03', du: '2025-03-01', au: '2025-03-31', entrees: 0, entreesLogementSortie: 1, droitsObtenus: 1, masque: false },
      ],
      emploiFormation: {
        departement: '44',
        du: '2025-01-01',
        au: '2025-03-31',
        parcoursSuivis: 3,
        masque: false,
        situationEntree: parCategorie(CATEGORIES_PRO, { SANS_ACTIVITE: 1 }),
        situationActuelle: parCategorie(CATEGORIES_PRO, { SANS_ACTIVITE: 1, FORMATION_PROFESSIONNELLE: 1, EMPLOI_DURABLE: 1 }),
        accesEmploiFormation: { numerateur: 2, denominateur: 3, taux: 2 / 3, objectif: 0.6, atteint: true, masque: false },
        progressionLangue: { parcoursEvalues: 0, parcoursEnProgression: 0, niveauxGagnes: 0, masque: false },
        freins: TYPES_FREIN.map((type) => ({ type, identifies: 0, leves: 0, masque: false })),
        contratsParType: TYPES_CONTRAT.map((type) => ({ type, ...n(type === 'CDI' ? 1 : 0) })),
      },
      emploiFormationParMois: [
        { mois: '2025-01', du: '2025-01-01', au: '2025-01-31', entrees: 2, contratsCommences: 0, formationsCommencees: 0, masque: false },
        { mois: '2025-02', du: '2025-02-01', au: '2025-02-28', entrees: 0, contratsCommences: 0, formationsCommencees: 1, masque: false },
        { mois: '2025-03', du: '2025-03-01', au: '2025-03-31', entrees: 0, contratsCommences: 1, formationsCommencees: 0, masque: false },
      ],
    });
  });

  it('restricts Coordination counts to a site, the domains still counting the whole département', async () => {
    const r = await indicateurs({ ...PERIODE, siteId: SITE_A });
    expect(r.errors).toBeUndefined();
    const i = r.data!.indicateurs;
    expect(i.siteId).toBe(SITE_A);
    expect(i.effectifs).toMatchObject({ orientes: 4 });
    expect(i.orientationsParCanal).toEqual([{ canal: 'OFII', ...n(2) }, { canal: 'FICHE_LIAISON', ...n(1) }, { canal: 'PREFET', ...n(1) }]);
    expect((i.emploiFormation as Record<string, unknown>).parcoursSuivis).toBe(3);
  });

  it('cuts the first and last months to the period', async () => {
    const r = await indicateurs({ departement: '44', du: '2025-01-15', au: '2025-02-10' });
    expect(r.data!.indicateurs.parMois).toEqual([
      // P4's diagnostic on the 15th (= du) and P1's; P1 (01-01) and P7 (01-10) were oriented before du.
      { mois: '2025-01', du: '2025-01-15', au: '2025-01-31', orientes: 0, diagnostiques: 2, signataires: 0, sorties: 0, masque: false },
      // P7's diagnostic, P1's contract on the 10th (= au), P5's exclusion; P9 (02-15) and P4's contract (02-20) after au.
      { mois: '2025-02', du: '2025-02-01', au: '2025-02-10', orientes: 0, diagnostiques: 1, signataires: 1, sorties: 1, masque: false },
    ]);
  });

  it('answers zeros and nulls for a period with nothing', async () => {
    const r = await indicateurs({ departement: '44', du: '2020-01-01', au: '2020-02-29' });
    expect(r.errors).toBeUndefined();
    const i = r.data!.indicateurs;
    expect(i.effectifs).toEqual({ orientes: 0, diagnostiques: 0, signataires: 0, enAccompagnementFin: 0, exclusions: 0, abandons: 0, suivis3Mois: 0, suivis6Mois: 0, masque: false });
    expect(i.delaiDiagnostic).toEqual({ nombre: 0, medianeJours: null, percentile90Jours: null, cible: '1 mois', dansLaCible: { numerateur: 0, denominateur: 0, taux: null, masque: false }, masque: false });
    expect(i.maintien).toEqual({ numerateur: 0, denominateur: 0, taux: null, masque: false });
    expect(i.parMois).toEqual([
      { mois: '2020-01', du: '2020-01-01', au: '2020-01-31', orientes: 0, diagnostiques: 0, signataires: 0, sorties: 0, masque: false },
      { mois: '2020-02', du: '2020-02-01', au: '2020-02-29', orientes: 0, diagnostiques: 0, signataires: 0, sorties: 0, masque: false },
    ]);
    expect(i.droitsLogement).toMatchObject({ accesLogement: { numerateur: 0, denominateur: 0, taux: null }, demarches: [], delaiOuvertureCaf: { jours: null, nombre: 0 } });
    expect(i.emploiFormation).toMatchObject({ parcoursSuivis: 0, accesEmploiFormation: { numerateur: 0, denominateur: 0, taux: null, atteint: false } });
    expect((i.droitsLogementParMois as unknown[]).length).toBe(2);
    expect((i.emploiFormationParMois as unknown[]).length).toBe(2);
  });

  it('masks every count below 5 for an analyst, in each subgraph, and shows 5', async () => {
    const r = await indicateurs(PERIODE, ['ANALYSTE'], ['44']);
    expect(r.errors).toBeUndefined();
    const i = r.data!.indicateurs;
    expect(i.effectifs).toEqual({ orientes: 5, diagnostiques: null, signataires: null, enAccompagnementFin: null, exclusions: null, abandons: null, suivis3Mois: null, suivis6Mois: null, masque: true });
    expect(i.orientationsParCanal).toEqual([{ canal: 'OFII', nombre: null, masque: true }, { canal: 'FICHE_LIAISON', nombre: null, masque: true }, { canal: 'PREFET', nombre: null, masque: true }]);
    expect(i.delaiDiagnostic).toEqual({ nombre: null, medianeJours: null, percentile90Jours: null, cible: '1 mois', dansLaCible: { numerateur: null, denominateur: null, taux: null, masque: true }, masque: true });
    expect(i.maintien).toEqual({ numerateur: null, denominateur: null, taux: null, masque: true });
    expect(i.parMois[0]).toEqual({ mois: '2025-01', du: '2025-01-01', au: '2025-01-31', orientes: null, diagnostiques: null, signataires: null, sorties: null, masque: true });
    const dl = i.droitsLogement as Record<string, unknown>;
    expect((dl.situationsEntree as unknown[])[1]).toEqual({ categorie: 'DNA', nombre: null, masque: true });
    expect(dl.accesLogement).toEqual({ numerateur: null, denominateur: null, taux: null, masque: true });
    expect(dl.delaiOuvertureCaf).toEqual({ jours: null, nombre: null, masque: true });
    const ef = i.emploiFormation as Record<string, unknown>;
    expect(ef).toMatchObject({ parcoursSuivis: null, masque: true, accesEmploiFormation: { numerateur: null, denominateur: null, taux: null, atteint: false, masque: true } });
    expect((i.emploiFormationParMois as unknown[])[0]).toMatchObject({ entrees: null, masque: true });
    expect((i.droitsLogementParMois as unknown[])[0]).toMatchObject({ entrees: null, masque: true });
  });

  it('masks the deprecated root queries for analysts too, so that they are no way around the secrecy', async () => {
    const token = await hub.token({ sub: 'analyste', name: 'Test', structure: STRUCTURE, roles: ['ANALYSTE'], departements: ['44'] });
    const r = await hub.query(
      `query { indicateursDroitsLogement(departement: "44", du: "2025-01-01", au: "2025-03-31") { accesLogement { numerateur denominateur taux masque } }
               indicateursEmploiFormation(departement: "44", du: "2025-01-01", au: "2025-03-31") { parcoursSuivis masque } }`,
      {},
      { token },
    );
    expect(r).toEqual({
      data: {
        indicateursDroitsLogement: { accesLogement: { numerateur: null, denominateur: null, taux: null, masque: true } },
        indicateursEmploiFormation: { parcoursSuivis: null, masque: true },
      },
    });
  });

  it('refuses another département, a role without access and a bad period, with typed errors', async () => {
    const vendee = await indicateurs(PERIODE, ['ANALYSTE'], ['85']);
    expect(vendee.data).toBeNull();
    expect(erreurs(vendee)).toEqual([{ code: 'FORBIDDEN', message: expect.stringContaining('44') }]);
    const referent = await indicateurs(PERIODE, ['REFERENT_DROITS_LOGEMENT'], ['44']);
    expect(erreurs(referent)).toEqual([{ code: 'FORBIDDEN', message: expect.stringContaining('REFERENT_DROITS_LOGEMENT') }]);
    const inversee = await indicateurs({ departement: '44', du: '2025-04-01', au: '2025-03-31' });
    expect(erreurs(inversee)).toEqual([{ code: 'BAD_USER_INPUT', field: 'au', message: expect.stringContaining('du ≤ au') }]);
    const departement = await indicateurs({ departement: '4', du: '2025-01-01', au: '2025-03-31' });
    expect(erreurs(departement)).toEqual([{ code: 'BAD_USER_INPUT', field: 'departement', message: expect.stringContaining('« 4 »') }]);
  });
});
