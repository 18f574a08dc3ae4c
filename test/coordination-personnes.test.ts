import { REF, SITUATION, USERS, seedFaitsDomaines, seedReference } from './support/coordination-fixtures';
import { anonymiserParcoursTermines } from '../subgraphs/coordination/src/retention';
import { startTestHub, type GraphQLResult, type TestHub } from './support/hub';

/**
 * Finding a person and knowing them once, through the gateway: the search is accent-, case- and
 * spelling-tolerant and stays within the caller's scope, every search is audited; an entry that
 * resembles a known person needs an answer, one whose earlier parcours ended in an abandon is
 * refused with that parcours named (the prefect's instruction excepted); two records of one person
 * merge with every fact of both kept and the journal saying so.
 */

let hub: TestHub;
const REFERENT_DL = { sub: 'ref-dl-44', name: 'Diane Clerc', structure: REF.aurore, roles: ['REFERENT_DROITS_LOGEMENT'], departements: ['44'], referent: REF.referentDL } as const;
const ANALYSTE = { sub: 'analyste-44', name: 'Analyste', structure: REF.sos, roles: ['ANALYSTE'], departements: ['44'] } as const;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  hub = await startTestHub({ seed: seedReference });
  for (const [k, claims] of Object.entries({ ...USERS, referentDL: REFERENT_DL, analyste: ANALYSTE })) tokens[k] = await hub.token(claims as never);
});
afterAll(async () => {
  await hub?.stop();
});

const as = (who: string) => ({ token: tokens[who]! });
const ok = <T>(r: GraphQLResult<T>): T => {
  expect(r.errors).toBeUndefined();
  return r.data as T;
};
const erreur = (r: GraphQLResult<unknown>) => ({ code: r.errors?.[0]?.extensions?.code, field: r.errors?.[0]?.extensions?.field });

const ORIENTER = `mutation($input: OrientationOfiiInput!) { orienterParOfii(input: $input) { id beneficiaire { id } historique { action motif } } }`;
const PREFET = `mutation($input: EntreePrefetInput!) { enregistrerEntreeSurInstructionPrefet(input: $input) { id canalOrientation beneficiaire { id } } }`;
const ABANDONNER = `mutation($id: ID!, $f: FinParcoursInput!) { abandonner(parcoursId: $id, fin: $f) { statut } }`;
const RECHERCHER = `query($t: String, $n: Date, $o: String, $d: String, $f: Int) {
  rechercherBeneficiaires(texte: $t, dateNaissance: $n, numeroDossierOfii: $o, departement: $d, first: $f) {
    score correspondances beneficiaire { id nom prenom dateNaissance } parcours { id departement statut } } }`;

interface Trouvee {
  score: number;
  correspondances: string[];
  beneficiaire: { id: string; nom: string; prenom: string; dateNaissance: string };
  parcours: { id: string; departement: string; statut: string }[];
}

const personne = (nom: string, prenom: string, dateNaissance: string, sexe = 'HOMME') => ({ nom, prenom, dateNaissance, sexe, paysNaissance: 'AF', protection: 'REFUGIE', dateObtentionProtection: '2024-10-01' });
const orientation = (numero: string, beneficiaire: ReturnType<typeof personne>, site = REF.site44, doublon?: Record<string, unknown>) => ({
  numeroDossierOfii: numero,
  dateSignatureCir: '2025-01-06',
  beneficiaire,
  situation: SITUATION,
  convocation: { siteId: site, date: '2025-01-20', heure: '09:30', contenu: 'Entretien diagnostic AGIR' },
  ...(doublon ? { doublon } : {}),
});
const orienter = async (numero: string, b: ReturnType<typeof personne>, site = REF.site44, doublon?: Record<string, unknown>) =>
  ok(await hub.query<{ orienterParOfii: { id: string; beneficiaire: { id: string }; historique: { action: string; motif: string | null }[] } }>(ORIENTER, { input: orientation(numero, b, site, doublon) }, as('ofii'))).orienterParOfii;
const rechercher = async (variables: Record<string, unknown>, who = 'coordination44') => ok(await hub.query<{ rechercherBeneficiaires: Trouvee[] }>(RECHERCHER, variables, as(who))).rechercherBeneficiaires;
const compter = async () => {
  const [r] = await hub.subgraphs.coordination.dataSource.query(
    `SELECT (SELECT count(*)::int FROM parcours) AS parcours, (SELECT count(*)::int FROM beneficiaire) AS beneficiaires,
            (SELECT count(*)::int FROM transition_parcours) AS transitions, (SELECT count(*)::int FROM fusion_beneficiaire) AS fusions`,
  );
  return r as Record<string, number>;
};

