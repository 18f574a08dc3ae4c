import { randomUUID } from 'node:crypto';
import { Beneficiaire, Parcours, Site, Structure, type ParcoursRow } from '../subgraphs/coordination/src/entities';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';

/**
 * k-anonymity of analyseParcours (k = 5) through the gateway, on groups whose classes are known
 * (site, month of orientation, age band, sex, country of birth), all in 44:
 *
 * | group | site, month | parcours |
 * |---|---|---|
 * | A | S, 2024-05 | 5 women, AF, 26-35 (one SORTI, four ORIENTE): a class of 5 |
 * | B | S, 2024-06 | 6 men, SY, 18-25, and one woman, ER, 46-55, alone in her class |
 * | C | S, 2024-07 | women ER 26-35 (3) and SD 26-35 (2), men ER 36-45 (4) and SD 36-45 (1), men AF 18-25 (5) |
 * | D | T, 2024-05 | one woman AF 26-35 and one man SY 36-45, the only parcours of their site and month |
 */
const STRUCTURE = randomUUID();
const SITE_S = randomUUID();
const SITE_T = randomUUID();
const NAISSANCE = { '18-25': '2002-02-01', '26-35': '1994-02-01', '36-45': '1984-02-01', '46-55': '1974-02-01' } as const;

interface Personne {
  groupe: 'A' | 'B' | 'C' | 'D';
  site: string;
  jour: string;
  sexe: 'FEMME' | 'HOMME';
  pays: string;
  age: keyof typeof NAISSANCE;
  statut?: ParcoursRow['statut'];
}
const POPULATION: Personne[] = [
  ...Array.from({ length: 5 }, (_, i): Personne => ({ groupe: 'A', site: SITE_S, jour: '2024-05-06', sexe: 'FEMME', pays: 'AF', age: '26-35', statut: i === 0 ? 'SORTI' : 'ORIENTE' })),
  ...Array.from({ length: 6 }, (): Personne => ({ groupe: 'B', site: SITE_S, jour: '2024-06-10', sexe: 'HOMME', pays: 'SY', age: '18-25' })),
  { groupe: 'B', site: SITE_S, jour: '2024-06-11', sexe: 'FEMME', pays: 'ER', age: '46-55' },
  ...Array.from({ length: 3 }, (): Personne => ({ groupe: 'C', site: SITE_S, jour: '2024-07-08', sexe: 'FEMME', pays: 'ER', age: '26-35' })),
  ...Array.from({ length: 2 }, (): Personne => ({ groupe: 'C', site: SITE_S, jour: '2024-07-08', sexe: 'FEMME', pays: 'SD', age: '26-35' })),
  ...Array.from({ length: 4 }, (): Personne => ({ groupe: 'C', site: SITE_S, jour: '2024-07-09', sexe: 'HOMME', pays: 'ER', age: '36-45' })),
  { groupe: 'C', site: SITE_S, jour: '2024-07-09', sexe: 'HOMME', pays: 'SD', age: '36-45' },
  ...Array.from({ length: 5 }, (): Personne => ({ groupe: 'C', site: SITE_S, jour: '2024-07-10', sexe: 'HOMME', pays: 'AF', age: '18-25' })),
  { groupe: 'D', site: SITE_T, jour: '2024-05-20', sexe: 'FEMME', pays: 'AF', age: '26-35' },
  { groupe: 'D', site: SITE_T, jour: '2024-05-21', sexe: 'HOMME', pays: 'SY', age: '36-45' },
];
const TRANCHE = { '18-25': 'AGE_18_25', '26-35': 'AGE_26_35', '36-45': 'AGE_36_45', '46-55': 'AGE_46_55' } as const;

const ROW = 'site { id } moisOrientation statut trancheAge sexe paysNaissance generalise';
const ANALYSE = `query($first: Int, $after: String, $filtre: AnalyseFiltre!) {
  analyseParcours(first: $first, after: $after, filtre: $filtre) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${ROW} } } }
}`;
type Ligne = { site: { id: string }; moisOrientation: string; statut: string; trancheAge: string | null; sexe: string | null; paysNaissance: string | null; generalise: boolean };

