import { randomUUID } from 'node:crypto';
import { Beneficiaire, Parcours, Site, Structure, type ParcoursRow } from '../subgraphs/coordination/src/entities';
import { Diagnostic, Diplome, Dossier as DossierEF } from '../subgraphs/emploi-formation/src/entities';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';

/**
 * The département profile of the diagnostic (seed 004: stock and flow, family or single, age,
 * country, sex, commune of residence, education level) through the gateway, on a population whose
 * every value is known. Period 2025-01-01 to 2025-06-30, département 44; ages at 2025-06-30.
 *
 * | | orientation | fin | sexe | âge | pays | commune | famille | population | stock début | stock fin |
 * |---|---|---|---|---|---|---|---|---|---|---|
 * | Q1 | 2024-10-01 | | F | 35 | AF | 44109 | BPI of Q2 | yes | yes | yes |
 * | Q2 | 2025-02-01 | | H | 17 | AF | 44109 | joins Q1 | yes | | yes |
 * | Q3 | 2025-01-01 (= du) | | H | 45 | SY | 44109 | | yes | yes | yes |
 * | Q4 | 2024-06-01 | 2024-12-31 | F | | AF | | | | | |
 * | Q5 | 2024-06-01 | 2025-01-01 (= du) | F | 55 | ER | 44184 | | yes | | |
 * | Q6 | 2025-06-30 (= au) | | F | 25 | SY | 44109 | | yes | | yes |
 * | Q7 | 2025-07-01 | | H | | AF | 44109 | | | | |
 * | Q8 | 2025-03-01 | 2025-06-30 (= au) | H | 65 | AF | (none) | | yes | | |
 * | Q9 | 85 | | | | | | | | | |
 * | Q10 | 2024-01-01 | 2024-06-01, reintegrated 2025-02-01 | H | 39 | AF | 44109 | | yes | | yes |
 */
const ids = () => ({ b: randomUUID(), p: randomUUID() });
const Q = { q1: ids(), q2: ids(), q3: ids(), q4: ids(), q5: ids(), q6: ids(), q7: ids(), q8: ids(), q9: ids(), q10: ids() };
const MEMBRE = randomUUID();
const PARTENAIRE = randomUUID();
const SITE = randomUUID();
const SITE_85 = randomUUID();
const PERIODE = { departement: '44', du: '2025-01-01', au: '2025-06-30' };
const SYNCHRONISATION = randomUUID();

const PROFIL = `query Profil($departement: String!, $du: Date!, $au: Date!) {
  indicateurs(departement: $departement, du: $du, au: $au) {
    profil {
      stockDebut stockFin entrees sorties solde entreesMensuellesMoyennes population ageMoyen masque
      parSituationFamiliale { situation nombre masque }
      parTrancheAge { tranche nombre masque }
      parSexe { sexe nombre masque }
      parPays { pays nombre masque }
      parCommuneResidence { commune { codeInsee nom } nombre masque }
    }
    profilFormation { diagnostiquees avecDiplomeEtranger avecDiplomeReconnu masque parNiveau { niveau nombre masque } }
  }
}`;

