import { randomUUID } from 'node:crypto';
import { Beneficiaire, Parcours } from '../subgraphs/coordination/src/entities';
import { FIXTURE, seedFixture } from './support/fixtures';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';

const SORTIE = { beneficiaire: randomUUID(), parcours: randomUUID() };

const ROW = 'pseudonyme departement site { id nom } statut canalOrientation moisOrientation trancheAge sexe paysNaissance dureeAccompagnementJours motifFin motifExclusion generalise';
const ANALYSE = `query($first: Int, $after: String, $filtre: AnalyseFiltre!) {
  analyseParcours(first: $first, after: $after, filtre: $filtre) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${ROW} } } }
}`;

interface Connexion {
  analyseParcours: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Record<string, unknown> }[] };
}

/** Analysts through the gateway: pseudonymised rows only, filters, pagination, scope. */
describe('analyseParcours (analysts, pseudonymised)', () => {
  let hub: TestHub;
  let analyste44: string;
  beforeAll(async () => {
    hub = await startTestHub({
      async seed(dbs) {
        await seedFixture(dbs);
        // A person of 57 at orientation who left the programme, with a written exit motive (free text).
        await dbs.coordination.getRepository(Beneficiaire).insert({
          id: SORTIE.beneficiaire, nom: 'Ahmadi', prenom: 'Leila', sexe: 'FEMME', dateNaissance: '1966-05-02', paysNaissance: 'SY',
          protection: 'REFUGIE', dateObtentionProtection: '2022-01-10', rejoignant: false, communeInsee: '44109', communeNom: 'Nantes', telephone: null, email: null,
        });
        await dbs.coordination.getRepository(Parcours).insert({
          id: SORTIE.parcours, beneficiaireId: SORTIE.beneficiaire, siteId: FIXTURE.site44, departement: '44', statut: 'SORTI', canalOrientation: 'FICHE_LIAISON',
          dateOrientation: '2023-09-14', dateSignatureCir: '2023-09-01', dateDiagnostic: '2023-10-02', dateCommission: '2023-10-10', dateContrat: '2023-10-20',
          dateSortie: '2024-10-19', referentDroitsLogementId: null, referentEmploiFormationId: null, motifFin: 'CDI chez Leclerc à Rezé, logement rue des Lilas',
        });
      },
    });
    analyste44 = await hub.token({ ...COORDINATOR, sub: 'analyste-44', name: 'Analyste 44', roles: ['ANALYSTE'], departements: ['44'] });
  });
  afterAll(() => hub?.stop());

  const analyse = (variables: Record<string, unknown>, token = analyste44) => hub.query<Connexion>(ANALYSE, variables, { token });

  it('answers pseudonymised rows: no id, no name, no exact date, age bands, months, codes', async () => {
    const r = await analyse({ filtre: { departement: '44' } });
    expect(r.errors).toBeUndefined();
    const c = r.data!.analyseParcours;
    expect(c.totalCount).toBe(3);
    // Each of the three is the only parcours of its site and month: for an analyst, k-anonymity
    // generalises the three rows (no age band, no country, no sex; test/analyse-k-anonymat.test.ts).
    const site = { id: FIXTURE.site44, nom: 'Centre 1 AGIR – Rezé' };
    const generalisee = { trancheAge: null, sexe: null, paysNaissance: null, generalise: true };
    expect(c.edges.map((e) => e.node)).toEqual([
      { pseudonyme: expect.stringMatching(/^[0-9a-f]{64}$/), departement: '44', site, statut: 'ORIENTE', canalOrientation: 'OFII',
        moisOrientation: '2025-03', ...generalisee, dureeAccompagnementJours: null, motifFin: null, motifExclusion: null },
      { pseudonyme: expect.stringMatching(/^[0-9a-f]{64}$/), departement: '44', site, statut: 'CONTRACTUALISE', canalOrientation: 'OFII',
        moisOrientation: '2025-01', ...generalisee, dureeAccompagnementJours: expect.any(Number), motifFin: null, motifExclusion: null },
      { pseudonyme: expect.stringMatching(/^[0-9a-f]{64}$/), departement: '44', site, statut: 'SORTI', canalOrientation: 'FICHE_LIAISON',
        moisOrientation: '2023-09', ...generalisee, dureeAccompagnementJours: 365, motifFin: 'SORTIE', motifExclusion: null },
    ]);
    // The coordination reads the same rows complete.
    const coordination = await hub.token({ ...COORDINATOR, departements: ['44'] });
    const complete = (await analyse({ filtre: { departement: '44' } }, coordination)).data!.analyseParcours.edges.map((e) => e.node);
    expect(complete.map(({ trancheAge, sexe, paysNaissance, generalise }) => ({ trancheAge, sexe, paysNaissance, generalise }))).toEqual([
      { trancheAge: 'AGE_26_35', sexe: 'HOMME', paysNaissance: 'AF', generalise: false },
      { trancheAge: 'AGE_26_35', sexe: 'FEMME', paysNaissance: 'AF', generalise: false },
      { trancheAge: 'AGE_56_PLUS', sexe: 'FEMME', paysNaissance: 'SY', generalise: false },
    ]);
    // Nothing in the answer, cursors included, carries an id, a name, a birth date or the written motive.
    const text = JSON.stringify(r.data);
    for (const secret of [FIXTURE.amina.parcours, FIXTURE.karim.parcours, SORTIE.parcours, FIXTURE.amina.beneficiaire, 'Haidari', 'Amina', 'Leila', 'Ahmadi', '1994-03-12', '1966-05-02', '2025-01-10', 'Leclerc']) {
      expect(text).not.toContain(secret);
    }
    for (const edge of c.edges) expect(Buffer.from(edge.cursor, 'base64url').toString('latin1')).not.toMatch(/\d{4}-\d{2}-\d{2}|[0-9a-f]{8}-/);
  });

  it('gives each parcours a stable pseudonym, different from the others and from its id', async () => {
    const first = (await analyse({ filtre: { departement: '44' } })).data!.analyseParcours.edges.map((e) => e.node.pseudonyme);
    const again = (await analyse({ filtre: { departement: '44' } })).data!.analyseParcours.edges.map((e) => e.node.pseudonyme);
    const coordination = await hub.token({ ...COORDINATOR, departements: ['44'] });
    const asCoordination = (await analyse({ filtre: { departement: '44' } }, coordination)).data!.analyseParcours.edges.map((e) => e.node.pseudonyme);
    expect(again).toEqual(first);
    expect(asCoordination).toEqual(first);
    expect(new Set(first).size).toBe(3);
    for (const id of [FIXTURE.amina.parcours, FIXTURE.karim.parcours, SORTIE.parcours]) {
      expect(first).not.toContain(id);
      expect(first.some((p) => (p as string).includes(id.replace(/-/g, '')))).toBe(false);
    }
  });

  it('filters by site, statut, canal, orientation dates, sexe, country and age band', async () => {
    const coordination = await hub.token({ ...COORDINATOR, departements: ['44'] });
    const count = async (filtre: Record<string, unknown>, token = analyste44) => {
      const r = await analyse({ filtre: { departement: '44', ...filtre } }, token);
      expect(r.errors).toBeUndefined();
      return r.data!.analyseParcours.edges.map((e) => e.node.statut);
    };
    expect(await count({ siteId: FIXTURE.site44 })).toHaveLength(3);
    expect(await count({ statut: ['SORTI', 'ORIENTE'] })).toEqual(['ORIENTE', 'SORTI']);
    expect(await count({ canal: ['FICHE_LIAISON'] })).toEqual(['SORTI']);
    expect(await count({ orientationDu: '2025-01-01', orientationAu: '2025-01-31' })).toEqual(['CONTRACTUALISE']);
    expect(await count({ orientationDu: '2025-01-11' })).toEqual(['ORIENTE']);
    // Sex, country and age band filter what a reader sees: the analyst's rows are generalised here,
    // so these filters find none of them (or they would give the values back); the coordination's do.
    for (const filtre of [{ sexe: 'FEMME' }, { paysNaissance: 'SY' }, { trancheAge: ['AGE_56_PLUS'] }]) expect(await count(filtre)).toEqual([]);
    expect((await analyse({ filtre: { departement: '44', sexe: 'FEMME' } })).data!.analyseParcours.totalCount).toBe(0);
    expect(await count({ sexe: 'FEMME' }, coordination)).toEqual(['CONTRACTUALISE', 'SORTI']);
    expect(await count({ paysNaissance: 'SY' }, coordination)).toEqual(['SORTI']);
    expect(await count({ trancheAge: ['AGE_56_PLUS'] }, coordination)).toEqual(['SORTI']);
    expect(await count({ trancheAge: ['AGE_18_25'] }, coordination)).toEqual([]);
    const total = await analyse({ filtre: { departement: '44', sexe: 'FEMME' } }, coordination);
    expect(total.data!.analyseParcours.totalCount).toBe(2);
  });

  it('pages with an opaque cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const r: { data?: Connexion | null; errors?: unknown[] } = await analyse({ first: 1, after, filtre: { departement: '44' } });
      expect(r.errors).toBeUndefined();
      const c: Connexion['analyseParcours'] = r.data!.analyseParcours;
      seen.push(...c.edges.map((e) => e.node.pseudonyme as string));
      after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    const all = (await analyse({ filtre: { departement: '44' } })).data!.analyseParcours.edges.map((e) => e.node.pseudonyme);
    expect(seen).toEqual(all);
    const tampered = await analyse({ first: 1, after: 'WyIyMDI1LTAzLTAzIiwiMDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAwIl0', filtre: { departement: '44' } });
    expect(tampered.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const tooMany = await analyse({ first: 1001, filtre: { departement: '44' } });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('refuses another département, bad filters, and roles without analysis', async () => {
    const autre = await analyse({ filtre: { departement: '85' } });
    expect(autre.data).toBeNull();
    expect(autre.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const site85 = await analyse({ filtre: { departement: '44', siteId: FIXTURE.site85 } });
    expect(site85.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filtre.siteId' });
    const dates = await analyse({ filtre: { departement: '44', orientationDu: '2025-02-01', orientationAu: '2025-01-01' } });
    expect(dates.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filtre.orientationDu' });
    const vide = await analyse({ filtre: { departement: '44', statut: [] } });
    expect(vide.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filtre.statut' });
    const referent = await hub.token({ ...COORDINATOR, roles: ['REFERENT_DROITS_LOGEMENT'], departements: ['44'], referent: FIXTURE.referentDL });
    const refused = await analyse({ filtre: { departement: '44' } }, referent);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('never gives an analyst a name, a birth date or free text through parcours or parcoursListe', async () => {
    const one = await hub.query<{ parcours: unknown }>(
      `query($id: ID!) { parcours(id: $id) { id motifFin beneficiaire { nom prenom dateNaissance } } }`,
      { id: SORTIE.parcours },
      { token: analyste44 },
    );
    expect(one.data?.parcours ?? null).toBeNull();
    expect(one.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(one)).not.toMatch(/Ahmadi|Leila|1966-05-02|Leclerc/);

    const list = await hub.query<{ parcoursListe: { totalCount: number; edges: unknown[] } }>(
      `{ parcoursListe(first: 10, filtre: { departement: "44" }) { totalCount edges { node { id motifFin beneficiaire { nom dateNaissance } } } } }`,
      {},
      { token: analyste44 },
    );
    expect(JSON.stringify(list)).not.toMatch(/Ahmadi|Leila|Haidari|Amina|1966-05-02|1994-03-12|Leclerc/);
    if (list.data) expect(list.data.parcoursListe.edges).toEqual([]);
    else expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // The analysts' type has no such field at all: asking for one is a validation error.
    for (const field of ['id', 'nom', 'dateNaissance', 'dateOrientation', 'beneficiaire { nom }']) {
      const r = await hub.post(`{ analyseParcours(filtre: { departement: "44" }) { edges { node { ${field} } } } }`, {}, { token: analyste44 });
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it('writes each pseudonymised row read to Coordination’s audit trail', async () => {
    await analyse({ filtre: { departement: '44', statut: ['SORTI'] } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const rows = (await hub.subgraphs.coordination.dataSource.query(
      `SELECT parcours_id, fields, via FROM audit_log WHERE user_id = 'analyste-44' AND operation = 'READ' AND parcours_id = $1`,
      [SORTIE.parcours],
    )) as { fields: string[]; via: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ fields: ['analyseParcours'], via: 'PSEUDONYMISE' });
  });
});