let hub: TestHub;
let analyste: string;
let coordination: string;
beforeAll(async () => {
  hub = await startTestHub({
    seed: async (dbs) => {
      const c = dbs.coordination;
      await c.getRepository(Structure).insert({ id: STRUCTURE, nom: 'Groupe SOS Solidarités', domaines: ['COORDINATION'], departements: ['44'], membreGroupement: true });
      const site = (id: string, nom: string) => ({
        id, nom, type: 'CENTRE' as const, departement: '44', secteur: 'S', structureId: STRUCTURE, adresse: null, codePostal: null, communeInsee: null, communeNom: null, etat: 'OUVERT' as const,
      });
      await c.getRepository(Site).insert([site(SITE_S, 'Centre S'), site(SITE_T, 'Centre T')]);
      const ids = POPULATION.map(() => ({ b: randomUUID(), p: randomUUID() }));
      await c.getRepository(Beneficiaire).insert(
        POPULATION.map((x, i) => ({
          id: ids[i]!.b, nom: `Nom${i}`, prenom: `Prenom${i}`, sexe: x.sexe, dateNaissance: NAISSANCE[x.age], paysNaissance: x.pays, protection: 'REFUGIE' as const,
          dateObtentionProtection: '2023-01-01', rejoignant: false, communeInsee: null, communeNom: null, telephone: null, email: null,
        })),
      );
      await c.getRepository(Parcours).insert(
        POPULATION.map((x, i) => ({
          id: ids[i]!.p, beneficiaireId: ids[i]!.b, siteId: x.site, departement: '44', statut: x.statut ?? 'ORIENTE', canalOrientation: 'OFII' as const, dateOrientation: x.jour,
          dateSignatureCir: null, dateDiagnostic: null, dateCommission: null, dateContrat: null, dateSortie: x.statut === 'SORTI' ? '2024-12-01' : null,
          referentDroitsLogementId: null, referentEmploiFormationId: null,
        })) as never,
      );
    },
  });
  analyste = await hub.token({ ...COORDINATOR, sub: 'analyste-k', name: 'Analyste', structure: STRUCTURE, roles: ['ANALYSTE'], departements: ['44'] });
  coordination = await hub.token({ ...COORDINATOR, sub: 'coordination-k', structure: STRUCTURE, departements: ['44'] });
});
afterAll(() => hub?.stop());

async function lignes(filtre: Record<string, unknown>, token = analyste): Promise<{ totalCount: number; lignes: Ligne[] }> {
  const r = await hub.query<{ analyseParcours: { totalCount: number; edges: { node: Ligne }[] } }>(ANALYSE, { first: 1000, filtre: { departement: '44', ...filtre } }, { token });
  expect(r.errors).toBeUndefined();
  return { totalCount: r.data!.analyseParcours.totalCount, lignes: r.data!.analyseParcours.edges.map((e) => e.node) };
}

/** Rows as comparable strings (site letter, month, age band, sex, country, generalised), sorted. */
const resume = (l: Ligne[]) =>
  l.map((x) => [x.site.id === SITE_S ? 'S' : 'T', x.moisOrientation, x.trancheAge ?? '-', x.sexe ?? '-', x.paysNaissance ?? '-', x.generalise ? 'generalisee' : 'complete'].join(' ')).sort();
const fois = (n: number, ligne: string) => Array<string>(n).fill(ligne);