type Profil = {
  indicateurs: {
    profil: Record<string, unknown> & {
      parSituationFamiliale: { situation: string; nombre: number | null; masque: boolean }[];
      parTrancheAge: { tranche: string | null; nombre: number | null; masque: boolean }[];
      parSexe: { sexe: string; nombre: number | null; masque: boolean }[];
      parPays: { pays: string | null; nombre: number | null; masque: boolean }[];
      parCommuneResidence: { commune: { codeInsee: string; nom: string } | null; nombre: number | null; masque: boolean }[];
    };
    profilFormation: Record<string, unknown> & { parNiveau: { niveau: string; nombre: number | null; masque: boolean }[] };
  };
};

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({
    seed: async (dbs) => {
      const c = dbs.coordination;
      await c.getRepository(Structure).insert([
        { id: MEMBRE, nom: 'Groupe SOS Solidarités', domaines: ['COORDINATION', 'DROITS_LOGEMENT', 'EMPLOI_FORMATION'], departements: ['44', '85'], membreGroupement: true },
        { id: PARTENAIRE, nom: 'France Travail Loire-Atlantique', domaines: ['EMPLOI_FORMATION'], departements: ['44'], membreGroupement: false },
      ]);
      await c.query(`INSERT INTO convention (structure_id, intitule, etat, departement, date_signature) VALUES ($1, 'Convention SPE', 'EN_COURS', '44', NULL)`, [PARTENAIRE]);
      const site = (id: string, nom: string, departement: string) => ({
        id, nom, type: 'CENTRE' as const, departement, secteur: 'S', structureId: MEMBRE, adresse: null, codePostal: null,
        communeInsee: departement === '44' ? '44143' : null, communeNom: departement === '44' ? 'Rezé' : null, etat: 'OUVERT' as const,
      });
      await c.getRepository(Site).insert([site(SITE, 'Centre 1 AGIR – Rezé', '44'), site(SITE_85, 'Centre AGIR – La Roche-sur-Yon', '85')]);
      const b = (x: { b: string }, sexe: 'FEMME' | 'HOMME', dateNaissance: string, paysNaissance: string, communeInsee: string | null, bpi: string | null = null) => ({
        id: x.b, nom: 'Nom', prenom: 'Prénom', sexe, dateNaissance, paysNaissance, protection: bpi ? null : ('REFUGIE' as const),
        dateObtentionProtection: bpi ? null : '2024-01-01', rejoignant: bpi !== null, lienRejoignant: bpi ? ('ENFANT_MINEUR' as const) : null, bpiBeneficiaireId: bpi,
        communeInsee, communeNom: communeInsee === '44109' ? 'Nantes (saisi)' : communeInsee === '44184' ? 'St-Nazaire' : null, telephone: null, email: null,
      });
      await c.getRepository(Beneficiaire).insert([
        b(Q.q1, 'FEMME', '1990-05-01', 'AF', '44109'),
        b(Q.q3, 'HOMME', '1980-01-01', 'SY', '44109'),
        b(Q.q4, 'FEMME', '1990-01-01', 'AF', null),
        b(Q.q5, 'FEMME', '1970-01-01', 'ER', '44184'),
        b(Q.q6, 'FEMME', '1999-12-31', 'SY', '44109'),
        b(Q.q7, 'HOMME', '1990-01-01', 'AF', '44109'),
        b(Q.q8, 'HOMME', '1960-01-01', 'AF', null),
        b(Q.q9, 'HOMME', '1990-01-01', 'AF', null),
        b(Q.q10, 'HOMME', '1985-07-01', 'AF', '44109'),
      ]);
      await c.getRepository(Beneficiaire).insert(b(Q.q2, 'HOMME', '2008-01-01', 'AF', '44109', Q.q1.b));
      const p = (x: { b: string; p: string }, o: Partial<ParcoursRow> & Pick<ParcoursRow, 'statut' | 'dateOrientation'>) => ({
        id: x.p, beneficiaireId: x.b, siteId: SITE, departement: '44', canalOrientation: 'OFII' as const, dateSignatureCir: null, dateDiagnostic: null,
        dateCommission: null, dateContrat: null, dateSortie: null, referentDroitsLogementId: null, referentEmploiFormationId: null, ...o,
      });
      await c.getRepository(Parcours).insert([
        p(Q.q1, { statut: 'CONTRACTUALISE', dateOrientation: '2024-10-01', dateDiagnostic: '2024-10-10', dateCommission: '2024-10-20', dateContrat: '2024-11-01' }),
        p(Q.q2, { statut: 'ORIENTE', dateOrientation: '2025-02-01' }),
        p(Q.q3, { statut: 'ORIENTE', dateOrientation: '2025-01-01' }),
        p(Q.q4, { statut: 'ABANDON', dateOrientation: '2024-06-01', dateSortie: '2024-12-31' }),
        p(Q.q5, { statut: 'SORTI', dateOrientation: '2024-06-01', dateDiagnostic: '2024-06-10', dateCommission: '2024-06-20', dateContrat: '2024-07-01', dateSortie: '2025-01-01' }),
        p(Q.q6, { statut: 'ORIENTE', dateOrientation: '2025-06-30' }),
        p(Q.q7, { statut: 'ORIENTE', dateOrientation: '2025-07-01' }),
        p(Q.q8, { statut: 'ABANDON', dateOrientation: '2025-03-01', dateSortie: '2025-06-30' }),
        p(Q.q9, { statut: 'ORIENTE', dateOrientation: '2025-02-01', siteId: SITE_85, departement: '85' }),
        p(Q.q10, {
          statut: 'CONTRACTUALISE', dateOrientation: '2024-01-01', dateDiagnostic: '2024-01-10', dateCommission: '2024-01-20', dateContrat: '2024-02-01',
          dateSortie: '2024-06-01', dateReintegration: '2025-02-01',
        }),
      ]);

      const ef = dbs['emploi-formation'];
      await ef.getRepository(DossierEF).insert([
        { parcoursId: Q.q1.p, departement: '44', ouvertLe: '2025-01-10' },
        { parcoursId: Q.q3.p, departement: '44', ouvertLe: '2025-02-01' },
        { parcoursId: Q.q6.p, departement: '44', ouvertLe: '2025-07-01' },
        { parcoursId: Q.q8.p, departement: '44', ouvertLe: '2025-03-05' },
        { parcoursId: Q.q9.p, departement: '85', ouvertLe: '2025-02-01' },
      ]);
      const d = (x: { p: string }, niveauFormation: string) => ({ parcoursId: x.p, dateDiagnostic: '2025-03-01', niveauFormation, souhaits: null, competences: [] });
      await ef.getRepository(Diagnostic).insert([
        d(Q.q1, 'SECONDAIRE_DIPLOME'), d(Q.q3, 'SUPERIEUR_BAC_5_ET_PLUS'), d(Q.q6, 'NON_SCOLARISE'), d(Q.q8, 'PRIMAIRE'), d(Q.q9, 'PRIMAIRE'),
      ] as never);
      const diplome = (x: { p: string }, reconnaissance: string, pays: string) => ({ parcoursId: x.p, intitule: 'Diplôme', pays, annee: 2010, reconnaissance });
      await ef.getRepository(Diplome).insert([
        diplome(Q.q1, 'RECONNU', 'AF'), diplome(Q.q1, 'NON_DEMANDEE', 'AF'), diplome(Q.q3, 'EN_COURS', 'SY'), diplome(Q.q8, 'NON_APPLICABLE', 'FR'), diplome(Q.q9, 'RECONNU', 'AF'),
      ] as never);

      // The catalogue of 44: three services, two themes; one also listed in 85.
      await c.query(
        `INSERT INTO synchronisation_offre_locale (id, departement, statut, debut, fin, ajoutes, mis_a_jour, supprimes, echecs, sources)
         VALUES ($1, '44', 'REUSSIE', now(), now(), 3, 0, 0, 0, '{}')`,
        [SYNCHRONISATION],
      );
      const service = (sourceId: string, nom: string, thematiques: string[], departements: string[], supprime = false) =>
        c.query(
          `INSERT INTO offre_locale (source, source_id, departements, nom, thematiques, empreinte, premiere_synchronisation_id, derniere_synchronisation_id, supprime_le)
           VALUES ('DATA_INCLUSION', $1, $2, $3, $4, 'x', $5, $5, $6)`,
          [sourceId, departements, nom, thematiques, SYNCHRONISATION, supprime ? new Date() : null],
        );
      await service('svc-logement', 'Accompagnement au logement', ['logement-hebergement--etre-accompagne-pour-se-loger'], ['44', '85']);
      await service('svc-fle', 'Ateliers de français', ['lecture-ecriture-calcul--maitriser-le-francais', 'apprendre-francais--communiquer-vie-tous-les-jours'], ['44']);
      await service('svc-fle-2', 'Français à visée professionnelle', ['lecture-ecriture-calcul--maitriser-le-francais'], ['44']);
      await service('svc-ferme', 'Service fermé', ['logement-hebergement--mal-loges'], ['44'], true);
    },
  });
});
afterAll(() => hub?.stop());