describe('rechercherBeneficiaires', () => {
  let karimi: { id: string; beneficiaire: { id: string } };
  let nazari: { id: string; beneficiaire: { id: string } };
  beforeAll(async () => {
    karimi = await orienter('OFII-S-0001', personne('KARIMI', 'Ahmad', '1990-05-17'));
    nazari = await orienter('OFII-S-0002', personne('Nazari', 'Muhammad', '1988-11-02'));
    await orienter('OFII-S-0003', personne('Rahimi', 'Ahmad', '1992-01-30'), REF.site85);
    await orienter('OFII-S-0004', personne('Ndiaye', 'Aïssatou', '1996-07-08', 'FEMME'));
  });

  it('finds one person as "Ahmad", "Ahmed", "AHMAD" and "ahmàd karimy", best match first, in the caller’s départements only', async () => {
    for (const texte of ['Ahmad', 'Ahmed', 'AHMAD', 'ahmàd karimy']) {
      const trouves = await rechercher({ t: texte });
      expect(trouves.map((t) => t.beneficiaire.id)).toEqual([karimi.beneficiaire.id]);
      expect(trouves[0]).toMatchObject({ correspondances: ['NOM'], beneficiaire: { nom: 'KARIMI', prenom: 'Ahmad' }, parcours: [{ id: karimi.id, departement: '44', statut: 'CONVOQUE' }] });
      expect(trouves[0]!.score).toBeGreaterThan(0.3);
    }
    // The Ahmad of the 85 is the 85's coordination's to find.
    expect((await rechercher({ t: 'Ahmed' }, 'coordination85')).map((t) => t.beneficiaire.nom)).toEqual(['Rahimi']);
  });

  it('tolerates transliterations and accents: "Mohamed Nasari" finds Muhammad Nazari, "aissatou n’diaye" finds Aïssatou Ndiaye', async () => {
    expect((await rechercher({ t: 'Mohamed Nasari' })).map((t) => t.beneficiaire.id)).toEqual([nazari.beneficiaire.id]);
    expect((await rechercher({ t: 'aissatou n’diaye' })).map((t) => t.beneficiaire.nom)).toEqual(['Ndiaye']);
    expect(await rechercher({ t: 'Tesfaye' })).toEqual([]);
  });

  it('finds by birth date and by OFII file number, every criterion given having to match', async () => {
    expect((await rechercher({ n: '1990-05-17' })).map((t) => [t.beneficiaire.id, t.correspondances, t.score])).toEqual([[karimi.beneficiaire.id, ['DATE_NAISSANCE'], 1]]);
    expect((await rechercher({ o: 'ofii-s-0002' })).map((t) => [t.beneficiaire.id, t.correspondances])).toEqual([[nazari.beneficiaire.id, ['NUMERO_DOSSIER_OFII']]]);
    expect((await rechercher({ t: 'Ahmed', n: '1990-05-17', d: '44' }))[0]).toMatchObject({ correspondances: ['NOM', 'DATE_NAISSANCE'], beneficiaire: { id: karimi.beneficiaire.id } });
    expect(await rechercher({ t: 'Ahmed', n: '1990-05-18' })).toEqual([]);
    // The OFII number of another département's parcours finds nothing for the 44.
    expect(await rechercher({ o: 'OFII-S-0003' })).toEqual([]);
  });

  it('refuses a search outside the caller’s départements, without criteria, or by a role that does not follow people, naming what to fix', async () => {
    const hors = await hub.query(RECHERCHER, { t: 'Ahmad', d: '85' }, as('coordination44'));
    expect(erreur(hors)).toEqual({ code: 'FORBIDDEN', field: undefined });
    expect(hors.data?.rechercherBeneficiaires ?? null).toBeNull();
    expect(erreur(await hub.query(RECHERCHER, {}, as('coordination44')))).toEqual({ code: 'BAD_USER_INPUT', field: 'texte' });
    expect(erreur(await hub.query(RECHERCHER, { t: ' a ' }, as('coordination44')))).toEqual({ code: 'BAD_USER_INPUT', field: 'texte' });
    expect(erreur(await hub.query(RECHERCHER, { t: 'Ahmad', f: 51 }, as('coordination44')))).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(erreur(await hub.query(RECHERCHER, { t: 'Ahmad', d: '4' }, as('coordination44')))).toEqual({ code: 'BAD_USER_INPUT', field: 'departement' });
    expect(erreur(await hub.query(RECHERCHER, { t: 'Ahmad' }, as('analyste')))).toEqual({ code: 'FORBIDDEN', field: undefined });
    // A referent finds only the parcours of its own binôme: none yet.
    expect(await rechercher({ t: 'Ahmad' }, 'referentDL')).toEqual([]);
  });

  it('writes each search to the audit trail, with its criteria and each parcours it listed', async () => {
    await rechercher({ t: 'Ahmed', d: '44' });
    const rows = (await hub.subgraphs.coordination.dataSource.query(
      `SELECT parcours_id, subject, fields, via FROM audit_log WHERE user_id = 'coord-44' AND operation = 'SEARCH' AND action = 'recherche' AND at > now() - interval '1 minute' ORDER BY id DESC LIMIT 2`,
    )) as { parcours_id: string | null; subject: string | null; fields: string[]; via: string }[];
    expect(rows).toEqual(
      expect.arrayContaining([
        { parcours_id: null, subject: 'recherche:{"texte":"Ahmed","departement":"44"}', fields: ['Query.rechercherBeneficiaires'], via: 'COORDINATION' },
        { parcours_id: karimi.id, subject: null, fields: ['Query.rechercherBeneficiaires'], via: 'COORDINATION' },
      ]),
    );
  });
});

