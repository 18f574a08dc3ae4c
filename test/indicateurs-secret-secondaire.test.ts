import { randomUUID } from 'node:crypto';
import { Beneficiaire, Parcours, Site, Structure, type ParcoursRow } from '../subgraphs/coordination/src/entities';
import { Dossier as DossierDL, SituationLogement, type SituationLogementRow } from '../subgraphs/droits-logement/src/entities';
import { Dossier as DossierEF } from '../subgraphs/emploi-formation/src/entities';
import { startTestHub, type TestHub } from './support/hub';

/**
 * Secondary suppression through the gateway: a population where each breakdown below has exactly
 * one count under 5, so that without it an analyst would get that count back by subtraction from a
 * total the same answer publishes. Period 2025-01-01 to 2025-03-31, département 44.
 *
 * Coordination: 20 orientations, OFII 12 (9 in January, 3 in February), fiche de liaison 6
 * (February), prefect 2 (March); 8 of the January ones diagnosed in the period, 6 within the month
 * and 2 after it; 12 exits in February: 6 exits, 5 abandons, 1 exclusion.
 * Droits & Logement: 25 dossiers opened (10 in January, 10 in February, 5 in March), entering from
 * the street (6), the DNA (7), temporary shelter (5), adapted housing (5), their own home (2).
 * Emploi & Formation: 15 dossiers opened, 6 in January, 6 in February, 3 in March.
 */
const STRUCTURE = randomUUID();
const SITE = randomUUID();
const PERIODE = { departement: '44', du: '2025-01-01', au: '2025-03-31' };

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({
    seed: async (dbs) => {
      const c = dbs.coordination;
      await c.getRepository(Structure).insert({ id: STRUCTURE, nom: 'Groupe SOS Solidarités', domaines: ['COORDINATION'], departements: ['44'], membreGroupement: true });
      await c.getRepository(Site).insert({
        id: SITE, nom: 'Centre A', type: 'CENTRE', departement: '44', secteur: 'S', structureId: STRUCTURE, adresse: null, codePostal: null, communeInsee: null, communeNom: null, etat: 'OUVERT',
      });
      const parcours: Partial<ParcoursRow>[] = [];
      const ajouter = (n: number, o: Partial<ParcoursRow> & Pick<ParcoursRow, 'statut' | 'dateOrientation'>) => {
        for (let i = 0; i < n; i += 1) parcours.push({ canalOrientation: 'OFII', ...o });
      };
      ajouter(6, { statut: 'DIAGNOSTIC_REALISE', dateOrientation: '2025-01-05', dateDiagnostic: '2025-01-20' }); // within the month
      ajouter(2, { statut: 'DIAGNOSTIC_REALISE', dateOrientation: '2025-01-05', dateDiagnostic: '2025-03-10' }); // beyond it
      ajouter(1, { statut: 'ORIENTE', dateOrientation: '2025-01-06' });
      ajouter(3, { statut: 'ORIENTE', dateOrientation: '2025-02-03' });
      ajouter(6, { statut: 'ORIENTE', dateOrientation: '2025-02-10', canalOrientation: 'FICHE_LIAISON' });
      ajouter(2, { statut: 'ORIENTE', dateOrientation: '2025-03-03', canalOrientation: 'PREFET' });
      const avant = { dateOrientation: '2024-03-01', dateDiagnostic: '2024-03-10', dateCommission: '2024-03-20', dateContrat: '2024-04-01', dateSortie: '2025-02-14' };
      ajouter(6, { statut: 'SORTI', ...avant });
      ajouter(5, { statut: 'ABANDON', ...avant });
      ajouter(1, { statut: 'EXCLU', ...avant, motifExclusion: 'NON_ADHESION' });
      const ids = parcours.map(() => ({ b: randomUUID(), p: randomUUID() }));
      await c.getRepository(Beneficiaire).insert(
        ids.map((x, i) => ({
          id: x.b, nom: `Nom${i}`, prenom: `Prenom${i}`, sexe: 'FEMME' as const, dateNaissance: '1990-01-01', paysNaissance: 'AF', protection: 'REFUGIE' as const,
          dateObtentionProtection: '2023-01-01', rejoignant: false, communeInsee: null, communeNom: null, telephone: null, email: null,
        })),
      );
      await c.getRepository(Parcours).insert(
        parcours.map((o, i) => ({
          id: ids[i]!.p, beneficiaireId: ids[i]!.b, siteId: SITE, departement: '44', dateSignatureCir: null, dateDiagnostic: null, dateCommission: null, dateContrat: null,
          dateSortie: null, referentDroitsLogementId: null, referentEmploiFormationId: null, ...o,
        })) as never,
      );

      const entrees: [string, SituationLogementRow['type'], SituationLogementRow['categorie'], number][] = [
        ['2025-01-15', 'SANS_ABRI', 'SANS_ABRI_HEBERGEMENT_PRECAIRE', 6],
        ['2025-01-15', 'CHRS', 'HEBERGEMENT_TEMPORAIRE', 4],
        ['2025-02-15', 'CHRS', 'HEBERGEMENT_TEMPORAIRE', 1],
        ['2025-02-15', 'CADA', 'DNA', 7],
        ['2025-02-15', 'PARC_SOCIAL', 'LOGEMENT_AUTONOME', 2],
        ['2025-03-15', 'RESIDENCE_SOCIALE', 'LOGEMENT_ACCOMPAGNE_ADAPTE', 5],
      ];
      const dossiers = entrees.flatMap(([jour, type, categorie, n]) => Array.from({ length: n }, () => ({ parcoursId: randomUUID(), jour, type, categorie })));
      const dl = dbs['droits-logement'];
      await dl.getRepository(DossierDL).insert(dossiers.map((d) => ({ parcoursId: d.parcoursId, departement: '44', ouvertLe: d.jour })));
      await dl.getRepository(SituationLogement).insert(
        dossiers.map((d) => ({ parcoursId: d.parcoursId, type: d.type, categorie: d.categorie, dateDebut: d.jour, dateFin: null, communeInsee: null, communeNom: null })),
      );

      const ouvertures = [...Array(6).fill('2025-01-20'), ...Array(6).fill('2025-02-20'), ...Array(3).fill('2025-03-20')] as string[];
      await dbs['emploi-formation'].getRepository(DossierEF).insert(ouvertures.map((ouvertLe) => ({ parcoursId: randomUUID(), departement: '44', ouvertLe })));
    },
  });
});
afterAll(async () => {
  await hub?.stop();
});

