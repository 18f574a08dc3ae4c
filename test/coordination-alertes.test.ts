import { randomUUID } from 'node:crypto';
import { addDays, today } from '@agir/common';
import { Beneficiaire, Parcours, type ParcoursRow } from '../subgraphs/coordination/src/entities';
import { REF, USERS, seedFaitsDomaines, seedReference } from './support/coordination-fixtures';
import { startTestHub, type TestHub } from './support/hub';

/**
 * Cross-domain rules through federation: the exit criteria read housing from Droits & Logement
 * and the professional situation from Emploi & Formation; the exclusion alert reads the refusal
 * counts from Droits & Logement in one call, and when that domain is down the other alerts still
 * answer, flagged.
 */

const AUJOURDHUI = today();
const P = {
  deuxRefus: randomUUID(),
  unRefus: randomUUID(),
  sansBinome: randomUUID(),
  sortable: randomUUID(),
  vendee: randomUUID(),
};

let hub: TestHub;
let token: string;
beforeAll(async () => {
  hub = await startTestHub({
    seed: async (dbs) => {
      await seedReference(dbs);
      const c = dbs.coordination;
      const ids = Object.values(P);
      await c.getRepository(Beneficiaire).insert(
        ids.map((id, i) => ({ id, nom: `Personne ${i}`, prenom: 'Test', sexe: 'HOMME' as const, dateNaissance: '1990-01-01', paysNaissance: 'SY', protection: 'REFUGIE' as const, dateObtentionProtection: '2025-02-01', rejoignant: false, communeInsee: null, communeNom: null, telephone: null, email: null })),
      );
      // Contracts signed 20 days ago: recent enough that only the rule under test fires.
      const contrat = addDays(AUJOURDHUI, -20);
      const row = (id: string, o: Partial<ParcoursRow> = {}) => ({
        id, beneficiaireId: id, siteId: REF.site44, departement: '44', statut: 'CONTRACTUALISE' as const, canalOrientation: 'OFII' as const,
        dateOrientation: addDays(contrat, -40), dateSignatureCir: addDays(contrat, -40), dateDiagnostic: addDays(contrat, -25), dateCommission: addDays(contrat, -14), dateContrat: contrat,
        dateSortie: null, referentDroitsLogementId: REF.referentDL, referentEmploiFormationId: REF.referentEF, ...o,
      });
      await c.getRepository(Parcours).insert([
        row(P.deuxRefus),
        row(P.unRefus),
        row(P.sansBinome, { statut: 'COMMISSION_REALISEE', dateContrat: null, dateCommission: addDays(AUJOURDHUI, -3), referentEmploiFormationId: null }),
        row(P.sortable),
        row(P.vendee, { siteId: REF.site85, departement: '85' }),
      ]);
      await seedFaitsDomaines(dbs, P.deuxRefus, { refus: [addDays(AUJOURDHUI, -30), addDays(AUJOURDHUI, -10)] });
      await seedFaitsDomaines(dbs, P.unRefus, { refus: [addDays(AUJOURDHUI, -20)] });
      await seedFaitsDomaines(dbs, P.sortable, {
        logement: { type: 'PARC_SOCIAL', categorie: 'LOGEMENT_AUTONOME', debut: addDays(AUJOURDHUI, -20) },
        emploi: { categorie: 'SANS_ACTIVITE', debut: addDays(AUJOURDHUI, -60) },
      });
    },
  });
  token = await hub.token(USERS.coordination44);
});
afterAll(async () => {
  await hub?.stop();
});

const ALERTES = `query($d: String!, $j: Int) { alertes(departement: $d, joursSansActivite: $j) {
  departement dateCalcul exclusionEvaluee activiteDomainesEvaluee avertissements alertes { parcours { id } code niveau message }
} }`;
interface Alertes {
  alertes: { departement: string; dateCalcul: string; exclusionEvaluee: boolean; activiteDomainesEvaluee: boolean; avertissements: string[]; alertes: { parcours: { id: string }; code: string; niveau: string; message: string }[] };
}
const codes = (r: Alertes, id: string) => r.alertes.alertes.filter((a) => a.parcours.id === id).map((a) => a.code);