const profil = async (token?: string) => {
  const r = await hub.query<Profil>(PROFIL, PERIODE, token ? { token } : {});
  expect(r.errors).toBeUndefined();
  return r.data!.indicateurs;
};

describe('the département profile (Indicateurs.profil, profilFormation)', () => {
  it('gives the coordination every hand-computed value', async () => {
    const { profil: p, profilFormation: f } = await profil();
    expect(p).toMatchObject({
      stockDebut: 2, // Q1, Q3 (oriented on du); Q5 ended on du
      stockFin: 5, // Q1, Q2, Q3, Q6 (oriented on au), Q10 (reintegrated); Q8 ended on au
      entrees: 4, // Q2, Q3, Q6, Q8 (Q7 the day after au)
      sorties: 2, // Q5, Q8
      solde: 2,
      entreesMensuellesMoyennes: 0.7, // 4 / 6 months
      population: 7, // Q1, Q2, Q3, Q5, Q6, Q8, Q10
      ageMoyen: 40.1, // (35 + 17 + 45 + 55 + 25 + 65 + 39) / 7
      masque: false,
    });
    expect(p.parSituationFamiliale).toEqual([
      { situation: 'FAMILLE', nombre: 2, masque: false },
      { situation: 'ISOLE', nombre: 5, masque: false },
    ]);
    expect(p.parTrancheAge.map((t) => [t.tranche, t.nombre])).toEqual([
      ['AGE_16_17', 1], ['AGE_18_25', 1], ['AGE_26_35', 1], ['AGE_36_45', 2], ['AGE_46_55', 1], ['AGE_56_PLUS', 1],
    ]);
    expect(p.parSexe.map((s) => [s.sexe, s.nombre])).toEqual([['FEMME', 3], ['HOMME', 4]]);
    expect(p.parPays.map((s) => [s.pays, s.nombre])).toEqual([['AF', 4], ['SY', 2], ['ER', 1]]);
    // Names from the Code officiel géographique, not as typed in; the commune left blank last.
    expect(p.parCommuneResidence.map((s) => [s.commune, s.nombre])).toEqual([
      [{ codeInsee: '44109', nom: 'Nantes' }, 5],
      [{ codeInsee: '44184', nom: 'Saint-Nazaire' }, 1],
      [null, 1],
    ]);
    // Education: Q1, Q3, Q8 (Q6's dossier opened after au; Q9 in 85). Foreign diplomas: Q1 (one recognised), Q3; Q8's is French.
    expect(f).toMatchObject({ diagnostiquees: 3, avecDiplomeEtranger: 2, avecDiplomeReconnu: 1, masque: false });
    expect(f.parNiveau.filter((n) => n.nombre).map((n) => [n.niveau, n.nombre])).toEqual([['PRIMAIRE', 1], ['SECONDAIRE_DIPLOME', 1], ['SUPERIEUR_BAC_5_ET_PLUS', 1]]);
    expect(f.parNiveau).toHaveLength(7);
  });

  it('an empty period gives zeros, not errors', async () => {
    const r = await hub.query<Profil>(PROFIL, { departement: '44', du: '2020-01-01', au: '2020-12-31' });
    expect(r.errors).toBeUndefined();
    expect(r.data!.indicateurs.profil).toMatchObject({ stockDebut: 0, stockFin: 0, entrees: 0, sorties: 0, population: 0, ageMoyen: null, parPays: [], parCommuneResidence: [] });
  });

  it('masks every count under 5 for an analyst, and leaves nothing to recompute by subtraction', async () => {
    const analyste = await hub.token({ ...COORDINATOR, sub: 'analyste-profil', roles: ['ANALYSTE'], departements: ['44'] });
    const { profil: p, profilFormation: f } = await profil(analyste);
    expect(p).toMatchObject({ population: 7, stockFin: 5, stockDebut: null, entrees: null, sorties: null, solde: null, entreesMensuellesMoyennes: null, ageMoyen: 40.1, masque: true });
    // FAMILLE (2) is masked; ISOLE (5) would give it back as 7 − 5: masked too.
    expect(p.parSituationFamiliale).toEqual([
      { situation: 'FAMILLE', nombre: null, masque: true },
      { situation: 'ISOLE', nombre: null, masque: true },
    ]);
    expect(p.parTrancheAge.every((t) => t.nombre === null && t.masque)).toBe(true);
    expect(p.parSexe.every((s) => s.nombre === null && s.masque)).toBe(true);
    // Countries under 5 people are grouped, and never listed by name.
    expect(p.parPays).toEqual([{ pays: null, nombre: 7, masque: false }]);
    // Nantes (5) would give the 2 others back: it joins them in the grouped row.
    expect(p.parCommuneResidence).toEqual([{ commune: null, nombre: 7, masque: false }]);
    expect(f).toMatchObject({ diagnostiquees: null, avecDiplomeEtranger: null, avecDiplomeReconnu: null, masque: true });
    expect(f.parNiveau.every((n) => n.nombre === null)).toBe(true);
  });

  it('refuses a referent and a département outside the caller’s scope', async () => {
    const referent = await hub.token({ ...COORDINATOR, roles: ['REFERENT_DROITS_LOGEMENT'], departements: ['44'] });
    const r = await hub.query(PROFIL, PERIODE, { token: referent });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const autre = await hub.token({ ...COORDINATOR, departements: ['85'] });
    expect((await hub.query(PROFIL, PERIODE, { token: autre })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

const CARTOGRAPHIE = `query Carte($departement: String!) {
  cartographieActeurs(departement: $departement) {
    departement
    membres { nom conventions { intitule etat } }
    partenaires { nom conventions { intitule etat } }
    sites { nom commune { codeInsee nom } }
    servicesPartenaires { sourceId nom partenariat { etatConvention dateSignature structure { nom } marquePar } }
    offreParThematique { thematique services partenaires }
  }
}`;
const MARQUER = `mutation Marquer($input: PartenariatOffreLocaleInput!) {
  marquerPartenaireOffreLocale(input: $input) { sourceId partenariat { departement etatConvention dateSignature structure { nom } } }
}`;
const RETIRER = `mutation Retirer($sourceId: ID!, $departement: String!) {
  retirerPartenaireOffreLocale(source: DATA_INCLUSION, sourceId: $sourceId, departement: $departement) { sourceId partenariat { etatConvention } }
}`;

describe('the map of actors and the partner services', () => {
  it('marks a catalogue service as a partner, with its convention, and shows it on the map and in the catalogue', async () => {
    const marque = await hub.query(MARQUER, {
      input: { source: 'DATA_INCLUSION', sourceId: 'svc-fle', departement: '44', etatConvention: 'SIGNEE', dateSignature: '2025-03-01', structureId: PARTENAIRE },
    });
    expect(marque.errors).toBeUndefined();
    expect(marque.data).toEqual({
      marquerPartenaireOffreLocale: { sourceId: 'svc-fle', partenariat: { departement: '44', etatConvention: 'SIGNEE', dateSignature: '2025-03-01', structure: { nom: 'France Travail Loire-Atlantique' } } },
    });
    // Marked in 44 only: the 85 catalogue lists the housing service without a partnership.
    expect((await hub.query(MARQUER, { input: { source: 'DATA_INCLUSION', sourceId: 'svc-logement', departement: '44', etatConvention: 'EN_COURS' } })).errors).toBeUndefined();

    const carte = await hub.query<{ cartographieActeurs: Record<string, unknown> }>(CARTOGRAPHIE, { departement: '44' });
    expect(carte.errors).toBeUndefined();
    expect(carte.data!.cartographieActeurs).toEqual({
      departement: '44',
      membres: [{ nom: 'Groupe SOS Solidarités', conventions: [] }],
      partenaires: [{ nom: 'France Travail Loire-Atlantique', conventions: [{ intitule: 'Convention SPE', etat: 'EN_COURS' }] }],
      sites: [{ nom: 'Centre 1 AGIR – Rezé', commune: { codeInsee: '44143', nom: 'Rezé' } }],
      servicesPartenaires: [
        { sourceId: 'svc-fle', nom: 'Ateliers de français', partenariat: { etatConvention: 'SIGNEE', dateSignature: '2025-03-01', structure: { nom: 'France Travail Loire-Atlantique' }, marquePar: COORDINATOR.sub } },
        { sourceId: 'svc-logement', nom: 'Accompagnement au logement', partenariat: { etatConvention: 'EN_COURS', dateSignature: null, structure: null, marquePar: COORDINATOR.sub } },
      ],
      // The removed service is not counted; a service with two themes of one family counts once.
      offreParThematique: [
        { thematique: 'lecture-ecriture-calcul', services: 2, partenaires: 1 },
        { thematique: 'apprendre-francais', services: 1, partenaires: 1 },
        { thematique: 'logement-hebergement', services: 1, partenaires: 1 },
      ],
    });

    const catalogue = await hub.query<{ offreLocale: { sourceId: string }[] }>(`{ offreLocale(departement: "44", partenaires: false) { sourceId } }`);
    expect(catalogue.data!.offreLocale.map((o) => o.sourceId)).toEqual(['svc-fle-2']);
    const en85 = await hub.query<{ offreLocale: { sourceId: string; partenariat: unknown }[] }>(`{ offreLocale(departement: "85") { sourceId partenariat { etatConvention } } }`);
    expect(en85.data!.offreLocale).toEqual([{ sourceId: 'svc-logement', partenariat: null }]);

    const retire = await hub.query(RETIRER, { sourceId: 'svc-logement', departement: '44' });
    expect(retire.data).toEqual({ retirerPartenaireOffreLocale: { sourceId: 'svc-logement', partenariat: null } });
    const again = await hub.query(RETIRER, { sourceId: 'svc-logement', departement: '44' });
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // A partnership outlives its service's removal from the source, and can still be withdrawn.
    await hub.subgraphs.coordination.dataSource.query(
      `INSERT INTO partenariat_offre_locale (source, source_id, departement, etat_convention, marque_par) VALUES ('DATA_INCLUSION', 'svc-ferme', '44', 'EN_COURS', 'test')`,
    );
    const ferme = await hub.query(RETIRER, { sourceId: 'svc-ferme', departement: '44' });
    expect(ferme).toEqual({ data: { retirerPartenaireOffreLocale: { sourceId: 'svc-ferme', partenariat: null } } });
  });

  it('refuses bad input, with the field to fix, and writes nothing', async () => {
    const essai = (input: Record<string, unknown>, token?: string) =>
      hub.query(MARQUER, { input: { source: 'DATA_INCLUSION', sourceId: 'svc-fle-2', departement: '44', ...input } }, token ? { token } : {});
    const sansDate = await essai({ etatConvention: 'SIGNEE' });
    expect(sansDate.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.dateSignature' });
    const dateEnCours = await essai({ etatConvention: 'EN_COURS', dateSignature: '2025-01-01' });
    expect(dateEnCours.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.dateSignature' });
    const future = await essai({ etatConvention: 'SIGNEE', dateSignature: '2999-01-01' });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.dateSignature' });
    const structure = await essai({ etatConvention: 'EN_COURS', structureId: randomUUID() });
    expect(structure.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.structureId' });
    const inconnu = await essai({ etatConvention: 'EN_COURS', sourceId: 'nulle-part' });
    expect(inconnu.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const supprime = await essai({ etatConvention: 'EN_COURS', sourceId: 'svc-ferme' });
    expect(supprime.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const referent = await hub.token({ ...COORDINATOR, roles: ['REFERENT_EMPLOI_FORMATION'], departements: ['44'] });
    expect((await essai({ etatConvention: 'EN_COURS' }, referent)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const autre = await hub.token({ ...COORDINATOR, departements: ['85'] });
    expect((await essai({ etatConvention: 'EN_COURS' }, autre)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const catalogue = await hub.query<{ offreLocale: { sourceId: string; partenariat: unknown }[] }>(`{ offreLocale(departement: "44", thematique: "lecture-ecriture-calcul") { sourceId partenariat { etatConvention } } }`);
    expect(catalogue.data!.offreLocale.find((o) => o.sourceId === 'svc-fle-2')!.partenariat).toBeNull();
  });

  it('journals who marked a service', async () => {
    // Through the API: svc-fle and svc-logement marked, svc-logement and svc-ferme withdrawn, all by
    // the coordinator (the one row written by SQL above is the only other, by the database role).
    const rows = (await hub.subgraphs.coordination.dataSource.query(
      `SELECT user_id AS auteur, action, count(*)::int AS n FROM audit_log WHERE action LIKE '%partenariat_offre_locale' GROUP BY 1, 2 ORDER BY 1, 2`,
    )) as { auteur: string; action: string; n: number }[];
    expect(rows.filter((r) => r.auteur === COORDINATOR.sub)).toEqual([
      { auteur: COORDINATOR.sub, action: 'delete partenariat_offre_locale', n: 2 },
      { auteur: COORDINATOR.sub, action: 'insert partenariat_offre_locale', n: 2 },
    ]);
    expect(rows.filter((r) => r.auteur !== COORDINATOR.sub).map((r) => [r.action, r.n])).toEqual([['insert partenariat_offre_locale', 1]]);
  });
});
