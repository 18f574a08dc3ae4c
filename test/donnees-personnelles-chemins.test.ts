import { randomUUID } from 'node:crypto';
import { today } from '@agir/common';
import { Beneficiaire, FicheLiaison, Parcours } from '../subgraphs/coordination/src/entities';
import { PERSONNE, REF, seedFaitsDomaines, seedReference, SITUATION, USERS } from './support/coordination-fixtures';
import { startTestHub, type TestHub } from './support/hub';

/**
 * The paths around the field rules: a person's identity reached through a mutation's payload, a
 * rejoignant's link to the BPI, a fiche de liaison, and the root queries taking parcours ids or a
 * département. Each is refused (or answers as an unknown id) and written to the audit trail.
 */
const BPI85 = { beneficiaire: randomUUID(), parcours: randomUUID() };
const BPI44 = { beneficiaire: randomUUID(), parcours: randomUUID() };
const AUTRE44 = { beneficiaire: randomUUID(), parcours: randomUUID() };
/** A rejoignant whose fiche was linked to the 85 BPI before links were checked. */
const LIEN_ANCIEN = { beneficiaire: randomUUID(), fiche: randomUUID() };
const AUJOURDHUI = today();
const N1 = Number(AUJOURDHUI.slice(0, 4)) - 1;

