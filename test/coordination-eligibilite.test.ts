import { randomUUID } from 'node:crypto';
import { Beneficiaire, Parcours } from '../subgraphs/coordination/src/entities';
import { PERSONNE, REF, SITUATION, USERS, seedReference } from './support/coordination-fixtures';
import { startTestHub, type TestHub } from './support/hub';

/**
 * Eligibility through the gateway, computed by the rules from what Coordination records, at the
 * edges: protection on 31 December N-2 vs 1 January N-1, the 16th birthday, a rejoignant of an
 * ineligible BPI.
 */

const P = {
  dec31: { b: randomUUID(), p: randomUUID() },
  jan1: { b: randomUUID(), p: randomUUID() },
  seize: { b: randomUUID(), p: randomUUID() },
  quinze: { b: randomUUID(), p: randomUUID() },
  conjointIneligible: { b: randomUUID(), p: randomUUID() },
  enfantEligible: { b: randomUUID(), p: randomUUID() },
};
const ORIENTATION = '2026-01-05';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({
    seed: async (dbs) => {
      await seedReference(dbs);
      const c = dbs.coordination;
      const personne = (id: string, nom: string, o: Partial<{ dateNaissance: string; dateObtentionProtection: string; rejoignant: boolean; lienRejoignant: 'CONJOINT' | 'ENFANT_MINEUR'; bpiBeneficiaireId: string; protection: null }>) => ({
        id, nom, prenom: 'Test', sexe: 'FEMME' as const, dateNaissance: '1990-05-05', paysNaissance: 'ER', protection: 'REFUGIE' as const, dateObtentionProtection: '2025-06-01',
        rejoignant: false, communeInsee: '44109', communeNom: 'Nantes', telephone: null, email: null, ...o,
      });
      await c.getRepository(Beneficiaire).insert([
        personne(P.dec31.b, 'Decembre', { dateObtentionProtection: '2024-12-31' }),
        personne(P.jan1.b, 'Janvier', { dateObtentionProtection: '2025-01-01' }),
        personne(P.seize.b, 'Seize', { dateNaissance: '2010-01-05' }),
        personne(P.quinze.b, 'Quinze', { dateNaissance: '2010-01-06' }),
      ]);
      await c.getRepository(Beneficiaire).insert([
        personne(P.conjointIneligible.b, 'Conjointe', { protection: null, dateObtentionProtection: undefined as never, rejoignant: true, lienRejoignant: 'CONJOINT', bpiBeneficiaireId: P.dec31.b }),
        personne(P.enfantEligible.b, 'Enfant', { protection: null, dateNaissance: '2012-02-02', rejoignant: true, lienRejoignant: 'ENFANT_MINEUR', bpiBeneficiaireId: P.jan1.b }),
      ].map((b) => ({ ...b, dateObtentionProtection: null })));
      await c.getRepository(Parcours).insert(
        Object.values(P).map(({ b, p }) => ({
          id: p, beneficiaireId: b, siteId: REF.site44, departement: '44', statut: 'ORIENTE' as const, canalOrientation: 'OFII' as const,
          dateOrientation: ORIENTATION, dateSignatureCir: ORIENTATION, dateDiagnostic: null, dateCommission: null, dateContrat: null, dateSortie: null,
          referentDroitsLogementId: null, referentEmploiFormationId: null,
          domicilieDepartement: true, resideDepartement: true, logementDurable: false, emploiDurable: false, volontaire: true,
        })),
      );
    },
  });
});
afterAll(async () => {
  await hub?.stop();
});

const ELIGIBILITE = `query($id: ID!, $date: Date) { parcours(id: $id) { eligibilite(date: $date) {
  eligible voie dateEvaluation criteres { critere statut raison } evaluationBpi { eligible criteres { critere statut } } bpi { nom }
} } }`;

interface Eligibilite {
  eligible: string;
  voie: string;
  dateEvaluation: string;
  criteres: { critere: string; statut: string; raison: string }[];
  evaluationBpi: { eligible: string; criteres: { critere: string; statut: string }[] } | null;
  bpi: { nom: string } | null;
}

async function eligibilite(id: string, date?: string): Promise<Eligibilite> {
  const r = await hub.query<{ parcours: { eligibilite: Eligibilite } }>(ELIGIBILITE, { id, date }, { token: await hub.token(USERS.coordination44) });
  expect(r.errors).toBeUndefined();
  return r.data!.parcours.eligibilite;
}
const critere = (e: Eligibilite, nom: string) => e.criteres.find((c) => c.critere === nom);

