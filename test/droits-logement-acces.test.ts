import { addDays, today } from '@agir/common';
import { AUTRE_REFERENT_DL } from './support/droits-logement-fixture';
import { ACCES, CALLERS, entiteDL, refus, remplacerReferentDL, seedDroitsLogementAcces, type Caller } from './support/droits-logement-acces';
import { startTestHub, type GraphQLResult, type TestHub } from './support/hub';

/**
 * Issue #6 for Droits & Logement: who reads which field of the domain, through the real gateway.
 * Each refusal is a FORBIDDEN error naming the field, and the refused data is absent from the
 * answer; the domain enforces its rules itself (asked directly, as the gateway asks it, it refuses
 * the same callers); every read is audited, every write journaled.
 */
const jour = today();
const j = (n: number) => addDays(jour, n);
const COMMENTAIRE = "En attente de l'attestation de la CAF de Loire-Atlantique";
const MOTIF_REFUS = "Trop loin de l'école des enfants";

const M = {
  situation: 'mutation ($input: EnregistrerSituationLogementInput!) { enregistrerSituationLogement(input: $input) { id } }',
  creer: 'mutation ($input: CreerDemarcheDroitInput!) { creerDemarcheDroit(input: $input) { id } }',
  changer: 'mutation ($input: ChangerStatutDemarcheInput!) { changerStatutDemarche(input: $input) { id } }',
  proposer: 'mutation ($input: EnregistrerPropositionLogementInput!) { enregistrerPropositionLogement(input: $input) { id } }',
  repondre: 'mutation ($input: RepondrePropositionLogementInput!) { repondrePropositionLogement(input: $input) { id } }',
};

async function ecrire(hub: TestHub, token: string, mutation: string, input: Record<string, unknown>): Promise<string> {
  const result = await hub.query<Record<string, { id: string }>>(mutation, { input }, { token });
  expect(result.errors).toBeUndefined();
  return Object.values(result.data ?? {})[0]!.id;
}

/**
 * The domain's data of a parcours, written by its D&L referent: a CADA since 100 days, a CAF
 * procedure blocked with a free-text comment, a residence-permit procedure (a sensitive row), an
 * offer refused with its motif.
 */
async function dossierComplet(hub: TestHub, token: string, parcoursId: string): Promise<void> {
  await ecrire(hub, token, M.situation, { parcoursId, type: 'CADA', communeInsee: '44109', dateDebut: j(-100) });
  const titre = await ecrire(hub, token, M.creer, { parcoursId, type: 'TITRE_SEJOUR', organisme: 'Préfecture de Loire-Atlantique', date: j(-60) });
  await ecrire(hub, token, M.changer, { demarcheId: titre, statut: 'EN_COURS', date: j(-55) });
  const caf = await ecrire(hub, token, M.creer, { parcoursId, type: 'CAF_PRESTATIONS_FAMILIALES', organisme: 'CAF de Loire-Atlantique', date: j(-60) });
  await ecrire(hub, token, M.changer, { demarcheId: caf, statut: 'EN_COURS', date: j(-50) });
  await ecrire(hub, token, M.changer, { demarcheId: caf, statut: 'BLOQUE', date: j(-40), blocage: { motif: 'AUTRE', commentaire: COMMENTAIRE } });
  const proposition = await ecrire(hub, token, M.proposer, { parcoursId, date: j(-30), bailleur: 'Habitat 44', typologie: 'T2', communeInsee: '44162' });
  await ecrire(hub, token, M.repondre, { propositionId: proposition, reponse: 'REFUSEE', date: j(-25), motifRefus: MOTIF_REFUS });
}

/** The kinds of field of the matrix: the selection, and what the D&L referent reads. */
const CHAMPS = {
  ordinaire: { selection: 'situationLogement { categorie type }', champ: 'Parcours.situationLogement', valeur: { situationLogement: { categorie: 'DNA', type: 'CADA' } } },
  demarches: {
    selection: 'demarchesDroits { type blocage { motif commentaire } }',
    champ: 'Parcours.demarchesDroits',
    valeur: {
      demarchesDroits: [
        { type: 'TITRE_SEJOUR', blocage: null },
        { type: 'CAF_PRESTATIONS_FAMILIALES', blocage: { motif: 'AUTRE', commentaire: COMMENTAIRE } },
      ],
    },
  },
  motifRefus: { selection: 'propositionsLogement { reponse motifRefus }', champ: 'Parcours.propositionsLogement', valeur: { propositionsLogement: [{ reponse: 'REFUSEE', motifRefus: MOTIF_REFUS }] } },
  faitProgramme: {
    selection: 'logementPourSortie { categorie durable } refusPropositionsLogement',
    champ: 'Parcours.logementPourSortie',
    valeur: { logementPourSortie: { categorie: 'DNA', durable: false }, refusPropositionsLogement: 1 },
  },
  journal: {
    selection: 'journalDroitsLogement { auteur action }',
    champ: 'Parcours.journalDroitsLogement',
    valeur: { journalDroitsLogement: expect.arrayContaining([{ auteur: 'diane', action: 'update demarche_droit' }]) },
  },
} as const;
type Champ = keyof typeof CHAMPS;