const INDICATEURS = `
  query ($departement: String!, $du: Date!, $au: Date!) {
    indicateurs(departement: $departement, du: $du, au: $au) {
      effectifs { orientes diagnostiques abandons exclusions masque }
      orientationsParCanal { canal nombre masque }
      sortiesParMotif { motif nombre masque }
      delaiDiagnostic { nombre dansLaCible { numerateur denominateur taux masque } }
      parMois { mois orientes }
      droitsLogement { situationsEntree { categorie nombre masque } demarches { nombre masque } }
      droitsLogementParMois { mois entrees }
      emploiFormationParMois { mois entrees }
    }
  }`;

interface Reponse {
  effectifs: Record<string, number | boolean | null>;
  orientationsParCanal: { canal: string; nombre: number | null; masque: boolean }[];
  sortiesParMotif: { motif: string; nombre: number | null; masque: boolean }[];
  delaiDiagnostic: { nombre: number | null; dansLaCible: Record<string, number | boolean | null> };
  parMois: { mois: string; orientes: number | null }[];
  droitsLogement: { situationsEntree: { categorie: string; nombre: number | null; masque: boolean }[]; demarches: { nombre: number | null; masque: boolean }[] };
  droitsLogementParMois: { mois: string; entrees: number | null }[];
  emploiFormationParMois: { mois: string; entrees: number | null }[];
}

async function indicateurs(roles: string[]): Promise<Reponse> {
  const token = await hub.token({ sub: `u-${roles.join('-')}`, name: 'Test', structure: STRUCTURE, roles: roles as never, departements: ['44'] });
  const r = await hub.query<{ indicateurs: Reponse }>(INDICATEURS, PERIODE, { token });
  expect(r.errors).toBeUndefined();
  return r.data!.indicateurs;
}

/** What subtraction gives an analyst: the total minus the visible cells, and how many cells share it. */
function soustraction(total: number, cellules: (number | null)[]) {
  return { reste: total - cellules.reduce<number>((s, n) => s + (n ?? 0), 0), inconnues: cellules.filter((n) => n === null).length };
}