describe('eligibility through the gateway', () => {
  it('lists every criterion of the BPI way with its answer and reason', async () => {
    const e = await eligibilite(P.jan1.p);
    expect(e).toMatchObject({ eligible: 'OUI', voie: 'BPI', dateEvaluation: ORIENTATION, evaluationBpi: null, bpi: null });
    expect(e.criteres.map((c) => [c.critere, c.statut])).toEqual([
      ['STATUT_PROTECTION', 'REMPLI'],
      ['DATE_PROTECTION', 'REMPLI'],
      ['AGE', 'REMPLI'],
      ['CIR_SIGNE', 'REMPLI'],
      ['DOMICILIATION', 'REMPLI'],
      ['RESIDENCE_HABITUELLE', 'REMPLI'],
      ['SANS_EMPLOI_OU_LOGEMENT_DURABLE', 'REMPLI'],
      ['VOLONTARIAT', 'REMPLI'],
    ]);
    expect(critere(e, 'DATE_PROTECTION')?.raison).toContain('01/01/2025');
  });

  it('protection on 31 December N-2 is refused, on 1 January N-1 accepted', async () => {
    const dec = await eligibilite(P.dec31.p);
    expect(dec.eligible).toBe('NON');
    expect(critere(dec, 'DATE_PROTECTION')).toMatchObject({ statut: 'NON_REMPLI', raison: expect.stringContaining('31/12/2024, avant le 01/01/2025') });
    expect(critere(await eligibilite(P.jan1.p), 'DATE_PROTECTION')?.statut).toBe('REMPLI');
    // Evaluated in 2025 (year N-1 = 2024) the protection date was within bounds: N is the
    // evaluation's year. (The CIR, signed in 2026, was not yet signed then.)
    const en2025 = await eligibilite(P.dec31.p, '2025-12-31');
    expect(en2025.dateEvaluation).toBe('2025-12-31');
    expect(critere(en2025, 'DATE_PROTECTION')?.statut).toBe('REMPLI');
    expect(critere(en2025, 'CIR_SIGNE')?.statut).toBe('NON_REMPLI');
  });

  it('a person is eligible from their 16th birthday, not the day before', async () => {
    expect(critere(await eligibilite(P.seize.p), 'AGE')).toMatchObject({ statut: 'REMPLI', raison: expect.stringContaining('16 ans au 05/01/2026') });
    const quinze = await eligibilite(P.quinze.p);
    expect(quinze.eligible).toBe('NON');
    expect(critere(quinze, 'AGE')).toMatchObject({ statut: 'NON_REMPLI', raison: expect.stringContaining('06/01/2026') });
  });

  it('a rejoignant is judged through the linked BPI record: refused when that BPI is not eligible', async () => {
    const conjointe = await eligibilite(P.conjointIneligible.p);
    expect(conjointe).toMatchObject({ eligible: 'NON', voie: 'REJOIGNANT', bpi: { nom: 'Decembre' }, evaluationBpi: { eligible: 'NON' } });
    expect(critere(conjointe, 'LIEN_REJOIGNANT')).toMatchObject({ statut: 'NON_REMPLI', raison: expect.stringContaining("Le BPI rejoint n'est pas éligible") });
    expect(conjointe.evaluationBpi?.criteres.find((c) => c.critere === 'DATE_PROTECTION')?.statut).toBe('NON_REMPLI');
    const enfant = await eligibilite(P.enfantEligible.p);
    expect(enfant).toMatchObject({ eligible: 'OUI', voie: 'REJOIGNANT', bpi: { nom: 'Janvier' } });
    expect(enfant.criteres.map((c) => c.critere)).not.toContain('DATE_PROTECTION');
  });

  it('evaluates a person before any orientation, and the OFII cannot orient an ineligible one', async () => {
    const q = `query($p: PersonneEligibiliteInput!, $d: Date!) { evaluerEligibilite(personne: $p, date: $d) { eligible criteres { critere statut } } }`;
    const base = { protection: 'REFUGIE', dateNaissance: '1990-01-01', cirSigne: true, dateSignatureCir: '2026-01-05', ...SITUATION };
    const avant = await hub.query<{ evaluerEligibilite: { eligible: string } }>(q, { p: { ...base, dateObtentionProtection: '2024-12-31' }, d: '2026-01-05' });
    expect(avant.data?.evaluerEligibilite.eligible).toBe('NON');
    const apres = await hub.query<{ evaluerEligibilite: { eligible: string } }>(q, { p: { ...base, dateObtentionProtection: '2025-01-01' }, d: '2026-01-05' });
    expect(apres.data?.evaluerEligibilite.eligible).toBe('OUI');
    const inconnu = await hub.query<{ evaluerEligibilite: { eligible: string; criteres: { critere: string; statut: string }[] } }>(q, { p: { protection: 'REFUGIE' }, d: '2026-01-05' });
    expect(inconnu.data?.evaluerEligibilite.eligible).toBe('INCONNU');

    const orienter = `mutation($input: OrientationOfiiInput!) { orienterParOfii(input: $input) { id } }`;
    const refus = await hub.query(
      orienter,
      { input: { dateSignatureCir: '2026-01-05', beneficiaire: { ...PERSONNE, dateObtentionProtection: '2024-12-31' }, situation: SITUATION, convocation: { siteId: REF.site44, date: '2026-01-19', heure: '10:00', contenu: 'RDV' } } },
      { token: await hub.token(USERS.ofii) },
    );
    expect(refus.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.beneficiaire', eligibilite: { eligible: 'NON', voie: 'BPI' } });
    expect(refus.errors?.[0]?.message).toContain('DATE_PROTECTION');
  });
});
