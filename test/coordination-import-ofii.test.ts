import { randomUUID } from 'node:crypto';
import { PERSONNE, REF, SITUATION, USERS, seedReference } from './support/coordination-fixtures';
import { startTestHub, type GraphQLResult, type TestHub } from './support/hub';

/**
 * The OFII's orientations through the gateway, idempotent on the OFII file number: the batch file
 * (header checked whole, rows validated and imported one by one) and the single mutation.
 */

const IMPORTER = `mutation($csv: String!) { importerOrientationsOfii(csv: $csv) {
  lignes importees dejaImportees rejetees
  erreurs { ligne colonne raison }
  parcours { ligne numeroDossierOfii parcoursId statut }
} }`;
const ORIENTER = `mutation($input: OrientationOfiiInput!) { orienterParOfii(input: $input) { id statut numeroDossierOfii canalOrientation } }`;
const PARCOURS = `query($id: ID!) { parcours(id: $id) { id statut canalOrientation numeroDossierOfii dateSignatureCir departement
  beneficiaire { nom prenom dateNaissance sexe telephone email communeResidence { codeInsee nom } }
  convocation { date heure contenu site { id } }
  historique { action statutApres auteur { id } } } }`;

interface Rapport {
  lignes: number;
  importees: number;
  dejaImportees: number;
  rejetees: number;
  erreurs: { ligne: number; colonne: string | null; raison: string }[];
  parcours: { ligne: number; numeroDossierOfii: string; parcoursId: string; statut: string }[];
}

const ENTETE = [
  'numero_dossier_ofii', 'nom', 'prenom', 'date_naissance', 'sexe', 'pays_naissance', 'protection', 'date_obtention_protection',
  'date_signature_cir', 'commune_residence_insee', 'commune_residence_nom', 'telephone', 'email', 'site_id', 'date_convocation',
  'heure_convocation', 'contenu_convocation', 'domicilie', 'reside', 'logement_durable', 'emploi_durable', 'volontaire',
];

type Ligne = Partial<Record<(typeof ENTETE)[number], string>>;