describe('personal data, whatever the path', () => {
  let hub: TestHub;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    hub = await startTestHub({
      async seed(dbs) {
        await seedReference(dbs);
        const c = dbs.coordination;
        const personne = (id: string, nom: string, prenom: string, extra: Partial<{ rejoignant: boolean; lienRejoignant: 'CONJOINT'; bpiBeneficiaireId: string }> = {}) => ({
          id, nom, prenom, sexe: 'HOMME' as const, dateNaissance: '1988-02-01', paysNaissance: 'ER', protection: 'REFUGIE' as const, dateObtentionProtection: `${N1}-02-01`,
          rejoignant: false, communeInsee: '85191', communeNom: 'La Roche-sur-Yon', telephone: '+33611223344', email: null, ...extra,
        });
        await c.getRepository(Beneficiaire).insert([
          personne(BPI85.beneficiaire, 'Tesfaye', 'Dawit'),
          personne(BPI44.beneficiaire, 'Haidari', 'Reza'),
          personne(AUTRE44.beneficiaire, 'Nouri', 'Karim'),
          personne(LIEN_ANCIEN.beneficiaire, 'Tesfaye', 'Selam', { rejoignant: true, lienRejoignant: 'CONJOINT', bpiBeneficiaireId: BPI85.beneficiaire }),
        ]);
        const parcours = (id: string, beneficiaireId: string, departement: '44' | '85', extra: Partial<{ statut: 'CONTRACTUALISE'; referentDroitsLogementId: string }> = {}) => ({
          id, beneficiaireId, siteId: departement === '44' ? REF.site44 : REF.site85, departement, statut: 'CONVOQUE' as const, canalOrientation: 'OFII' as const,
          dateOrientation: `${N1}-03-01`, dateSignatureCir: `${N1}-03-01`, dateDiagnostic: null, dateCommission: null, dateContrat: null, dateSortie: null,
          referentDroitsLogementId: null, referentEmploiFormationId: null, ...extra,
        });
        await c.getRepository(Parcours).insert([
          parcours(BPI85.parcours, BPI85.beneficiaire, '85'),
          parcours(BPI44.parcours, BPI44.beneficiaire, '44', { statut: 'CONTRACTUALISE', referentDroitsLogementId: REF.referentDL }),
          parcours(AUTRE44.parcours, AUTRE44.beneficiaire, '44', { statut: 'CONTRACTUALISE' }),
        ]);
        await c.getRepository(FicheLiaison).insert({
          id: LIEN_ANCIEN.fiche, departement: '44', statut: 'EN_ATTENTE', soumiseLe: AUJOURDHUI, soumisePar: 'cada-nantes', prescripteurNom: 'Julie Martin',
          prescripteurStructure: 'CADA de Nantes', prescripteurEmail: null, prescripteurTelephone: null, beneficiaireId: LIEN_ANCIEN.beneficiaire, dateSignatureCir: null,
          domicilieDepartement: true, resideDepartement: true, logementDurable: false, emploiDurable: false, volontaire: true, commentaire: null,
          dateReponse: null, motifRefus: null, parcoursId: null,
        });
        for (const p of [BPI44.parcours, AUTRE44.parcours]) await seedFaitsDomaines(dbs, p, { refus: ['2025-03-01', '2025-04-01'] });
      },
    });
    tokens.prescripteur44 = await hub.token(USERS.prescripteur44);
    tokens.coordination44 = await hub.token(USERS.coordination44);
    tokens.ofii44 = await hub.token({ ...USERS.ofii, sub: 'ofii-44', departements: ['44'] });
    tokens.referentDL = await hub.token({ sub: 'ref-dl-44', name: 'Diane Clerc', structure: REF.aurore, roles: ['REFERENT_DROITS_LOGEMENT'], departements: ['44'], referent: REF.referentDL });
    tokens.admin44 = await hub.token({ sub: 'admin-44', name: 'Admin', structure: REF.sos, roles: ['ADMIN'], departements: ['44'] });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const coordination = () => hub.subgraphs.coordination.dataSource;
  const refusals = (userId: string) =>
    coordination().query(`SELECT operation, action, parcours_id, subject, fields, allowed, reason FROM audit_log WHERE user_id = $1 AND NOT allowed ORDER BY id`, [userId]);

  const SOUMETTRE = `mutation($input: FicheLiaisonInput!) { soumettreFicheLiaison(input: $input) {
    id beneficiaire { nom bpi { nom prenom dateNaissance protection dateObtentionProtection telephone communeResidence { nom } } } } }`;
  const fiche = (bpiBeneficiaireId: string) => ({
    departement: '44',
    prescripteur: { nom: 'Julie Martin', structure: 'CADA de Nantes' },
    beneficiaire: { ...PERSONNE, nom: 'Tesfaye', prenom: 'Selam', dateObtentionProtection: null, protection: null, rejoignant: { lien: 'CONJOINT', bpiBeneficiaireId } },
    situation: SITUATION,
  });

  it.each([
    ['through the gateway', () => ({})],
    ['on the Coordination subgraph directly', () => ({ url: hub.subgraphs.coordination.url })],
  ])('answers a prescripteur naming a BPI of another département %s exactly as an unknown id, and audits both', async (_mode, where) => {
    const inconnu = randomUUID();
    const autre = await hub.query(SOUMETTRE, { input: fiche(BPI85.beneficiaire) }, { token: tokens.prescripteur44, ...where() });
    const absent = await hub.query(SOUMETTRE, { input: fiche(inconnu) }, { token: tokens.prescripteur44, ...where() });
    const shape = (r: typeof autre, id: string) => ({ data: r.data, errors: r.errors?.map((e) => ({ message: e.message.replace(id, '<id>'), code: e.extensions?.code, field: e.extensions?.field })) });
    expect(shape(autre, BPI85.beneficiaire)).toEqual(shape(absent, inconnu));
    expect(shape(autre, BPI85.beneficiaire)).toEqual({
      data: null,
      errors: [{ message: "Aucun bénéficiaire ne porte l'identifiant « <id> » : donnez l'identifiant du dossier du BPI rejoint.", code: 'BAD_USER_INPUT', field: 'input.beneficiaire.rejoignant.bpiBeneficiaireId' }],
    });
    expect(JSON.stringify(autre)).not.toContain('Dawit');
    const rows = (await refusals('cada-nantes')).slice(-2);
    expect(rows).toEqual([
      { operation: 'WRITE', action: 'refus', parcours_id: BPI85.parcours, subject: null, fields: ['input.beneficiaire.rejoignant.bpiBeneficiaireId'], allowed: false, reason: 'dossier du BPI rattaché au département 85, pas au 44' },
      { operation: 'WRITE', action: 'refus', parcours_id: null, subject: `beneficiaire:${inconnu}`, fields: ['input.beneficiaire.rejoignant.bpiBeneficiaireId'], allowed: false, reason: 'identifiant de bénéficiaire inconnu' },
    ]);
    expect(await coordination().query(`SELECT count(*)::int AS n FROM fiche_liaison WHERE departement = '44' AND id <> $1`, [LIEN_ANCIEN.fiche])).toEqual([{ n: 0 }]);
  });

  it('lets a prescripteur link a BPI of its département, and read what it submitted but not the BPI’s identity', async () => {
    const r = await hub.query<{ soumettreFicheLiaison: { id: string; beneficiaire: unknown } }>(SOUMETTRE, { input: fiche(BPI44.beneficiaire) }, { token: tokens.prescripteur44 });
    expect(r.data?.soumettreFicheLiaison.beneficiaire).toEqual({ nom: 'Tesfaye', bpi: null });
    expect(r.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['FORBIDDEN', 'Beneficiaire.bpi']]);
    expect(JSON.stringify(r)).not.toContain('Reza');
    const [refus] = (await refusals('cada-nantes')).slice(-1);
    expect(refus).toEqual({
      operation: 'READ', action: 'lecture', parcours_id: null, subject: `fiche_liaison:${r.data?.soumettreFicheLiaison.id}`, fields: ['Beneficiaire.bpi'], allowed: false,
      reason: 'donnée sensible, réservée au référent du domaine',
    });
  });

  const FICHES = `query { fichesLiaison(departement: "44") { id commentaire beneficiaire { nom bpi { id nom prenom dateNaissance protection telephone communeResidence { nom } } } } }`;

  it.each([
    ['coordination44', 'coord-44'],
    ['ofii44', 'ofii-44'],
  ])('refuses %s the identity of an 85 BPI a fiche of 44 was linked to, field by field, audited on the BPI’s parcours', async (who, userId) => {
    const r = await hub.query<{ fichesLiaison: { id: string; beneficiaire: { nom: string; bpi: Record<string, unknown> | null } }[] }>(FICHES, {}, { token: tokens[who] });
    const ancienne = r.data?.fichesLiaison.find((f) => f.id === LIEN_ANCIEN.fiche);
    // The BPI's names are non-null: their refusal empties the whole link.
    expect(ancienne?.beneficiaire).toEqual({ nom: 'Tesfaye', bpi: null });
    expect(JSON.stringify(ancienne)).not.toMatch(/Dawit|1988-02-01|33611223344|Roche/);
    // Each field asked is refused on its own rule (graphql stops at the first non-null one it nulls).
    const asked = ['nom', 'prenom', 'dateNaissance', 'protection', 'telephone', 'communeResidence'].map((f) => `Beneficiaire.${f}`);
    const refused = r.errors?.map((e) => { expect(e.extensions?.code).toBe('FORBIDDEN'); return e.extensions?.field as string; }) ?? [];
    expect(refused).toContain('Beneficiaire.nom');
    expect(asked).toEqual(expect.arrayContaining(refused));
    const rows = (await coordination().query(`SELECT fields, reason FROM audit_log WHERE user_id = $1 AND NOT allowed AND parcours_id = $2`, [userId, BPI85.parcours])) as { fields: string[]; reason: string }[];
    expect(rows).toEqual([{ fields: expect.arrayContaining(['Beneficiaire.nom']), reason: 'ce parcours est hors de votre périmètre' }]);
    expect(asked).toEqual(expect.arrayContaining(rows[0]!.fields));
    const [lu] = await coordination().query(`SELECT fields FROM audit_log WHERE user_id = $1 AND allowed AND subject = $2`, [userId, `fiche_liaison:${LIEN_ANCIEN.fiche}`]);
    expect(lu.fields).toEqual(expect.arrayContaining(['Beneficiaire.nom', 'Beneficiaire.bpi', 'FicheLiaison.beneficiaire']));
  });

  it('refuses the fiches of another département, audited', async () => {
    const r = await hub.query(`query { fichesLiaison(departement: "85") { id } }`, {}, { token: tokens.coordination44 });
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const [row] = (await refusals('coord-44')).filter((x: { fields: string[] }) => x.fields[0] === 'Query.fichesLiaison');
    expect(row).toEqual({ operation: 'READ', action: 'refus', parcours_id: null, subject: null, fields: ['Query.fichesLiaison'], allowed: false, reason: 'Le département 85 est hors de votre périmètre (44).' });
  });

  const REFUS = `query($ids: [ID!]!) { refusPropositionsLogement(parcoursIds: $ids) { parcoursId refus } }`;

  it.each([
    ['referentDL', 'ref-dl-44', [{ parcoursId: BPI44.parcours, refus: 2 }]],
    ['admin44', 'admin-44', []],
    ['coordination44', 'coord-44', [{ parcoursId: BPI44.parcours, refus: 2 }, { parcoursId: AUTRE44.parcours, refus: 2 }]],
  ])('answers %s the refusal counts of the parcours it may read only, and audits the others as refused', async (who, userId, expected) => {
    const ids = [BPI44.parcours, AUTRE44.parcours, BPI85.parcours];
    const r = await hub.query(REFUS, { ids }, { token: tokens[who] });
    expect(r).toEqual({ data: { refusPropositionsLogement: expected } });
    const dl = hub.subgraphs['droits-logement'].dataSource;
    const rows = (await dl.query(`SELECT parcours_id, fields, allowed FROM audit_log WHERE user_id = $1 AND parcours_id = ANY($2) ORDER BY allowed DESC, parcours_id`, [userId, ids])) as {
      parcours_id: string;
      allowed: boolean;
    }[];
    const allowed = new Set((expected as { parcoursId: string }[]).map((e) => e.parcoursId));
    expect(rows.map((x) => [x.parcours_id, x.allowed]).sort()).toEqual(ids.map((id) => [id, allowed.has(id)]).sort());
    expect(rows.every((x) => JSON.stringify(x).includes('Query.refusPropositionsLogement'))).toBe(true);
  });

  it('lists a referent’s alerts for its binômes only, and refuses another département with an audit row', async () => {
    const ALERTES = `query($d: String!) { alertes(departement: $d) { alertes { parcours { id } code } } }`;
    const r = await hub.query<{ alertes: { alertes: { parcours: { id: string } }[] } }>(ALERTES, { d: '44' }, { token: tokens.referentDL });
    expect(r.errors).toBeUndefined();
    expect(new Set(r.data?.alertes.alertes.map((a) => a.parcours.id))).toEqual(new Set([BPI44.parcours]));
    const lus = await coordination().query(`SELECT parcours_id, fields, allowed, via FROM audit_log WHERE user_id = 'ref-dl-44' AND 'Query.alertes' = ANY(fields) AND allowed`);
    expect(lus).toEqual([{ parcours_id: BPI44.parcours, fields: ['Query.alertes'], allowed: true, via: 'BINOME' }]);
    const autre = await hub.query(ALERTES, { d: '85' }, { token: tokens.referentDL });
    expect(autre.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const rows = (await refusals('ref-dl-44')).filter((x: { fields: string[] }) => x.fields[0] === 'Query.alertes');
    expect(rows).toEqual([{ operation: 'READ', action: 'refus', parcours_id: null, subject: null, fields: ['Query.alertes'], allowed: false, reason: 'Le département 85 est hors de votre périmètre (44).' }]);
  });
});