describe('analyseParcours under k-anonymity (k = 5)', () => {
  it('generalises the row of a person alone in her class for an analyst, and gives it whole to the coordination', async () => {
    const juin = { orientationDu: '2024-06-01', orientationAu: '2024-06-30' };
    // Her class holds 1 parcours: no age band, no country. The 6 men of the site and month are
    // generalised with her, or hers would be the one row without a country; and with 1 woman among
    // the generalised rows, none keeps its sex.
    expect(resume((await lignes(juin)).lignes)).toEqual(fois(7, 'S 2024-06 - - - generalisee'));
    expect(resume((await lignes(juin, coordination)).lignes)).toEqual([
      'S 2024-06 AGE_18_25 HOMME SY complete', 'S 2024-06 AGE_18_25 HOMME SY complete', 'S 2024-06 AGE_18_25 HOMME SY complete',
      'S 2024-06 AGE_18_25 HOMME SY complete', 'S 2024-06 AGE_18_25 HOMME SY complete', 'S 2024-06 AGE_18_25 HOMME SY complete',
      'S 2024-06 AGE_46_55 FEMME ER complete',
    ]);
  });

  it('leaves a class of 5 complete, its rows counted over the whole département whatever the filter', async () => {
    const a = await lignes({ siteId: SITE_S, orientationDu: '2024-05-01', orientationAu: '2024-05-31' });
    expect(resume(a.lignes)).toEqual(fois(5, 'S 2024-05 AGE_26_35 FEMME AF complete'));
    // Alone among the SORTI, the row is still one of its class of 5: complete.
    const sortis = await lignes({ statut: ['SORTI'] });
    expect(resume(sortis.lignes)).toEqual(['S 2024-05 AGE_26_35 FEMME AF complete']);
  });

  it('keeps the sex of the generalised rows when each sex counts 5 of them', async () => {
    const c = await lignes({ orientationDu: '2024-07-01', orientationAu: '2024-07-31' });
    expect(resume(c.lignes)).toEqual([
      ...fois(5, 'S 2024-07 - FEMME - generalisee'),
      ...fois(5, 'S 2024-07 - HOMME - generalisee'),
      ...fois(5, 'S 2024-07 AGE_18_25 HOMME AF complete'),
    ]);
  });

  it('generalises the parcours of a site and month under 5 without being able to hide them further', async () => {
    // The limit of the rule: site and month stay, and there are only two rows for them.
    expect(resume((await lignes({ siteId: SITE_T })).lignes)).toEqual(fois(2, 'T 2024-05 - - - generalisee'));
  });

  it('filters by sex, country and age band on what the analyst reads, so that a filter gives nothing back', async () => {
    // 8 people born in Eritrea, all in generalised rows: the analyst's filter finds none of them.
    expect(await lignes({ paysNaissance: 'ER' })).toEqual({ totalCount: 0, lignes: [] });
    expect((await lignes({ paysNaissance: 'ER' }, coordination)).totalCount).toBe(8);
    // The women of group A (complete) and C (generalised with their sex), not the one of group B nor of D.
    const femmes = await lignes({ sexe: 'FEMME' });
    expect(femmes.totalCount).toBe(10);
    expect(resume(femmes.lignes)).toEqual([...fois(5, 'S 2024-05 AGE_26_35 FEMME AF complete'), ...fois(5, 'S 2024-07 - FEMME - generalisee')]);
    expect((await lignes({ sexe: 'FEMME' }, coordination)).totalCount).toBe(12);
    // 18-25: the complete men of July, not the generalised men of June.
    expect(resume((await lignes({ trancheAge: ['AGE_18_25', 'AGE_46_55'] })).lignes)).toEqual(fois(5, 'S 2024-07 AGE_18_25 HOMME AF complete'));
    expect((await lignes({ trancheAge: ['AGE_18_25', 'AGE_46_55'] }, coordination)).totalCount).toBe(12);
  });

  it('pages through generalised rows in one SQL statement a page, whatever the page size', async () => {
    const statements = async (first: number) =>
      (await hub.countSql(() => hub.query(ANALYSE, { first, filtre: { departement: '44' } }, { token: analyste }))).statements.coordination;
    const [un, tous] = [await statements(1), await statements(100)];
    expect(tous).toBe(un);
    // Paging one row at a time gives the rows of a single read, in the same order.
    const seen: Ligne[] = [];
    let after: string | null = null;
    do {
      const r: { data?: { analyseParcours: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Ligne }[] } } | null } = await hub.query(
        ANALYSE,
        { first: 4, after, filtre: { departement: '44', sexe: 'HOMME' } },
        { token: analyste },
      );
      seen.push(...r.data!.analyseParcours.edges.map((e) => e.node));
      after = r.data!.analyseParcours.pageInfo.hasNextPage ? r.data!.analyseParcours.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual((await lignes({ sexe: 'HOMME' })).lignes);
    expect(seen).toHaveLength(10);
  });
});
