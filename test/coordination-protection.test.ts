import { randomUUID } from 'node:crypto';
import { Beneficiaire, Parcours } from '../subgraphs/coordination/src/entities';
import { anonymiserParcoursTermines } from '../subgraphs/coordination/src/retention';
import { FIXTURE, seedFixture } from './support/fixtures';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';

const ANCIEN = { beneficiaire: randomUUID(), parcours: randomUUID() };
const referentInconnu = randomUUID();

/**
 * Coordination's side of data protection, through the gateway: who sees which parcours and which
 * fields, consent, break the glass, the audit trail and the journal, the right of access, and
 * the retention job.
 */
describe('data protection in Coordination', () => {
  let hub: TestHub;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    hub = await startTestHub({
      async seed(dbs) {
        await seedFixture(dbs);
        // A parcours closed three years ago, whose identity the retention job must remove.
        await dbs.coordination.getRepository(Beneficiaire).insert({
          id: ANCIEN.beneficiaire, nom: 'Rahimi', prenom: 'Farid', sexe: 'HOMME', dateNaissance: '1990-06-15', paysNaissance: 'AF',
          protection: 'REFUGIE', dateObtentionProtection: '2020-03-01', rejoignant: false, communeInsee: '44109', communeNom: 'Nantes',
          telephone: '+33612345678', email: 'farid@example.org',
        });
        await dbs.coordination.getRepository(Parcours).insert({
          id: ANCIEN.parcours, beneficiaireId: ANCIEN.beneficiaire, siteId: FIXTURE.site44, departement: '44', statut: 'CLOS',
          canalOrientation: 'OFII', dateOrientation: '2021-01-10', dateSignatureCir: '2021-01-10', dateDiagnostic: '2021-01-25',
          dateCommission: null, dateContrat: '2021-02-15', dateSortie: '2022-05-02', referentDroitsLogementId: null, referentEmploiFormationId: null,
        });
      },
    });
    const referent = (domain: 'DL' | 'EF', id: string) =>
      hub.token({ ...COORDINATOR, sub: `ref-${domain}-${id}`, roles: [domain === 'DL' ? 'REFERENT_DROITS_LOGEMENT' : 'REFERENT_EMPLOI_FORMATION'], departements: ['44'], referent: id });
    tokens.referentDL = await referent('DL', FIXTURE.referentDL);
    tokens.referentEF = await referent('EF', FIXTURE.referentEF);
    tokens.autreReferent = await referent('DL', referentInconnu);
    tokens.coordination44 = await hub.token({ ...COORDINATOR, sub: 'coord-44', departements: ['44'] });
    tokens.coordination85 = await hub.token({ ...COORDINATOR, sub: 'coord-85', departements: ['85'] });
    for (const role of ['OFII', 'PRESCRIPTEUR', 'ANALYSTE', 'ADMIN'] as const) tokens[role] = await hub.token({ ...COORDINATOR, sub: role, roles: [role] });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const READ = `query($id: ID!) { parcours(id: $id) { id statut beneficiaire { nom protection } } }`;

  it.each([
    ['referentDL', { nom: 'Haidari', protection: null }, ['Beneficiaire.protection']],
    ['referentEF', { nom: 'Haidari', protection: null }, ['Beneficiaire.protection']],
    ['coordination44', { nom: 'Haidari', protection: 'REFUGIE' }, []],
  ])('lets %s read the identity, and the legal status only if it needs it', async (who, beneficiaire, refusedFields) => {
    const result = await hub.query(READ, { id: FIXTURE.amina.parcours }, { token: tokens[who] });
    expect(result.data).toEqual({ parcours: { id: FIXTURE.amina.parcours, statut: 'CONTRACTUALISE', beneficiaire } });
    expect((result.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.field])).toEqual(refusedFields.map((f) => ['FORBIDDEN', f]));
  });

  it.each(['autreReferent', 'coordination85', 'OFII', 'PRESCRIPTEUR', 'ANALYSTE', 'ADMIN'])('refuses %s the parcours, leaking nothing', async (who) => {
    const result = await hub.query(READ, { id: FIXTURE.amina.parcours }, { token: tokens[who] });
    expect(result.data).toEqual({ parcours: null });
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(result)).not.toContain('Haidari');
    const [refusal] = await hub.subgraphs.coordination.dataSource.query(
      `SELECT operation, action, parcours_id, fields, allowed, reason FROM audit_log WHERE user_id = $1 AND action = 'refus' ORDER BY id DESC LIMIT 1`, [who === 'autreReferent' ? `ref-DL-${referentInconnu}` : who === 'coordination85' ? 'coord-85' : who]);
    expect(refusal).toEqual({ operation: 'READ', action: 'refus', parcours_id: FIXTURE.amina.parcours, fields: ['Query.parcours'], allowed: false, reason: expect.stringContaining('hors de votre périmètre') });
    const list = await hub.query<{ parcoursListe: { totalCount: number } }>('query { parcoursListe(first: 100) { totalCount edges { node { id } } } }', {}, { token: tokens[who] });
    expect(JSON.stringify(list.data)).not.toContain(FIXTURE.amina.parcours);
  });

  it('lists for a referent only the parcours of its binômes', async () => {
    const list = await hub.query<{ parcoursListe: { edges: { node: { id: string } }[] } }>('query { parcoursListe(first: 100) { edges { node { id } } } }', {}, { token: tokens.referentDL });
    expect(list.data?.parcoursListe.edges.map((e) => e.node.id)).toEqual([FIXTURE.amina.parcours]);
  });

  it('writes one audit row per subgraph touched by a read of personal data', async () => {
    const before = await Promise.all(Object.values(hub.subgraphs).map((s) => s.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE operation = 'READ' AND parcours_id = $1`, [FIXTURE.amina.parcours])));
    const result = await hub.query(`query($id: ID!) { parcours(id: $id) { beneficiaire { nom } situationLogement { categorie } langue { niveauCecrl } } }`, { id: FIXTURE.amina.parcours }, { token: tokens.coordination44 });
    expect(result.errors).toBeUndefined();
    const after = await Promise.all(Object.values(hub.subgraphs).map((s) => s.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE operation = 'READ' AND parcours_id = $1`, [FIXTURE.amina.parcours])));
    expect(after.map((a, i) => a[0].n - before[i]![0].n)).toEqual([1, 1, 1]);
    const [row] = await hub.subgraphs.coordination.dataSource.query(
      `SELECT user_id, roles, fields, allowed, via FROM audit_log WHERE operation = 'READ' AND parcours_id = $1 ORDER BY id DESC LIMIT 1`, [FIXTURE.amina.parcours]);
    expect(row).toEqual({ user_id: 'coord-44', roles: ['COORDINATION'], fields: ['Beneficiaire.nom', 'Parcours.beneficiaire'], allowed: true, via: 'COORDINATION' });
  });

  it('hides a domain from the coordination once the person withdraws consent, and journals the change', async () => {
    const withdraw = await hub.query(`mutation($id: ID!) { retirerConsentement(parcoursId: $id, domaine: DROITS_LOGEMENT, retireLe: "2025-06-01") { domaine retireLe } }`, { id: FIXTURE.amina.parcours }, { token: tokens.coordination44 });
    expect(withdraw.errors).toBeUndefined();
    const read = await hub.query(`query($id: ID!) { parcours(id: $id) { situationLogement { categorie } langue { niveauCecrl } } }`, { id: FIXTURE.amina.parcours }, { token: tokens.coordination44 });
    expect(read.data).toEqual({ parcours: { situationLogement: null, langue: { niveauCecrl: 'A2' } } });
    expect(read.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const asReferent = await hub.query(`query($id: ID!) { parcours(id: $id) { situationLogement { categorie } } }`, { id: FIXTURE.amina.parcours }, { token: tokens.referentDL });
    expect(asReferent.data).toEqual({ parcours: { situationLogement: { categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE' } } });
    const journal = await hub.query<{ parcours: { journalCoordination: { auteur: string; action: string; champs: { champ: string; avant: string | null; apres: string | null }[] }[] } }>(
      `query($id: ID!) { parcours(id: $id) { journalCoordination { auteur action champs { champ avant apres } } } }`, { id: FIXTURE.amina.parcours }, { token: tokens.coordination44 });
    expect(journal.data?.parcours.journalCoordination[0]).toEqual({ auteur: 'coord-44', action: 'update consentement', champs: [{ champ: 'retire_le', avant: null, apres: '"2025-06-01"' }] });
  });

  it('lets a coordinator break the glass for two hours with a reason, flagged in the audit trail', async () => {
    const tooShort = await hub.query(`mutation($id: ID!) { ouvrirAccesExceptionnel(parcoursId: $id, motif: "urgence") { expireLe } }`, { id: FIXTURE.amina.parcours }, { token: tokens.coordination85 });
    expect(tooShort.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'motif' });
    const grant = await hub.query<{ ouvrirAccesExceptionnel: { parcoursId: string; expireLe: string } }>(
      `mutation($id: ID!) { ouvrirAccesExceptionnel(parcoursId: $id, motif: "Hébergement d'urgence la nuit, référente absente") { parcoursId expireLe } }`, { id: FIXTURE.amina.parcours }, { token: tokens.coordination85 });
    const hours = (Date.parse(grant.data!.ouvrirAccesExceptionnel.expireLe) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(1.9);
    expect(hours).toBeLessThanOrEqual(2);
    const read = await hub.query(READ, { id: FIXTURE.amina.parcours }, { token: tokens.coordination85 });
    expect(read.data).toEqual({ parcours: { id: FIXTURE.amina.parcours, statut: 'CONTRACTUALISE', beneficiaire: { nom: 'Haidari', protection: 'REFUGIE' } } });
    const rows = await hub.subgraphs.coordination.dataSource.query(`SELECT operation, action, break_glass FROM audit_log WHERE user_id = 'coord-85' ORDER BY id`);
    expect(rows).toEqual([
      // The refused read of the test above, before the grant.
      { operation: 'READ', action: 'refus', break_glass: false },
      { operation: 'WRITE', action: 'insert acces_exceptionnel', break_glass: false },
      { operation: 'BREAK_GLASS', action: 'ouvrirAccesExceptionnel', break_glass: true },
      { operation: 'READ', action: 'lecture', break_glass: true },
    ]);
  });

  it('serves the right of access as an export of everything Coordination holds, audited', async () => {
    const result = await hub.query<{ parcours: { donneesPersonnellesCoordination: string } }>(`query($id: ID!) { parcours(id: $id) { donneesPersonnellesCoordination } }`, { id: FIXTURE.amina.parcours }, { token: tokens.coordination44 });
    const document = JSON.parse(result.data!.parcours.donneesPersonnellesCoordination) as { donnees: Record<string, { nom?: string }[]> };
    expect(document.donnees.beneficiaire?.[0]?.nom).toBe('Haidari');
    expect(document.donnees.parcours).toHaveLength(1);
    expect(Object.keys(document.donnees)).toEqual(expect.arrayContaining(['consentement', 'transition_parcours', 'diagnostic']));
    const denied = await hub.query(`query($id: ID!) { parcours(id: $id) { donneesPersonnellesCoordination } }`, { id: FIXTURE.amina.parcours }, { token: tokens.referentDL });
    expect(denied.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Parcours.donneesPersonnellesCoordination' });
    const [audit] = await hub.subgraphs.coordination.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE operation = 'EXPORT' AND parcours_id = $1`, [FIXTURE.amina.parcours]);
    expect(audit).toEqual({ n: 1 });
  });

  it('anonymises the people whose parcours ended more than two years ago, keeping the statistics', async () => {
    const db = hub.subgraphs.coordination.dataSource;
    const statutsAvant = await db.query('SELECT statut, count(*)::int AS n FROM parcours GROUP BY statut ORDER BY statut');
    const { parcours } = await anonymiserParcoursTermines(db, { aujourdhui: '2025-06-01' });
    expect(parcours).toEqual([ANCIEN.parcours]);
    const [ancien] = await db.query('SELECT nom, prenom, telephone, email, date_naissance::text AS naissance, pays_naissance, commune_insee FROM beneficiaire WHERE id = $1', [ANCIEN.beneficiaire]);
    expect(ancien).toEqual({ nom: 'ANONYMISÉ', prenom: 'ANONYMISÉ', telephone: null, email: null, naissance: '1990-01-01', pays_naissance: 'AF', commune_insee: '44109' });
    const [amina] = await db.query('SELECT nom FROM beneficiaire WHERE id = $1', [FIXTURE.amina.beneficiaire]);
    expect(amina).toEqual({ nom: 'Haidari' });
    expect(await db.query('SELECT statut, count(*)::int AS n FROM parcours GROUP BY statut ORDER BY statut')).toEqual(statutsAvant);
    // The journal says which fields changed, not the values removed.
    const journal = await db.query(`SELECT user_id, changes FROM audit_log WHERE action = 'update beneficiaire' AND parcours_id = $1`, [ANCIEN.parcours]);
    expect(journal).toHaveLength(1);
    expect(journal[0].user_id).toBe('job:anonymisation');
    expect(JSON.stringify(journal[0].changes)).not.toMatch(/Rahimi|Farid|33612345678/);
    expect(Object.keys(journal[0].changes)).toEqual(expect.arrayContaining(['nom', 'prenom', 'telephone', 'email']));
    expect((await anonymiserParcoursTermines(db, { aujourdhui: '2025-06-01' })).parcours).toEqual([]);
  });
});
