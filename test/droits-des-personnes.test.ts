import { anonymiserDroitsLogement } from '../subgraphs/droits-logement/src/retention';
import { anonymiserEmploiFormation } from '../subgraphs/emploi-formation/src/retention';
import { FIXTURE, seedFixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

/** The person's right of access across the three subgraphs, and the domains' retention jobs. */
describe("the person's rights", () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({
      async seed(dbs) {
        await seedFixture(dbs);
        await dbs['droits-logement'].query(`UPDATE demarche_droit SET commentaire_blocage = 'Attend un acte de naissance de son frère à Kaboul' WHERE parcours_id = $1`, [FIXTURE.amina.parcours]);
        await dbs['emploi-formation'].query(
          `INSERT INTO inscription_france_travail (parcours_id, date_inscription, identifiant) VALUES ($1, '2025-02-10', '1234567A')`,
          [FIXTURE.amina.parcours],
        );
      },
    });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('exports in one query everything the three subgraphs hold on a person, each export audited where it was made', async () => {
    const result = await hub.query<{ parcours: Record<string, string> }>(
      `query($id: ID!) { parcours(id: $id) { donneesPersonnellesCoordination donneesPersonnellesDroitsLogement donneesPersonnellesEmploiFormation } }`,
      { id: FIXTURE.amina.parcours },
    );
    expect(result.errors).toBeUndefined();
    const [coordination, logement, emploi] = ['Coordination', 'DroitsLogement', 'EmploiFormation'].map((d) => JSON.parse(result.data!.parcours[`donneesPersonnelles${d}`]!) as { domaine: string; donnees: Record<string, Record<string, unknown>[]> });
    expect(coordination!.donnees.beneficiaire?.[0]).toMatchObject({ nom: 'Haidari', prenom: 'Amina' });
    expect(logement!.domaine).toBe('DROITS_LOGEMENT');
    expect(logement!.donnees.situation_logement?.map((s) => s.type)).toEqual(expect.arrayContaining(['CADA', 'RESIDENCE_SOCIALE']));
    expect(logement!.donnees.demarche_droit).toHaveLength(2);
    expect(emploi!.donnees.inscription_france_travail?.[0]).toMatchObject({ identifiant: '1234567A' });
    expect(emploi!.donnees.evaluation_langue).toHaveLength(2);
    for (const subgraph of Object.values(hub.subgraphs)) {
      const [row] = await subgraph.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE operation = 'EXPORT' AND parcours_id = $1`, [FIXTURE.amina.parcours]);
      expect(row).toEqual({ n: 1 });
    }
  });

  it("removes the domains' free text and identifiers of the parcours Coordination's retention job names", async () => {
    const dl = hub.subgraphs['droits-logement'].dataSource;
    const ef = hub.subgraphs['emploi-formation'].dataSource;
    expect(await anonymiserDroitsLogement(dl, [FIXTURE.amina.parcours])).toBeGreaterThan(0);
    expect(await anonymiserEmploiFormation(ef, [FIXTURE.amina.parcours])).toBe(1);
    expect(await dl.query('SELECT commentaire_blocage FROM demarche_droit WHERE parcours_id = $1', [FIXTURE.amina.parcours])).toEqual([{ commentaire_blocage: null }, { commentaire_blocage: null }]);
    expect(await ef.query('SELECT identifiant FROM inscription_france_travail WHERE parcours_id = $1', [FIXTURE.amina.parcours])).toEqual([{ identifiant: null }]);
    // Statistics stay: the housing path and the procedures' types and statuses.
    expect(await dl.query('SELECT count(*)::int AS n FROM situation_logement WHERE parcours_id = $1', [FIXTURE.amina.parcours])).toEqual([{ n: 2 }]);
    const journal = await ef.query(`SELECT user_id, changes FROM audit_log WHERE action = 'update inscription_france_travail'`);
    expect(journal).toEqual([{ user_id: 'job:anonymisation', changes: { identifiant: { before: null, after: null } } }]);
    const dlJournal = await dl.query(`SELECT changes::text AS c FROM audit_log WHERE user_id = 'job:anonymisation'`);
    expect(dlJournal.map((r: { c: string }) => r.c).join()).not.toContain('Kaboul');
  });
});