/** What a reader without the right to sensitive data reads of the same parcours (with consent). */
const SANS_SENSIBLE: Partial<Record<Champ, { valeur: unknown; refusNomme: string }>> = {
  // The residence-permit procedure is left out; the comment is refused, null.
  demarches: { valeur: { demarchesDroits: [{ type: 'CAF_PRESTATIONS_FAMILIALES', blocage: { motif: 'AUTRE', commentaire: null } }] }, refusNomme: 'BlocageDemarche.commentaire' },
  motifRefus: { valeur: { propositionsLogement: [{ reponse: 'REFUSEE', motifRefus: null }] }, refusNomme: 'PropositionLogement.motifRefus' },
};

const lire = (hub: TestHub, token: string, parcoursId: string, champ: Champ) =>
  hub.query<{ parcours: Record<string, unknown> | null }>(`query ($id: ID!) { parcours(id: $id) { id ${CHAMPS[champ].selection} } }`, { id: parcoursId }, { token });

/** Nothing of the domain's data in an answer: no housing type, no procedure, no free text. */
function sansFuite(result: GraphQLResult<unknown>): void {
  const texte = JSON.stringify(result);
  for (const donnee of ['CADA', 'TITRE_SEJOUR', 'CAF_PRESTATIONS_FAMILIALES', COMMENTAIRE, MOTIF_REFUS, 'REFUSEE', 'update demarche_droit']) expect(texte).not.toContain(donnee);
}