describe('secondary suppression of the indicators, through the gateway', () => {
  it('gives the coordination every count', async () => {
    const i = await indicateurs(['COORDINATION']);
    expect(i.effectifs).toEqual({ orientes: 20, diagnostiques: 8, abandons: 5, exclusions: 1, masque: false });
    expect(i.orientationsParCanal.map((c) => c.nombre)).toEqual([12, 6, 2]);
    expect(i.sortiesParMotif.map((s) => s.nombre)).toEqual([6, 0, 5, 1, 0]);
    expect(i.delaiDiagnostic).toEqual({ nombre: 8, dansLaCible: { numerateur: 6, denominateur: 8, taux: 0.75, masque: false } });
    expect(i.parMois).toEqual([{ mois: '2025-01', orientes: 9 }, { mois: '2025-02', orientes: 9 }, { mois: '2025-03', orientes: 2 }]);
    expect(i.droitsLogement.situationsEntree.map((s) => s.nombre)).toEqual([6, 7, 5, 5, 2]);
    expect(i.droitsLogementParMois.map((m) => m.entrees)).toEqual([10, 10, 5]);
    expect(i.emploiFormationParMois.map((m) => m.entrees)).toEqual([6, 6, 3]);
  });

  it('hides a second cell beside each lone small one, so that the analyst cannot subtract it back', async () => {
    const i = await indicateurs(['ANALYSTE']);

    // The 2 prefect orientations are hidden, and the 6 fiches de liaison with them: 20 − 12 = 8 is
    // shared by two unknowns (2 + 6, 3 + 5, 0 + 8 ... all fit).
    expect(i.effectifs.orientes).toBe(20);
    expect(i.orientationsParCanal).toEqual([
      { canal: 'OFII', nombre: 12, masque: false },
      { canal: 'FICHE_LIAISON', nombre: null, masque: true },
      { canal: 'PREFET', nombre: null, masque: true },
    ]);
    expect(soustraction(20, i.orientationsParCanal.map((c) => c.nombre))).toEqual({ reste: 8, inconnues: 2 });

    // The months add up to the period: March's 2 orientations hide January's 9 as well.
    expect(i.parMois).toEqual([{ mois: '2025-01', orientes: null }, { mois: '2025-02', orientes: 9 }, { mois: '2025-03', orientes: null }]);
    expect(soustraction(20, i.parMois.map((m) => m.orientes))).toEqual({ reste: 11, inconnues: 2 });

    // Exits: the one exclusion and the two zeros add up to 1, which would say "1 exclusion or refusal
    // or end of rights": the 5 abandons are hidden too, and so is the same number in `effectifs`.
    expect(i.sortiesParMotif).toEqual([
      { motif: 'SORTIE', nombre: 6, masque: false },
      { motif: 'REFUS_CONTRACTUALISATION', nombre: null, masque: true },
      { motif: 'ABANDON', nombre: null, masque: true },
      { motif: 'EXCLUSION', nombre: null, masque: true },
      { motif: 'FIN_DE_DROITS', nombre: null, masque: true },
    ]);
    expect(i.effectifs).toMatchObject({ abandons: null, exclusions: null, masque: true });

    // 6 of 8 diagnostics within the month would say that 2 were late: the numerator is hidden.
    expect(i.delaiDiagnostic).toEqual({ nombre: 8, dansLaCible: { numerateur: null, denominateur: 8, taux: null, masque: true } });

    // Droits & Logement: the 25 entries (the monthly series adds them up) by situation; the 2 who
    // entered in their own home are hidden with the first category of 5.
    expect(i.droitsLogementParMois.map((m) => m.entrees)).toEqual([10, 10, 5]);
    expect(i.droitsLogement.situationsEntree).toEqual([
      { categorie: 'SANS_ABRI_HEBERGEMENT_PRECAIRE', nombre: 6, masque: false },
      { categorie: 'DNA', nombre: 7, masque: false },
      { categorie: 'HEBERGEMENT_TEMPORAIRE', nombre: null, masque: true },
      { categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE', nombre: 5, masque: false },
      { categorie: 'LOGEMENT_AUTONOME', nombre: null, masque: true },
    ]);
    expect(soustraction(25, i.droitsLogement.situationsEntree.map((s) => s.nombre))).toEqual({ reste: 7, inconnues: 2 });
    // Every procedure type × statut is listed, zeros hidden like the rest: a missing pair would say zero.
    expect(i.droitsLogement.demarches).toHaveLength(12 * 5);
    expect(i.droitsLogement.demarches.every((d) => d.nombre === null && d.masque)).toBe(true);

    // Emploi & Formation: March's 3 entries hide January's 6.
    expect(i.emploiFormationParMois.map((m) => m.entrees)).toEqual([null, 6, null]);
  });
});