describe('cross-domain rules through the gateway', () => {
  it('reads the exit criteria from both domains, each with its source and reason', async () => {
    const r = await hub.query<{ parcours: { criteresSortie: unknown } }>(`query($id: ID!) { parcours(id: $id) { criteresSortie { rempli criteres { critere statut source raison } } } }`, { id: P.sortable }, { token });
    expect(r.errors).toBeUndefined();
    expect(r.data?.parcours.criteresSortie).toEqual({
      rempli: false,
      criteres: [
        { critere: 'LOGEMENT', statut: 'REMPLI', source: 'DROITS_LOGEMENT', raison: expect.stringContaining('logement pérenne') },
        { critere: 'SITUATION_PROFESSIONNELLE', statut: 'NON_REMPLI', source: 'EMPLOI_FORMATION', raison: expect.stringContaining("n'est pas stabilisée") },
      ],
    });
    // Without the criteria, the exit is refused with them in the error.
    const sortie = await hub.query(`mutation($id: ID!, $d: Date!) { sortir(parcoursId: $id, sortie: { date: $d, motif: "test" }) { statut } }`, { id: P.sortable, d: AUJOURDHUI }, { token });
    expect(sortie.errors?.[0]?.extensions).toMatchObject({ code: 'TRANSITION_INVALIDE', garde: 'CRITERES_SORTIE', statutActuel: 'CONTRACTUALISE', criteresSortie: { rempli: false } });
  });

  it('raises EXCLUSION_POSSIBLE at two refused housing offers, reading the counts in one call', async () => {
    const { result, statements } = await hub.countSql(() => hub.query<Alertes>(ALERTES, { d: '44' }, { token }));
    expect(result.errors).toBeUndefined();
    const r = result.data!;
    expect(r.alertes).toMatchObject({ departement: '44', dateCalcul: AUJOURDHUI, exclusionEvaluee: true, avertissements: [] });
    expect(codes(r, P.deuxRefus)).toEqual(['EXCLUSION_POSSIBLE']);
    expect(r.alertes.alertes.find((a) => a.code === 'EXCLUSION_POSSIBLE')?.message).toContain('refusé 2 propositions de logement');
    expect(codes(r, P.unRefus)).toEqual([]);
    expect(codes(r, P.sansBinome)).toEqual(['BINOME_NON_DESIGNE']);
    expect(r.alertes.alertes.map((a) => a.parcours.id)).not.toContain(P.vendee);
    // Two queries to Droits & Logement for all the parcours, whatever their number: the refusal
    // counts and the dates of its last activity.
    expect(statements['droits-logement']).toBeLessThanOrEqual(4);

    const un = await hub.query<{ parcours: { alertes: { code: string }[] } }>(`query($id: ID!) { parcours(id: $id) { alertes { code niveau } } }`, { id: P.deuxRefus }, { token });
    expect(un.data?.parcours.alertes).toEqual([{ code: 'EXCLUSION_POSSIBLE', niveau: 'EN_RETARD' }]);
  });

  it('flags parcours without recorded activity, the threshold being configurable', async () => {
    const r = await hub.query<Alertes>(ALERTES, { d: '44', j: 10 }, { token });
    expect(codes(r.data!, P.unRefus)).toEqual(['SANS_ACTIVITE']);
    expect(r.data!.alertes.alertes.find((a) => a.parcours.id === P.unRefus)?.message).toContain('au-delà de 10 jours');
  });

  it('refuses an exclusion for two housing refusals unless Droits & Logement counts two, writing nothing', async () => {
    const EXCLURE = `mutation($id: ID!, $e: ExclusionInput!) { exclure(parcoursId: $id, exclusion: $e) { statut motifExclusion dateSortie } }`;
    const ETAT = `query($id: ID!) { parcours(id: $id) { statut motifExclusion dateSortie historique { action } } }`;
    const avant = await hub.query(ETAT, { id: P.unRefus }, { token });
    const refuse = await hub.query(EXCLURE, { id: P.unRefus, e: { motif: 'DEUX_REFUS_LOGEMENT', date: AUJOURDHUI } }, { token });
    expect(refuse.data).toBeNull();
    expect(refuse.errors?.map((e) => [e.extensions?.code, e.extensions?.garde])).toEqual([['TRANSITION_INVALIDE', 'REFUS_LOGEMENT']]);
    expect(refuse.errors?.[0]?.message).toContain('Droits & Logement compte 1 proposition(s) de logement refusée(s)');
    expect(await hub.query(ETAT, { id: P.unRefus }, { token })).toEqual(avant);

    const accepte = await hub.query(EXCLURE, { id: P.deuxRefus, e: { motif: 'DEUX_REFUS_LOGEMENT', date: AUJOURDHUI } }, { token });
    expect(accepte.errors).toBeUndefined();
    expect(accepte.data).toEqual({ exclure: { statut: 'EXCLU', motifExclusion: 'DEUX_REFUS_LOGEMENT', dateSortie: AUJOURDHUI } });
  });

  it('refuses a département outside the caller’s scope', async () => {
    const r = await hub.query<Alertes>(ALERTES, { d: '85' }, { token });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('still answers the other alerts when Droits & Logement is down, saying the exclusion rule was not evaluated', async () => {
    await hub.stopSubgraph('droits-logement');
    const r = await hub.query<Alertes>(ALERTES, { d: '44' }, { token });
    expect(r.errors).toBeUndefined();
    expect(r.data!.alertes.exclusionEvaluee).toBe(false);
    expect(r.data!.alertes.activiteDomainesEvaluee).toBe(false);
    expect(r.data!.alertes.avertissements).toEqual([
      expect.stringContaining("La règle d'exclusion (deux refus de logement) n'a pas pu être évaluée"),
      expect.stringMatching(/^L'activité enregistrée par Droits & Logement n'a pas pu être lue /),
    ]);
    expect(codes(r.data!, P.deuxRefus)).toEqual([]);
    expect(codes(r.data!, P.sansBinome)).toEqual(['BINOME_NON_DESIGNE']);
  });
});