const CONTENU = "Convocation à l'entretien diagnostic AGIR, avec votre titre de séjour.";
/** A birth year of its own for each file number: each number is another person, not a likely duplicate of the others. */
const annees = new Map<string, number>();
const naissance = (numero: string) => {
  if (!annees.has(numero)) annees.set(numero, 1950 + annees.size);
  return `${annees.get(numero)}-03-12`;
};
/** A valid row of the 44 (CIR on 2025-01-06, diagnostic on the 20th). */
const ligne = (numero: string, changes: Ligne = {}): Ligne => ({
  numero_dossier_ofii: numero, nom: 'Haidari', prenom: 'Amina', date_naissance: naissance(numero), sexe: 'FEMME', pays_naissance: 'AF',
  protection: 'REFUGIE', date_obtention_protection: '2024-10-01', date_signature_cir: '2025-01-06', commune_residence_insee: '44109',
  commune_residence_nom: 'Nantes', telephone: '+33612345678', email: 'amina.haidari@example.org', site_id: REF.site44,
  date_convocation: '2025-01-20', heure_convocation: '09:30', contenu_convocation: CONTENU, domicilie: 'oui', reside: 'oui',
  logement_durable: 'non', emploi_durable: 'non', volontaire: 'oui', ...changes,
});
const cellule = (v: string) => (/[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (lignes: (Ligne | '')[], entete = ENTETE) =>
  [entete.join(','), ...lignes.map((l) => (l === '' ? '' : entete.map((c) => cellule(l[c] ?? '')).join(',')))].join('\r\n') + '\r\n';

let hub: TestHub;
const tokens: Record<string, string> = {};
const OFII_44 = { ...USERS.ofii, sub: 'ofii-44', departements: ['44'] };

beforeAll(async () => {
  hub = await startTestHub({ seed: seedReference });
  for (const [k, claims] of Object.entries(USERS)) tokens[k] = await hub.token(claims);
  tokens.ofii44 = await hub.token(OFII_44);
});
afterAll(async () => {
  await hub?.stop();
});

const as = (who: string) => ({ token: tokens[who]! });
const ok = <T>(r: GraphQLResult<T>): T => {
  expect(r.errors).toBeUndefined();
  return r.data as T;
};
const importer = async (fichier: string, who = 'ofii') => ok(await hub.query<{ importerOrientationsOfii: Rapport }>(IMPORTER, { csv: fichier }, as(who))).importerOrientationsOfii;
/** Rows of each table the orientation writes. */
const compter = async () => {
  const [r] = await hub.subgraphs.coordination.dataSource.query(
    `SELECT (SELECT count(*)::int FROM parcours) AS parcours, (SELECT count(*)::int FROM beneficiaire) AS beneficiaires,
            (SELECT count(*)::int FROM transition_parcours) AS transitions, (SELECT count(*)::int FROM convocation) AS convocations`,
  );
  return r as { parcours: number; beneficiaires: number; transitions: number; convocations: number };
};

describe('importerOrientationsOfii', () => {
  it('imports a batch once: the same file sent again creates nothing and says DEJA_IMPORTEE', async () => {
    const fichier = csv([
      ligne('OFII-2025-0001'),
      ligne('OFII-2025-0002', {
        nom: 'Rahimi', prenom: 'Karim', date_naissance: '1990-07-01', sexe: 'HOMME', pays_naissance: 'SY', protection: 'PROTECTION_SUBSIDIAIRE',
        date_obtention_protection: '2024-11-15', date_signature_cir: '2025-01-08', commune_residence_insee: '', commune_residence_nom: '',
        telephone: '', email: '', site_id: REF.site85, date_convocation: '2025-01-27', heure_convocation: '14:00', contenu_convocation: 'Convocation',
      }),
    ]);
    const avant = await compter();
    const premier = await importer(fichier);
    const [a, b] = premier.parcours.map((p) => p.parcoursId);
    expect(premier).toEqual({
      lignes: 2, importees: 2, dejaImportees: 0, rejetees: 0, erreurs: [],
      parcours: [
        { ligne: 2, numeroDossierOfii: 'OFII-2025-0001', parcoursId: a, statut: 'IMPORTEE' },
        { ligne: 3, numeroDossierOfii: 'OFII-2025-0002', parcoursId: b, statut: 'IMPORTEE' },
      ],
    });
    expect(a).not.toBe(b);
    const apres = await compter();
    expect(apres).toEqual({ parcours: avant.parcours + 2, beneficiaires: avant.beneficiaires + 2, transitions: avant.transitions + 4, convocations: avant.convocations + 2 });

    // Imported exactly as orienterParOfii would: CONVOQUE, its identity, convocation and two history rows by the OFII user.
    const lu = ok(await hub.query<{ parcours: unknown }>(PARCOURS, { id: a }, as('coordination44'))).parcours;
    expect(lu).toEqual({
      id: a, statut: 'CONVOQUE', canalOrientation: 'OFII', numeroDossierOfii: 'OFII-2025-0001', dateSignatureCir: '2025-01-06', departement: '44',
      beneficiaire: { nom: 'Haidari', prenom: 'Amina', dateNaissance: naissance('OFII-2025-0001'), sexe: 'FEMME', telephone: '+33612345678', email: 'amina.haidari@example.org', communeResidence: { codeInsee: '44109', nom: 'Nantes' } },
      convocation: { date: '2025-01-20', heure: '09:30', contenu: CONTENU, site: { id: REF.site44 } },
      historique: [
        { action: 'ORIENTER', statutApres: 'ORIENTE', auteur: { id: 'ofii-auditeur-1' } },
        { action: 'CONVOQUER', statutApres: 'CONVOQUE', auteur: { id: 'ofii-auditeur-1' } },
      ],
    });

    const second = await importer(fichier);
    expect(second).toEqual({
      lignes: 2, importees: 0, dejaImportees: 2, rejetees: 0, erreurs: [],
      parcours: [
        { ligne: 2, numeroDossierOfii: 'OFII-2025-0001', parcoursId: a, statut: 'DEJA_IMPORTEE' },
        { ligne: 3, numeroDossierOfii: 'OFII-2025-0002', parcoursId: b, statut: 'DEJA_IMPORTEE' },
      ],
    });
    expect(await compter()).toEqual(apres);
  });

  it('imports the good rows and reports each bad one with its line, column and reason, writing nothing for it', async () => {
    const siteInconnu = randomUUID();
    const fichier = csv([
      ligne('OFII-2025-0101'),
      ligne('OFII-2025-0102', { date_naissance: '1994-13-45' }),
      ligne('OFII-2025-0103', { site_id: siteInconnu }),
      ligne('OFII-2025-0104', { volontaire: 'non' }),
      ligne('OFII-2025-0105', { nom: '' }),
      '',
      ligne('OFII-2025-0106', { site_id: REF.site85, date_convocation: '2025-01-27' }),
      ligne('OFII-2025-0107', { sexe: 'F', domicilie: 'peut-être' }),
      ligne('OFII-2025-0108', { prenom: 'Leila', date_convocation: '2025-01-21' }),
    ]);
    const avant = await compter();
    const rapport = await importer(fichier, 'ofii44');
    const [a, b] = rapport.parcours.map((p) => p.parcoursId);
    expect(rapport).toEqual({
      lignes: 8, importees: 2, dejaImportees: 0, rejetees: 6,
      erreurs: [
        { ligne: 3, colonne: 'date_naissance', raison: '« date_naissance » doit être une date AAAA-MM-JJ, reçu « 1994-13-45 ».' },
        { ligne: 4, colonne: 'site_id', raison: `Aucun site ne porte l'identifiant « ${siteInconnu} » : prenez-en un dans la requête sites.` },
        { ligne: 5, colonne: 'volontaire', raison: "Personne non éligible (VOLONTARIAT) : La personne n'est pas volontaire ; l'entrée dans le programme suppose son accord." },
        { ligne: 6, colonne: 'nom', raison: 'Valeur requise, la cellule est vide.' },
        // Line 7 is empty: skipped, the numbering follows the file.
        { ligne: 8, colonne: 'site_id', raison: 'Le département 85 est hors de votre périmètre (44).' },
        { ligne: 9, colonne: 'sexe', raison: 'Valeur « F » inconnue : attendu FEMME ou HOMME.' },
        { ligne: 9, colonne: 'domicilie', raison: 'Valeur « peut-être » non reconnue : attendu oui ou non (ou vide si non renseigné).' },
      ],
      parcours: [
        { ligne: 2, numeroDossierOfii: 'OFII-2025-0101', parcoursId: a, statut: 'IMPORTEE' },
        { ligne: 10, numeroDossierOfii: 'OFII-2025-0108', parcoursId: b, statut: 'IMPORTEE' },
      ],
    });
    // Nothing of a rejected line exists: two identities, two parcours, their convocations and history only.
    expect(await compter()).toEqual({ parcours: avant.parcours + 2, beneficiaires: avant.beneficiaires + 2, transitions: avant.transitions + 4, convocations: avant.convocations + 2 });
    const numeros = await hub.subgraphs.coordination.dataSource.query(`SELECT numero_dossier_ofii AS n FROM parcours WHERE numero_dossier_ofii LIKE 'OFII-2025-01%' ORDER BY 1`);
    expect(numeros).toEqual([{ n: 'OFII-2025-0101' }, { n: 'OFII-2025-0108' }]);

    // The rejected rows, corrected and sent again, import; the good ones say DEJA_IMPORTEE.
    const corrige = await importer(csv([ligne('OFII-2025-0101'), ligne('OFII-2025-0102')]), 'ofii44');
    expect(corrige).toEqual({
      lignes: 2, importees: 1, dejaImportees: 1, rejetees: 0, erreurs: [],
      parcours: [
        { ligne: 2, numeroDossierOfii: 'OFII-2025-0101', parcoursId: a, statut: 'DEJA_IMPORTEE' },
        { ligne: 3, numeroDossierOfii: 'OFII-2025-0102', parcoursId: corrige.parcours[1]!.parcoursId, statut: 'IMPORTEE' },
      ],
    });
  });

  it('refuses a batch whose header is malformed, whole, importing nothing', async () => {
    const entete = [...ENTETE.filter((c) => c !== 'email'), 'courriel', 'nom'];
    const avant = await compter();
    const r = await hub.query(IMPORTER, { csv: csv([ligne('OFII-2025-0201')], entete) }, as('ofii'));
    expect(r.data ?? null).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]!.message).toBe(
      `L'en-tête du fichier est invalide (colonnes manquantes : email ; colonnes inconnues : courriel ; colonnes en double : nom) : rien n'a été importé. Colonnes attendues : ${ENTETE.join(', ')}.`,
    );
    expect(r.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv', colonnesManquantes: ['email'], colonnesInconnues: ['courriel'], colonnesEnDouble: ['nom'] });
    const vide = await hub.query(IMPORTER, { csv: '' }, as('ofii'));
    expect(vide.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv' });
    expect(await compter()).toEqual(avant);
  });

  it('refuses a batch over the size limit, whole', async () => {
    const avant = await compter();
    const lignes = Array.from({ length: 2001 }, (_, i) => `X${i},,,,,,,,,,,,,,,,,,,,,`);
    const r = await hub.query(IMPORTER, { csv: [ENTETE.join(','), ...lignes].join('\n') }, as('ofii'));
    expect(r.data ?? null).toBeNull();
    expect(r.errors![0]!.message).toBe("Le lot compte 2001 lignes, au plus 2000 par envoi : découpez le fichier. Rien n'a été importé.");
    expect(r.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv', limite: 2000, lignes: 2001 });
    expect(await compter()).toEqual(avant);
  });

  it('is reserved to the OFII role', async () => {
    for (const who of ['coordination44', 'prescripteur44']) {
      const r = await hub.query(IMPORTER, { csv: csv([ligne('OFII-2025-0301')]) }, as(who));
      expect(r.data ?? null).toBeNull();
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const [{ n }] = await hub.subgraphs.coordination.dataSource.query(`SELECT count(*)::int AS n FROM parcours WHERE numero_dossier_ofii = 'OFII-2025-0301'`);
    expect(n).toBe(0);
  });
});

describe('orienterParOfii with numeroDossierOfii', () => {
  const input = (numeroDossierOfii: string) => ({
    numeroDossierOfii,
    dateSignatureCir: '2025-01-06',
    beneficiaire: { ...PERSONNE, dateNaissance: naissance(numeroDossierOfii || 'sans numéro') },
    situation: SITUATION,
    convocation: { siteId: REF.site44, date: '2025-01-20', heure: '09:30', contenu: CONTENU },
  });

  it('creates one parcours for two calls with the same number, and the batch then says DEJA_IMPORTEE', async () => {
    const avant = await compter();
    const premier = ok(await hub.query<{ orienterParOfii: { id: string } }>(ORIENTER, { input: input('OFII-2025-0401') }, as('ofii'))).orienterParOfii;
    expect(premier).toEqual({ id: premier.id, statut: 'CONVOQUE', numeroDossierOfii: 'OFII-2025-0401', canalOrientation: 'OFII' });
    const apres = await compter();
    expect(apres).toEqual({ parcours: avant.parcours + 1, beneficiaires: avant.beneficiaires + 1, transitions: avant.transitions + 2, convocations: avant.convocations + 1 });

    // Sent again (even with another appointment): the same parcours, unchanged, nothing written.
    const second = await hub.query(ORIENTER, { input: { ...input('OFII-2025-0401'), convocation: { ...input('x').convocation, heure: '11:00' } } }, as('ofii'));
    expect(second).toEqual({ data: { orienterParOfii: premier } });
    expect(await compter()).toEqual(apres);

    expect(await importer(csv([ligne('OFII-2025-0401')]))).toEqual({
      lignes: 1, importees: 0, dejaImportees: 1, rejetees: 0, erreurs: [],
      parcours: [{ ligne: 2, numeroDossierOfii: 'OFII-2025-0401', parcoursId: premier.id, statut: 'DEJA_IMPORTEE' }],
    });
    expect(await compter()).toEqual(apres);
  });

  it('creates one parcours when two calls with the same number race', async () => {
    const avant = await compter();
    const [a, b] = await Promise.all([0, 1].map(() => hub.query<{ orienterParOfii: { id: string } }>(ORIENTER, { input: input('OFII-2025-0403') }, as('ofii'))));
    expect(ok(a!).orienterParOfii.id).toBe(ok(b!).orienterParOfii.id);
    expect(await compter()).toEqual({ parcours: avant.parcours + 1, beneficiaires: avant.beneficiaires + 1, transitions: avant.transitions + 2, convocations: avant.convocations + 1 });
  });

  it('refuses a malformed number, naming the field, and still accepts an orientation without one', async () => {
    const r = await hub.query(ORIENTER, { input: input('OFII 2025 0402') }, as('ofii'));
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.numeroDossierOfii' });
    const { numeroDossierOfii: _, ...sans } = input('');
    const sansNumero = ok(await hub.query<{ orienterParOfii: { numeroDossierOfii: string | null } }>(ORIENTER, { input: sans }, as('ofii'))).orienterParOfii;
    expect(sansNumero.numeroDossierOfii).toBeNull();
  });
});