describe('an entry resembling a known person', () => {
  it('is refused as a likely duplicate naming the record, writes nothing, and enters once answered "a different person"', async () => {
    const premier = await orienter('OFII-D-0001', personne('Sharifi', 'Zahra', '1991-04-09', 'FEMME'));
    const avant = await compter();
    const r = await hub.query(ORIENTER, { input: orientation('OFII-D-0002', personne('Charifi', 'Zahra', '1991-04-09', 'FEMME')) }, as('ofii'));
    expect(erreur(r)).toEqual({ code: 'DOUBLON_PROBABLE', field: 'input.doublon' });
    expect(r.errors![0]!.extensions!.doublons).toEqual([{ beneficiaireId: premier.beneficiaire.id, score: expect.any(Number), parcours: [{ id: premier.id, departement: '44', statut: 'CONVOQUE', dateOrientation: '2025-01-06' }] }]);
    expect(r.errors![0]!.message).toContain(premier.beneficiaire.id);
    expect(await compter()).toEqual(avant);

    const refus = await hub.query(ORIENTER, { input: orientation('OFII-D-0002', personne('Charifi', 'Zahra', '1991-04-09', 'FEMME'), REF.site44, { memePersonneQue: premier.beneficiaire.id, personneDistincte: true }) }, as('ofii'));
    expect(erreur(refus)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.doublon' });
    // The same person while her first parcours runs: refused, naming it.
    const enCours = await hub.query(ORIENTER, { input: orientation('OFII-D-0002', personne('Charifi', 'Zahra', '1991-04-09', 'FEMME'), REF.site44, { memePersonneQue: premier.beneficiaire.id }) }, as('ofii'));
    expect(erreur(enCours)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.doublon.memePersonneQue' });
    expect(enCours.errors![0]!.message).toContain(premier.id);
    expect(await compter()).toEqual(avant);

    const autre = await orienter('OFII-D-0002', personne('Charifi', 'Zahra', '1991-04-09', 'FEMME'), REF.site44, { personneDistincte: true });
    expect(autre.beneficiaire.id).not.toBe(premier.beneficiaire.id);
    expect(autre.historique[0]).toEqual({ action: 'ORIENTER', motif: `personne distincte des dossiers ${premier.beneficiaire.id} (doublons probables écartés)` });
  });

  it('is refused after an abandon, naming the earlier parcours, even as "the same person"; the batch rejects the row; the prefect’s instruction enters and joins the record', async () => {
    const premier = await orienter('OFII-A-0001', personne('Soltani', 'Fatima', '1987-09-21', 'FEMME'));
    ok(await hub.query(ABANDONNER, { id: premier.id, f: { date: '2025-01-15', motif: 'Ne souhaite plus être accompagnée' } }, as('coordination44')));
    const avant = await compter();
    for (const doublon of [undefined, { memePersonneQue: premier.beneficiaire.id }]) {
      const r = await hub.query(ORIENTER, { input: orientation('OFII-A-0002', personne('Sultani', 'Fatema', '1987-09-21', 'FEMME'), REF.site44, doublon) }, as('ofii'));
      expect(erreur(r)).toEqual({ code: 'PARCOURS_ANTERIEUR_DEFINITIF', field: 'input.doublon' });
      expect(r.errors![0]!.extensions!.parcoursAnterieur).toEqual({ id: premier.id, departement: '44', statut: 'ABANDON', dateOrientation: '2025-01-06', dateFin: '2025-01-15' });
      expect(r.errors![0]!.message).toContain(`parcours ${premier.id}`);
      expect(r.errors![0]!.message).toContain('abandon');
    }
    const lot = ok(await hub.query<{ importerOrientationsOfii: { importees: number; erreurs: { raison: string }[] } }>(
      `mutation($csv: String!) { importerOrientationsOfii(csv: $csv) { importees erreurs { raison } } }`,
      {
        csv: [
          'numero_dossier_ofii,nom,prenom,date_naissance,sexe,pays_naissance,protection,date_obtention_protection,date_signature_cir,commune_residence_insee,commune_residence_nom,telephone,email,site_id,date_convocation,heure_convocation,contenu_convocation,domicilie,reside,logement_durable,emploi_durable,volontaire',
          `OFII-A-0003,SOLTANI,Fatima,1987-09-21,FEMME,AF,REFUGIE,2024-10-01,2025-01-06,,,,,${REF.site44},2025-01-20,09:30,RDV,oui,oui,non,non,oui`,
        ].join('\n'),
      },
      as('ofii'),
    )).importerOrientationsOfii;
    expect(lot.importees).toBe(0);
    expect(lot.erreurs[0]!.raison).toContain(`parcours ${premier.id}`);
    expect(await compter()).toEqual(avant);

    // On the State representative's instruction she re-enters, on her known record.
    const entree = ok(await hub.query<{ enregistrerEntreeSurInstructionPrefet: { id: string; canalOrientation: string; beneficiaire: { id: string } } }>(PREFET, {
      input: { siteId: REF.site44, date: '2025-02-03', referenceInstruction: 'PREF-44-2025-007', accordOfii: true, dateSignatureCir: '2025-01-06', beneficiaire: personne('Sultani', 'Fatema', '1987-09-21', 'FEMME'), situation: SITUATION, doublon: { memePersonneQue: premier.beneficiaire.id } },
    }, as('coordination44'))).enregistrerEntreeSurInstructionPrefet;
    expect(entree).toMatchObject({ canalOrientation: 'PREFET', beneficiaire: { id: premier.beneficiaire.id } });
    const [trouvee] = await rechercher({ t: 'Fatima Soltani' });
    expect(trouvee!.parcours.map((p) => [p.id, p.statut])).toEqual([[entree.id, 'ORIENTE'], [premier.id, 'ABANDON']]);
  });
});

describe('fusionnerBeneficiaires', () => {
  const FUSIONNER = `mutation($c: ID!, $a: ID!, $m: String!) { fusionnerBeneficiaires(conserveId: $c, absorbeId: $a, motif: $m) {
    id nom prenom telephone parcours { id } fusions { absorbeId identiteAbsorbee { nom prenom dateNaissance telephone } champsCompletes parcoursRattaches motif auteur } } }`;
  const VUE = `query($id: ID!) { parcours(id: $id) { id beneficiaire { id nom } situationLogement { categorie } journalCoordination { action auteur champs { champ avant apres } } } }`;
  const DOUBLONS = `query($id: ID!) { parcours(id: $id) { beneficiaire { doublonsProbables { score correspondances beneficiaire { id } parcours { id } } } } }`;
  const MOTIF = 'Même personne : même titre de séjour, date de naissance inversée';

  it('shows the likely duplicate, then keeps every fact of both records, journals the merge, and refuses what does not hold', async () => {
    const a = await orienter('OFII-F-0001', { ...personne('Ali', 'Hassan', '1985-02-03'), telephone: undefined } as never);
    const b = await orienter('OFII-F-0002', { ...personne('Aly', 'Hasan', '1985-03-02'), telephone: '+33612345678' } as never, REF.site44, { personneDistincte: true });
    const dbs = Object.fromEntries(Object.entries(hub.subgraphs).map(([nom, s]) => [nom, s.dataSource])) as never;
    await seedFaitsDomaines(dbs, a.id, { logement: { type: 'CADA', categorie: 'DNA', debut: '2025-01-20' } });
    await seedFaitsDomaines(dbs, b.id, { logement: { type: 'RESIDENCE_SOCIALE', categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE', debut: '2025-01-21' } });
    for (const id of [a.id, b.id]) {
      ok(await hub.query(`mutation($id: ID!) { enregistrerConsentement(parcoursId: $id, domaine: DROITS_LOGEMENT, donneLe: "2025-01-20") { domaine } }`, { id }, as('coordination44')));
    }
    const doublons = ok(await hub.query<{ parcours: { beneficiaire: { doublonsProbables: unknown[] } } }>(DOUBLONS, { id: a.id }, as('coordination44'))).parcours.beneficiaire.doublonsProbables;
    expect(doublons).toEqual([{ score: 0.72, correspondances: ['NOM'], beneficiaire: { id: b.beneficiaire.id }, parcours: [{ id: b.id }] }]);
    // Comparing records is the coordination's: others get null and a FORBIDDEN naming the field.
    const parOfii = await hub.query(DOUBLONS, { id: a.id }, as('ofii'));
    expect(parOfii.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([['FORBIDDEN', 'parcours.beneficiaire.doublonsProbables']]);

    const avant = await compter();
    const refus = [
      [{ c: a.beneficiaire.id, a: a.beneficiaire.id, m: MOTIF }, 'coordination44', 'absorbeId'],
      [{ c: a.beneficiaire.id, a: b.beneficiaire.id, m: 'Même' }, 'coordination44', 'motif'],
      [{ c: a.beneficiaire.id, a: b.beneficiaire.id, m: MOTIF }, 'coordination85', 'conserveId'],
    ] as const;
    for (const [variables, who, field] of refus) {
      expect(erreur(await hub.query(FUSIONNER, variables, as(who)))).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    expect(erreur(await hub.query(FUSIONNER, { c: a.beneficiaire.id, a: b.beneficiaire.id, m: MOTIF }, as('ofii')))).toEqual({ code: 'FORBIDDEN', field: undefined });
    expect(await compter()).toEqual(avant);

    const fusion = ok(await hub.query<{ fusionnerBeneficiaires: Record<string, unknown> }>(FUSIONNER, { c: a.beneficiaire.id, a: b.beneficiaire.id, m: MOTIF }, as('coordination44'))).fusionnerBeneficiaires;
    expect(fusion).toEqual({
      id: a.beneficiaire.id,
      nom: 'Ali',
      prenom: 'Hassan',
      // The kept record's empty telephone is completed from the absorbed one.
      telephone: '+33612345678',
      parcours: expect.arrayContaining([{ id: a.id }, { id: b.id }]),
      fusions: [{ absorbeId: b.beneficiaire.id, identiteAbsorbee: { nom: 'Aly', prenom: 'Hasan', dateNaissance: '1985-03-02', telephone: '+33612345678' }, champsCompletes: ['telephone'], parcoursRattaches: [b.id], motif: MOTIF, auteur: 'coord-44' }],
    });
    expect(await compter()).toEqual({ ...avant, fusions: avant.fusions! + 1 });

    // Each parcours keeps its domain facts, now under the kept record; the moved one's journal says so.
    const vueA = ok(await hub.query<{ parcours: Record<string, unknown> }>(VUE, { id: a.id }, as('coordination44'))).parcours;
    const vueB = ok(await hub.query<{ parcours: { journalCoordination: { action: string; auteur: string; champs: unknown[] }[] } & Record<string, unknown> }>(VUE, { id: b.id }, as('coordination44'))).parcours;
    expect(vueA).toMatchObject({ beneficiaire: { id: a.beneficiaire.id, nom: 'Ali' }, situationLogement: { categorie: 'DNA' } });
    expect(vueB).toMatchObject({ beneficiaire: { id: a.beneficiaire.id, nom: 'Ali' }, situationLogement: { categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE' } });
    expect(vueB.journalCoordination).toContainEqual({
      action: 'fusionnerBeneficiaires',
      auteur: 'coord-44',
      champs: [{ champ: 'beneficiaire', avant: JSON.stringify(b.beneficiaire.id), apres: JSON.stringify(a.beneficiaire.id) }, { champ: 'motif', avant: null, apres: JSON.stringify(MOTIF) }],
    });
    // The absorbed record is found no more; its name finds the kept one, with both parcours.
    const trouves = await rechercher({ t: 'Hasan Aly' });
    expect(trouves.map((t) => [t.beneficiaire.id, t.parcours.length])).toEqual([[a.beneficiaire.id, 2]]);
    // Merged once: merging it again is refused, naming the record it went into.
    const encore = await hub.query(FUSIONNER, { c: a.beneficiaire.id, a: b.beneficiaire.id, m: MOTIF }, as('coordination44'));
    expect(erreur(encore)).toEqual({ code: 'BAD_USER_INPUT', field: 'absorbeId' });
    expect(encore.errors![0]!.message).toContain(a.beneficiaire.id);

    // Two years after both parcours end, the retention job removes the identity of both records, the merge journal's copy included.
    for (const id of [a.id, b.id]) ok(await hub.query(ABANDONNER, { id, f: { date: '2025-01-31' } }, as('coordination44')));
    const db = hub.subgraphs.coordination.dataSource;
    const { parcours } = await anonymiserParcoursTermines(db, { aujourdhui: '2027-03-01' });
    expect(parcours).toEqual(expect.arrayContaining([a.id, b.id]));
    const fiches = (await db.query('SELECT nom, prenom, telephone, date_naissance::text AS naissance FROM beneficiaire WHERE id = ANY($1) ORDER BY id', [[a.beneficiaire.id, b.beneficiaire.id]])) as unknown[];
    expect(fiches).toEqual([{ nom: 'ANONYMISÉ', prenom: 'ANONYMISÉ', telephone: null, naissance: '1985-01-01' }, { nom: 'ANONYMISÉ', prenom: 'ANONYMISÉ', telephone: null, naissance: '1985-01-01' }]);
    const [journal] = (await db.query('SELECT identite_absorbee, motif FROM fusion_beneficiaire WHERE absorbe_id = $1', [b.beneficiaire.id])) as { identite_absorbee: Record<string, unknown>; motif: string }[];
    expect(JSON.stringify(journal)).not.toMatch(/Aly|Hasan|33612345678|1985-03-02/);
  });
});

describe('referents, the directory for a commission', () => {
  const REFERENTS = `query($s: ID, $d: DomaineAccompagnement, $dep: String) { referents(structureId: $s, domaine: $d, departement: $dep) { nom prenom domaine structure { nom } parcoursEnCours } }`;
  const lister = async (variables: Record<string, unknown>, who = 'coordination44') => ok(await hub.query<{ referents: { nom: string; parcoursEnCours: number }[] }>(REFERENTS, variables, as(who))).referents;

  it('lists the referents of a département, a domain or a structure, by name, with the parcours each follows in the caller’s départements', async () => {
    const suivi = await orienter('OFII-R-0001', personne('Haidari', 'Omid', '1993-06-14'));
    const vendee = await orienter('OFII-R-0002', personne('Mansouri', 'Reza', '1979-12-01'), REF.site85);
    const clos = await orienter('OFII-R-0003', personne('Jafari', 'Nasrin', '1990-02-25', 'FEMME'));
    ok(await hub.query(ABANDONNER, { id: clos.id, f: { date: '2025-01-15' } }, as('coordination44')));
    await hub.subgraphs.coordination.dataSource.query('UPDATE parcours SET referent_droits_logement_id = $1 WHERE id = ANY($2)', [REF.referentDL, [suivi.id, vendee.id, clos.id]]);

    expect(await lister({ dep: '44' })).toEqual([
      { nom: 'Clerc', prenom: 'Diane', domaine: 'DROITS_LOGEMENT', structure: { nom: 'Aurore' }, parcoursEnCours: 1 },
      { nom: 'Demarly', prenom: 'Sabine', domaine: 'DROITS_LOGEMENT', structure: { nom: 'Groupe SOS Solidarités' }, parcoursEnCours: 0 },
      { nom: 'Williot', prenom: 'Ethel', domaine: 'EMPLOI_FORMATION', structure: { nom: "CFP Presqu'île" }, parcoursEnCours: 0 },
    ]);
    expect((await lister({ d: 'EMPLOI_FORMATION' })).map((r) => r.nom)).toEqual(['Williot']);
    expect((await lister({ s: REF.aurore })).map((r) => r.nom)).toEqual(['Clerc']);
    // The 85's coordination counts the 85's parcours only.
    expect((await lister({ s: REF.aurore }, 'coordination85')).map((r) => r.parcoursEnCours)).toEqual([1]);
  });

  it('refuses another département, an unknown structure and a role that holds no commission', async () => {
    expect(erreur(await hub.query(REFERENTS, { dep: '85' }, as('coordination44')))).toEqual({ code: 'FORBIDDEN', field: undefined });
    expect(erreur(await hub.query(REFERENTS, { s: '7b0c6f9e-1d2a-4e3b-8c4d-5e6f7a8b9c0d' }, as('coordination44')))).toEqual({ code: 'BAD_USER_INPUT', field: 'structureId' });
    expect(erreur(await hub.query(REFERENTS, {}, as('ofii')))).toEqual({ code: 'FORBIDDEN', field: undefined });
  });
});

describe('parcoursListe as a caseload', () => {
  const LISTE = `query($f: ParcoursFiltre) { parcoursListe(first: 100, filtre: $f) { totalCount edges { node { id } } } }`;
  const ids = async (f: Record<string, unknown>, who = 'coordination44') => {
    const l = ok(await hub.query<{ parcoursListe: { totalCount: number; edges: { node: { id: string } }[] } }>(LISTE, { f }, as(who))).parcoursListe;
    expect(l.totalCount).toBe(l.edges.length);
    return l.edges.map((e) => e.node.id);
  };

  it('filters by referent, by "mine", by incomplete binôme and by name, within the caller’s scope', async () => {
    tokens.referentEF = await hub.token({ sub: 'ref-ef-44', name: 'Ethel Williot', structure: REF.cfp, roles: ['REFERENT_EMPLOI_FORMATION'], departements: ['44'], referent: REF.referentEF } as never);
    const suivie = await orienter('OFII-L-0001', personne('Bakhtiari', 'Leyla', '1994-08-19', 'FEMME'));
    const incomplete = await orienter('OFII-L-0002', personne('Tahiri', 'Karim', '1982-04-04'));
    const db = hub.subgraphs.coordination.dataSource;
    await db.query('UPDATE parcours SET referent_emploi_formation_id = $1 WHERE id = $2', [REF.referentEF, suivie.id]);
    await db.query("UPDATE parcours SET statut = 'COMMISSION_REALISEE', referent_droits_logement_id = $1 WHERE id = $2", [REF.referentDL, incomplete.id]);

    expect(await ids({ referentId: REF.referentEF })).toEqual([suivie.id]);
    expect(await ids({ mesParcours: true }, 'referentEF')).toEqual([suivie.id]);
    expect(await ids({ binomeIncomplet: true })).toEqual([incomplete.id]);
    expect(await ids({ texte: 'Bakhtyari' })).toEqual([suivie.id]);
    expect(await ids({ texte: 'Karim Tahiri', referentId: REF.referentDL })).toEqual([incomplete.id]);
    // A referent's list keeps to its own binôme whatever the filter asks.
    expect(await ids({ referentId: REF.referentDL }, 'referentEF')).toEqual([]);
    expect(await ids({ texte: 'Tahiri' }, 'referentEF')).toEqual([]);
  });

  it('filters by a deadline before a day and by alert, sorts by the next deadline, and pages the sorted list', async () => {
    const TRIEE = `query($f: ParcoursFiltre, $t: TriParcours, $first: Int, $after: String) { parcoursListe(first: $first, after: $after, filtre: $f, tri: $t) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`;
    const lire = async (variables: Record<string, unknown>) => {
      const l = ok(await hub.query<{ parcoursListe: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string } }[] } }>(TRIEE, variables, as('coordination44'))).parcoursListe;
      return { total: l.totalCount, suite: l.pageInfo.hasNextPage, curseur: l.pageInfo.endCursor, ids: l.edges.map((e) => e.node.id) };
    };
    const db = hub.subgraphs.coordination.dataSource;
    // Three parcours of one referent (the 85's D&L referent, nobody else's here), convoked on
    // successive CIRs: their diagnostics fall due a month after each.
    const janvier = await orienter('OFII-L-0005', personne('Sultan', 'Homa', '1991-11-11', 'FEMME'));
    const mars = await orienter('OFII-L-0003', personne('Qaderi', 'Sima', '1997-03-03', 'FEMME'));
    const fevrier = await orienter('OFII-L-0004', personne('Popal', 'Jawad', '1989-10-10'));
    for (const [id, cir] of [[janvier.id, '2025-01-06'], [mars.id, '2025-03-01'], [fevrier.id, '2025-02-01']] as const) {
      await db.query('UPDATE parcours SET referent_droits_logement_id = $1, date_signature_cir = $2, date_orientation = $2 WHERE id = $3', [REF.referentDL85, cir, id]);
    }
    const suivie = janvier.id;
    const duReferent = { referentId: REF.referentDL85 };
    expect(await lire({ f: duReferent, t: 'PROCHAINE_ECHEANCE' })).toMatchObject({ total: 3, ids: [suivie, fevrier.id, mars.id] });
    expect(await lire({ f: { ...duReferent, echeanceAvant: '2025-03-15' } })).toMatchObject({ total: 2, ids: [fevrier.id, suivie] });
    expect((await lire({ f: { ...duReferent, alerte: ['DIAGNOSTIC'] } })).ids.sort()).toEqual([suivie, fevrier.id, mars.id].sort());
    expect(await lire({ f: { ...duReferent, alerte: ['BINOME_NON_DESIGNE', 'FIN_ACCOMPAGNEMENT'] } })).toMatchObject({ total: 0, ids: [] });
    expect((await lire({ f: duReferent, t: 'DERNIERE_ACTIVITE' })).ids.sort()).toEqual([suivie, fevrier.id, mars.id].sort());

    const premiere = await lire({ f: duReferent, t: 'PROCHAINE_ECHEANCE', first: 2 });
    expect(premiere).toMatchObject({ total: 3, suite: true, ids: [suivie, fevrier.id] });
    expect(await lire({ f: duReferent, t: 'PROCHAINE_ECHEANCE', first: 2, after: premiere.curseur })).toMatchObject({ total: 3, suite: false, ids: [mars.id] });
    // The rules read each table once for the whole list: as many statements for three parcours as for one.
    const statements = async (f: Record<string, unknown>, t: string) => (await hub.countSql(() => lire({ f, t }))).statements.coordination;
    for (const t of ['PROCHAINE_ECHEANCE', 'DERNIERE_ACTIVITE']) {
      expect(await statements(duReferent, t)).toBe(await statements({ ...duReferent, texte: 'Qaderi' }, t));
    }
    // A cursor of the keyset list does not page a sorted one.
    const cle = (await lire({ f: duReferent, first: 1 })).curseur;
    expect(erreur(await hub.query(TRIEE, { f: duReferent, t: 'PROCHAINE_ECHEANCE', after: cle }, as('coordination44')))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(erreur(await hub.query(TRIEE, { f: { alerte: [] } }, as('coordination44')))).toEqual({ code: 'BAD_USER_INPUT', field: 'filtre.alerte' });
  });

  it('refuses "mine" without a referent in the token and a text too short, naming the field', async () => {
    expect(erreur(await hub.query(LISTE, { f: { mesParcours: true } }, as('coordination44')))).toEqual({ code: 'BAD_USER_INPUT', field: 'filtre.mesParcours' });
    expect(erreur(await hub.query(LISTE, { f: { texte: 'x' } }, as('coordination44')))).toEqual({ code: 'BAD_USER_INPUT', field: 'filtre.texte' });
    expect(erreur(await hub.query(LISTE, { f: { referentId: 'pas-un-uuid' } }, as('coordination44')))).toEqual({ code: 'BAD_USER_INPUT', field: 'filtre.referentId' });
  });
});

describe('what is hidden says so', () => {
  it('without the person’s consent, the domains’ lists answer null with a FORBIDDEN naming each field, never an empty list', async () => {
    const p = await orienter('OFII-H-0001', personne('Sadat', 'Parwin', '1995-05-05', 'FEMME'));
    const dbs = Object.fromEntries(Object.entries(hub.subgraphs).map(([nom, s]) => [nom, s.dataSource])) as never;
    await seedFaitsDomaines(dbs, p.id, { logement: { type: 'CADA', categorie: 'DNA', debut: '2025-01-20' } });
    const r = await hub.query<{ parcours: Record<string, unknown> }>(`query($id: ID!) { parcours(id: $id) { id freins { type } demarchesDroits { type } situationLogement { categorie } } }`, { id: p.id }, as('coordination44'));
    expect(r.data?.parcours).toEqual({ id: p.id, freins: null, demarchesDroits: null, situationLogement: null });
    const refus = (r.errors ?? []).map((e) => [e.path?.join('.'), e.extensions?.code, e.extensions?.field]).sort();
    expect(refus).toEqual([
      ['parcours.demarchesDroits', 'FORBIDDEN', 'Parcours.demarchesDroits'],
      ['parcours.freins', 'FORBIDDEN', 'Parcours.freins'],
      ['parcours.situationLogement', 'FORBIDDEN', 'Parcours.situationLogement'],
    ]);
    expect(r.errors!.every((e) => e.message.includes('consenti'))).toBe(true);
  });
});