/** A field the D&L subgraph refused: FORBIDDEN naming it, the field null (the parcours too when the field is non-null). */
function refuseParDL(result: GraphQLResult<{ parcours: Record<string, unknown> | null }>, champ: Champ): void {
  expect(refus(result).map((r) => r.code)).toEqual(expect.arrayContaining(['FORBIDDEN']));
  expect(refus(result)).toContainEqual({ code: 'FORBIDDEN', field: CHAMPS[champ].champ });
  expect(result.errors?.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
  const parcours = result.data?.parcours;
  if (parcours) expect(parcours[CHAMPS[champ].champ.split('.')[1]!]).toBeNull();
  sansFuite(result);
}

/** The domain asked directly (as the gateway asks it), with the caller's token: refused too. */
async function refuseDirectementParDL(hub: TestHub, token: string, parcoursId: string, champ: Champ): Promise<void> {
  const result = await entiteDL(hub, token, parcoursId, CHAMPS[champ].selection);
  expect(refus(result)).toContainEqual({ code: 'FORBIDDEN', field: CHAMPS[champ].champ });
  expect(result.errors?.find((e) => e.extensions?.field === CHAMPS[champ].champ)?.message).toContain(`Accès refusé à ${CHAMPS[champ].champ}`);
  sansFuite(result);
}

type Attendu = 'LIT' | 'LIT_SANS_SENSIBLE' | 'REFUS_DL' | 'REFUS_PARCOURS';

/**
 * The matrix, with the person's consent to share the domain. REFUS_PARCOURS: Coordination does not
 * even show the parcours to the caller (and the domain, asked directly, refuses its fields too).
 */
const MATRICE: Record<Caller, Record<Champ, Attendu>> = {
  referentDL: { ordinaire: 'LIT', demarches: 'LIT', motifRefus: 'LIT', faitProgramme: 'LIT', journal: 'LIT' },
  referentEF: { ordinaire: 'LIT', demarches: 'LIT_SANS_SENSIBLE', motifRefus: 'LIT_SANS_SENSIBLE', faitProgramme: 'LIT', journal: 'REFUS_DL' },
  referentDLAutreAssociation: { ordinaire: 'REFUS_PARCOURS', demarches: 'REFUS_PARCOURS', motifRefus: 'REFUS_PARCOURS', faitProgramme: 'REFUS_PARCOURS', journal: 'REFUS_PARCOURS' },
  coordination44: { ordinaire: 'LIT', demarches: 'LIT_SANS_SENSIBLE', motifRefus: 'LIT_SANS_SENSIBLE', faitProgramme: 'LIT', journal: 'REFUS_DL' },
  coordination85: { ordinaire: 'REFUS_PARCOURS', demarches: 'REFUS_PARCOURS', motifRefus: 'REFUS_PARCOURS', faitProgramme: 'REFUS_PARCOURS', journal: 'REFUS_PARCOURS' },
  // The OFII oriented the person: Coordination shows it the parcours, the domain nothing of its own.
  ofii: { ordinaire: 'REFUS_DL', demarches: 'REFUS_DL', motifRefus: 'REFUS_DL', faitProgramme: 'REFUS_DL', journal: 'REFUS_DL' },
  prescripteur: { ordinaire: 'REFUS_PARCOURS', demarches: 'REFUS_PARCOURS', motifRefus: 'REFUS_PARCOURS', faitProgramme: 'REFUS_PARCOURS', journal: 'REFUS_PARCOURS' },
  analyste: { ordinaire: 'REFUS_PARCOURS', demarches: 'REFUS_PARCOURS', motifRefus: 'REFUS_PARCOURS', faitProgramme: 'REFUS_PARCOURS', journal: 'REFUS_PARCOURS' },
  admin: { ordinaire: 'REFUS_PARCOURS', demarches: 'REFUS_PARCOURS', motifRefus: 'REFUS_PARCOURS', faitProgramme: 'REFUS_PARCOURS', journal: 'REFUS_PARCOURS' },
};

const CELLULES = Object.entries(MATRICE).flatMap(([caller, ligne]) => Object.entries(ligne).map(([champ, attendu]) => [caller as Caller, champ as Champ, attendu] as const));

describe('with the consent to share the domain', () => {
  let hub: TestHub;
  const tokens = {} as Record<Caller, string>;

  beforeAll(async () => {
    hub = await startTestHub({ seed: seedDroitsLogementAcces });
    for (const [name, claims] of Object.entries(CALLERS)) tokens[name as Caller] = await hub.token(claims);
    await dossierComplet(hub, tokens.referentDL, ACCES.parcours);
    for (const id of [ACCES.audit, ACCES.ancienRecent, ACCES.ancienExpire]) {
      await ecrire(hub, tokens.referentDL, M.situation, { parcoursId: id, type: 'HUDA', communeInsee: '44109', dateDebut: j(-90) });
    }
    await remplacerReferentDL(hub.subgraphs.coordination.dataSource, ACCES.ancienRecent, 0);
    await remplacerReferentDL(hub.subgraphs.coordination.dataSource, ACCES.ancienExpire, 31);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  describe.each(CELLULES)('%s reading the %s field(s)', (caller, champ, attendu) => {
    it(attendu === 'LIT' ? 'reads it' : attendu === 'LIT_SANS_SENSIBLE' ? 'reads it without the sensitive data' : 'is refused, and nothing leaks', async () => {
      const result = await lire(hub, tokens[caller], ACCES.parcours, champ);
      switch (attendu) {
        case 'LIT':
          expect(result.errors).toBeUndefined();
          expect(result.data?.parcours).toEqual({ id: ACCES.parcours, ...CHAMPS[champ].valeur });
          break;
        case 'LIT_SANS_SENSIBLE': {
          const attendue = SANS_SENSIBLE[champ];
          expect(result.data?.parcours).toEqual({ id: ACCES.parcours, ...((attendue ? attendue.valeur : CHAMPS[champ].valeur) as object) });
          if (attendue) {
            expect(refus(result)).toEqual([{ code: 'FORBIDDEN', field: attendue.refusNomme }]);
            expect(JSON.stringify(result)).not.toContain(COMMENTAIRE);
            expect(JSON.stringify(result)).not.toContain(MOTIF_REFUS);
            expect(JSON.stringify(result)).not.toContain('TITRE_SEJOUR');
          } else {
            expect(result.errors).toBeUndefined();
          }
          break;
        }
        case 'REFUS_DL':
          refuseParDL(result, champ);
          await refuseDirectementParDL(hub, tokens[caller], ACCES.parcours, champ);
          break;
        case 'REFUS_PARCOURS':
          expect(result.data).toEqual({ parcours: null });
          expect(refus(result).map((r) => r.code)).toEqual(['FORBIDDEN']);
          sansFuite(result);
          await refuseDirectementParDL(hub, tokens[caller], ACCES.parcours, champ);
          break;
      }
    });
  });

  it('leaves the sensitive procedures out of the events of a reader without the right to them', async () => {
    const q = `query ($id: ID!) { parcours(id: $id) { evenementsDroitsLogement { type libelle } } }`;
    const referent = await hub.query<{ parcours: { evenementsDroitsLogement: { libelle: string }[] } }>(q, { id: ACCES.parcours }, { token: tokens.referentDL });
    expect(referent.data?.parcours.evenementsDroitsLogement.map((e) => e.libelle)).toContain('Démarche engagée : titre de séjour');
    for (const caller of ['coordination44', 'referentEF'] as const) {
      const result = await hub.query<{ parcours: { evenementsDroitsLogement: { libelle: string }[] } }>(q, { id: ACCES.parcours }, { token: tokens[caller] });
      expect(result.errors).toBeUndefined();
      const libelles = result.data?.parcours.evenementsDroitsLogement.map((e) => e.libelle) ?? [];
      expect(libelles).toContain('Démarche engagée : prestations familiales (CAF)');
      expect(libelles.join('\n')).not.toContain('titre de séjour');
    }
  });

  describe('a former D&L referent', () => {
    it('keeps reading, sensitive data included, for 30 days after the binôme changed', async () => {
      for (const claims of [CALLERS.referentDL, AUTRE_REFERENT_DL]) {
        const result = await lire(hub, await hub.token(claims), ACCES.ancienRecent, 'ordinaire');
        expect(result).toEqual({ data: { parcours: { id: ACCES.ancienRecent, situationLogement: { categorie: 'DNA', type: 'HUDA' } } } });
      }
      const journal = await lire(hub, tokens.referentDL, ACCES.ancienRecent, 'journal');
      expect(journal.errors).toBeUndefined();
      expect(journal.data?.parcours?.journalDroitsLogement).toContainEqual({ auteur: 'diane', action: 'insert situation_logement' });
    });

    it('reads nothing any more after 30 days, while the new referent does', async () => {
      const result = await lire(hub, tokens.referentDL, ACCES.ancienExpire, 'ordinaire');
      expect(result.data).toEqual({ parcours: null });
      expect(refus(result).map((r) => r.code)).toEqual(['FORBIDDEN']);
      sansFuite(result);
      await refuseDirectementParDL(hub, tokens.referentDL, ACCES.ancienExpire, 'ordinaire');
      const direct = await entiteDL(hub, tokens.referentDL, ACCES.ancienExpire, CHAMPS.ordinaire.selection);
      expect(direct.errors?.[0]?.message).toContain('hors de votre périmètre');
      const nouveau = await lire(hub, await hub.token(AUTRE_REFERENT_DL), ACCES.ancienExpire, 'ordinaire');
      expect(nouveau).toEqual({ data: { parcours: { id: ACCES.ancienExpire, situationLogement: { categorie: 'DNA', type: 'HUDA' } } } });
    });
  });

  describe('the audit trail', () => {
    const lectures = async (parcoursId: string) =>
      (await hub.subgraphs['droits-logement'].dataSource.query(
        `SELECT user_id, user_name, roles, fields, allowed, via, request_id IS NOT NULL AS avec_requete FROM audit_log WHERE operation = 'READ' AND parcours_id = $1 ORDER BY id`,
        [parcoursId],
      )) as Record<string, unknown>[];

    it('writes one row for one read of a parcours, with every field read', async () => {
      const avant = await lectures(ACCES.audit);
      const result = await hub.query(
        `query ($id: ID!) { parcours(id: $id) { situationLogement { categorie type } demarchesDroits { type } logementPourSortie { durable } } }`,
        { id: ACCES.audit },
        { token: tokens.referentDL },
      );
      expect(result.errors).toBeUndefined();
      const apres = await lectures(ACCES.audit);
      expect(apres.slice(0, avant.length)).toEqual(avant);
      expect(apres.slice(avant.length)).toEqual([
        {
          user_id: 'diane', user_name: 'Diane Clerc', roles: ['REFERENT_DROITS_LOGEMENT'], allowed: true, via: 'DOMAIN_REFERENT', avec_requete: true,
          fields: ['FaitsLogementSortie.durable', 'Parcours.demarchesDroits', 'Parcours.logementPourSortie', 'Parcours.situationLogement', 'SituationLogement.categorie', 'SituationLogement.type'],
        },
      ]);
    });

    it('records a refusal too', async () => {
      const avant = await lectures(ACCES.audit);
      await lire(hub, tokens.coordination44, ACCES.audit, 'journal');
      expect((await lectures(ACCES.audit)).slice(avant.length)).toEqual([
        { user_id: 'coord44', user_name: 'Coordination 44', roles: ['COORDINATION'], allowed: false, via: null, avec_requete: true, fields: ['Parcours.journalDroitsLogement'] },
      ]);
    });
  });

  describe('the change journal', () => {
    it('lists who changed what, when, from what to what, most recent first', async () => {
      const debut = new Date();
      await ecrire(hub, tokens.referentDL, M.situation, { parcoursId: ACCES.journal, type: 'CADA', communeInsee: '44109', dateDebut: j(-20) });
      const demarche = await ecrire(hub, tokens.referentDL, M.creer, { parcoursId: ACCES.journal, type: 'RSA', organisme: 'CAF de Loire-Atlantique', date: j(-10) });
      await ecrire(hub, tokens.referentDL, M.changer, { demarcheId: demarche, statut: 'EN_COURS', date: j(-5) });
      const result = await hub.query<{ parcours: { journalDroitsLogement: { date: string; auteur: string; nomAuteur: string; roles: string[]; action: string; champs: { champ: string; avant: string | null; apres: string | null }[] }[] } }>(
        `query ($id: ID!) { parcours(id: $id) { journalDroitsLogement { date auteur nomAuteur roles action champs { champ avant apres } } } }`,
        { id: ACCES.journal },
        { token: tokens.referentDL },
      );
      expect(result.errors).toBeUndefined();
      const journal = result.data!.parcours.journalDroitsLogement;
      expect(journal.map((m) => m.action)).toEqual(['update demarche_droit', 'insert demarche_droit', 'insert situation_logement', 'insert dossier']);
      for (const m of journal) {
        expect(m).toMatchObject({ auteur: 'diane', nomAuteur: 'Diane Clerc', roles: ['REFERENT_DROITS_LOGEMENT'] });
        expect(new Date(m.date).getTime()).toBeGreaterThanOrEqual(debut.getTime() - 1000);
        expect(new Date(m.date).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      }
      expect(journal[0]!.champs).toEqual([
        { champ: 'date_debut', avant: null, apres: JSON.stringify(j(-5)) },
        { champ: 'dernier_changement', avant: JSON.stringify(j(-10)), apres: JSON.stringify(j(-5)) },
        { champ: 'statut', avant: '"A_ENGAGER"', apres: '"EN_COURS"' },
      ]);
      expect(journal[2]!.champs).toContainEqual({ champ: 'type', avant: null, apres: '"CADA"' });
    });
  });
});

describe('without the consent to share the domain', () => {
  let hub: TestHub;
  const tokens = {} as Record<Caller, string>;

  beforeAll(async () => {
    hub = await startTestHub({ seed: seedDroitsLogementAcces, consent: false });
    for (const [name, claims] of Object.entries(CALLERS)) tokens[name as Caller] = await hub.token(claims);
    await dossierComplet(hub, tokens.referentDL, ACCES.parcours);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('answers everything to the D&L referent of the binôme', async () => {
    for (const champ of Object.keys(CHAMPS) as Champ[]) {
      const result = await lire(hub, tokens.referentDL, ACCES.parcours, champ);
      expect(result.errors).toBeUndefined();
      expect(result.data?.parcours).toEqual({ id: ACCES.parcours, ...CHAMPS[champ].valeur });
    }
  });

  it.each(['referentEF', 'coordination44'] as const)('answers %s only the programme facts', async (caller) => {
    for (const champ of ['ordinaire', 'demarches', 'motifRefus', 'journal'] as const) {
      const result = await lire(hub, tokens[caller], ACCES.parcours, champ);
      refuseParDL(result, champ);
      if (champ !== 'journal') expect(result.errors?.[0]?.message).toContain("n'a pas consenti");
    }
    const faits = await lire(hub, tokens[caller], ACCES.parcours, 'faitProgramme');
    expect(faits).toEqual({ data: { parcours: { id: ACCES.parcours, ...CHAMPS.faitProgramme.valeur } } });
  });
});
