import type { StatutParcours } from '../../subgraphs/coordination/src/entities';
import {
  CATEGORIE_PAR_TYPE,
  type CategorieLogement,
  type DemarcheDroitRow,
  type DossierRow as DossierDroitsLogementRow,
  type SituationLogementRow,
  type TypeLogement,
} from '../../subgraphs/droits-logement/src/entities';
import type {
  CategorieSituationProfessionnelle,
  DossierRow as DossierEmploiFormationRow,
  EvaluationLangueRow,
  NiveauCecrl,
  SituationProfessionnelleRow,
} from '../../subgraphs/emploi-formation/src/entities';
import { drawCommune, type Commune, type Departement } from './communes';
import { isoDate, type Day } from './dates';
import { SORTIES, type Jalons } from './jalons';
import type { Random } from './random';

/**
 * What the two domain subgraphs record about a parcours once the diagnostic has opened their
 * dossiers: the housing path and the rights procedures (Droits & Logement), the professional path
 * and the French evaluations (Emploi & Formation). Only dates between the diagnostic and the end of
 * the parcours (or today) are produced.
 */

/** The facts about a parcours that the domain generators depend on. */
export interface Suivi {
  parcoursId: string;
  departement: Departement;
  statut: StatutParcours;
  jalons: Jalons & { diagnostic: Day };
  /** The last day the domains record anything: the end of the parcours, or today. */
  fin: Day;
  residence: Commune;
  /** Age at the diagnostic. */
  age: number;
  rejoignant: boolean;
  /** CIR signature; null for the prefect's exceptional entries, which have none yet. */
  cir: Day | null;
}

/** The procedure types of the droits-logement migration's CHECK (the entity types it as text). */
export type TypeDemarche =
  | 'TITRE_SEJOUR'
  | 'ETAT_CIVIL_OFPRA'
  | 'REUNIFICATION_FAMILIALE'
  | 'CAF_PRESTATIONS_FAMILIALES'
  | 'RSA'
  | 'ASSURANCE_MALADIE'
  | 'ACCOMPAGNEMENT_SOIN'
  | 'COMPTE_BANCAIRE'
  | 'DOMICILIATION'
  | 'ECHANGE_PERMIS_CONDUIRE'
  | 'MOBILITE'
  | 'AUTRE';

/** Is the professional situation employment or training (the programme's 60 % indicator)? */
export const EMPLOI_OU_FORMATION: ReadonlySet<CategorieSituationProfessionnelle> = new Set([
  'EMPLOI_COURT',
  'EMPLOI_DURABLE',
  'ALTERNANCE',
  'INSERTION_ACTIVITE_ECONOMIQUE',
  'FORMATION_PROFESSIONNELLE',
  'ETUDES',
]);

// --- Droits & Logement ----------------------------------------------------------------------

/**
 * Housing at entry, seed 002 ("Situation Logement/Hébergement à l'entrée"): DNA far ahead, then
 * temporary shelter, then the street or a third party, a share already in adapted housing, and
 * few in their own home. Types within each category: our estimate of the local supply.
 */
const LOGEMENT_ENTREE: ReadonlyArray<readonly [TypeLogement, number]> = [
  // DNA 45
  ['CADA', 20], ['HUDA', 11], ['CPH', 10], ['AUTRE_DNA', 4],
  // Hébergement temporaire 20
  ['CHRS', 7], ['HEBERGEMENT_URGENCE', 7], ['HOTEL', 6],
  // Sans abri / hébergement précaire 15
  ['HEBERGEMENT_TIERS', 10], ['SANS_ABRI', 3], ['SQUAT', 2],
  // Logement accompagné / adapté 13
  ['RESIDENCE_SOCIALE', 5], ['IML', 4], ['FJT', 3], ['PENSION_DE_FAMILLE', 1],
  // Logement autonome 7
  ['PARC_PRIVE', 4], ['PARC_SOCIAL', 3],
];

function categorie(type: TypeLogement): CategorieLogement {
  return CATEGORIE_PAR_TYPE[type];
}

/** Where people move from a given housing: towards adapted housing, then towards their own home. */
function logementSuivant(random: Random, actuel: TypeLogement, age: number, versSortie: boolean): TypeLogement {
  if (categorie(actuel) === 'LOGEMENT_ACCOMPAGNE_ADAPTE') return random.weighted([['PARC_SOCIAL', 70], ['PARC_PRIVE', 30]]);
  return random.weighted<TypeLogement>([
    ['RESIDENCE_SOCIALE', 30],
    ['IML', 22],
    ['FJT', age < 30 ? 15 : 0], // foyers de jeunes travailleurs take people up to 30
    ['PENSION_DE_FAMILLE', 4],
    ['PARC_SOCIAL', 18],
    ['PARC_PRIVE', 7],
    // Leaving the DNA for a shelter, without (yet) a step forward; never the last move of an exit.
    ['CHRS', categorie(actuel) === 'DNA' && !versSortie ? 8 : 0],
  ]);
}

/** How many moves after the contract, given how the parcours goes and how long it has lasted. */
function nombreDemenagements(random: Random, s: Suivi, entree: TypeLogement): number {
  const cat = categorie(entree);
  if (cat === 'LOGEMENT_AUTONOME' || s.jalons.contrat === null) return 0;
  const max = cat === 'LOGEMENT_ACCOMPAGNE_ADAPTE' ? 1 : 2;
  let n: number;
  if (SORTIES.includes(s.statut)) {
    // Exit needs durable or temporary (résidence sociale, FJT, IML) housing: at least one move
    // unless already there.
    n = cat === 'LOGEMENT_ACCOMPAGNE_ADAPTE' ? (random.chance(0.5) ? 1 : 0) : random.chance(0.3) ? 2 : 1;
  } else if (s.statut === 'CONTRACTUALISE') {
    const mois = (s.fin - s.jalons.contrat) / 30.4;
    n = random.chance(Math.min(0.85, mois / 18)) ? (random.chance(0.3) ? 2 : 1) : 0;
  } else if (s.statut === 'FIN_DE_DROITS') {
    n = random.chance(0.5) ? 1 : 0;
  } else if (s.statut === 'ABANDON') {
    n = random.chance(0.3) ? 1 : 0;
  } else {
    n = 0; // EXCLU: typically after two refused housing offers
  }
  return Math.min(n, max);
}

/** `n` distinct days in [lo, hi], ascending (fewer if the window is too short). */
function joursCroissants(random: Random, n: number, lo: Day, hi: Day): Day[] {
  if (n <= 0 || lo > hi) return [];
  const days = new Set<Day>();
  for (let i = 0; i < n * 4 && days.size < Math.min(n, hi - lo + 1); i += 1) days.add(random.int(lo, hi));
  return [...days].sort((a, b) => a - b);
}

/** Ends each period on the day before the next starts (or on the same day: the moving day). */
function chainer<T extends { dateFin: string | null }>(random: Random, periodes: ReadonlyArray<{ debut: Day; row: T }>): T[] {
  return periodes.map(({ debut, row }, i) => {
    const next = periodes[i + 1];
    if (next === undefined) return row;
    return { ...row, dateFin: isoDate(Math.max(debut, next.debut - (random.chance(0.5) ? 1 : 0))) };
  });
}

const DUREE_DEMARCHE: Record<TypeDemarche, readonly [number, number]> = {
  TITRE_SEJOUR: [60, 240],
  ETAT_CIVIL_OFPRA: [30, 200],
  REUNIFICATION_FAMILIALE: [150, 540],
  CAF_PRESTATIONS_FAMILIALES: [20, 90],
  RSA: [20, 75],
  ASSURANCE_MALADIE: [15, 90],
  ACCOMPAGNEMENT_SOIN: [30, 240],
  COMPTE_BANCAIRE: [5, 30],
  DOMICILIATION: [5, 30],
  ECHANGE_PERMIS_CONDUIRE: [60, 240],
  MOBILITE: [10, 60],
  AUTRE: [15, 120],
};

/** The body a procedure is filed with, in the département (or the commune) of the person. */
export function organisme(random: Random, type: TypeDemarche, departement: Departement, commune: Commune): string | null {
  const la = departement === '44' ? 'de Loire-Atlantique' : 'de la Vendée';
  switch (type) {
    case 'TITRE_SEJOUR':
      return departement === '44' ? 'Préfecture de la Loire-Atlantique' : 'Préfecture de la Vendée';
    case 'ETAT_CIVIL_OFPRA':
      return 'OFPRA';
    case 'REUNIFICATION_FAMILIALE':
      return "Ministère de l'Europe et des Affaires étrangères";
    case 'CAF_PRESTATIONS_FAMILIALES':
    case 'RSA':
      return `CAF ${la}`;
    case 'ASSURANCE_MALADIE':
      return `CPAM ${la}`;
    case 'ACCOMPAGNEMENT_SOIN':
      return departement === '44'
        ? random.pick(['CHU de Nantes – PASS', 'Centre hospitalier de Saint-Nazaire – PASS', 'Médecins du Monde Nantes'])
        : random.pick(['CHD Vendée – PASS', 'Centre hospitalier Loire Vendée Océan']);
    case 'COMPTE_BANCAIRE':
      return random.weighted([
        ['La Banque Postale', 70],
        [departement === '44' ? 'Crédit Mutuel de Loire-Atlantique' : 'Crédit Agricole Atlantique Vendée', 15],
        ['Caisse d’Épargne Bretagne Pays de Loire', 15],
      ]);
    case 'DOMICILIATION':
      return `CCAS de ${commune.nom}`;
    case 'ECHANGE_PERMIS_CONDUIRE':
      // Foreign licences are exchanged by the ANTS's specialised centre, which sits in Nantes.
      return 'ANTS – CERT EPE de Nantes';
    case 'MOBILITE':
      return departement === '44' ? random.pick(['Naolib – tarification solidaire', 'Aléop']) : 'Aléop';
    case 'AUTRE':
      return random.chance(0.6) ? 'France Services' : null;
  }
}

function demarches(random: Random, s: Suivi, commune: Commune): DemarcheDroitRow[] {
  const enCours = s.jalons.sortie === null;
  const n = s.jalons.contrat === null ? random.int(1, 2) : random.int(2, 5);
  const types = random.weightedDistinct<TypeDemarche>(
    [
      ['TITRE_SEJOUR', 16],
      ['ASSURANCE_MALADIE', 14],
      ['ETAT_CIVIL_OFPRA', s.rejoignant ? 0 : 12],
      ['CAF_PRESTATIONS_FAMILIALES', 12],
      ['RSA', s.age >= 25 ? 10 : 0], // RSA from 25 (young parents aside)
      ['COMPTE_BANCAIRE', 9],
      ['ACCOMPAGNEMENT_SOIN', 6],
      ['REUNIFICATION_FAMILIALE', s.rejoignant ? 0 : 5],
      ['ECHANGE_PERMIS_CONDUIRE', s.age >= 18 ? 5 : 0],
      ['MOBILITE', 5],
      ['DOMICILIATION', 4],
      ['AUTRE', 2],
    ],
    n,
  );
  const span = s.fin - s.jalons.diagnostic;
  return types.map((type) => {
    const row = { id: random.uuid(), parcoursId: s.parcoursId, type, organisme: organisme(random, type, s.departement, commune) };
    // Still to start: only in running parcours, never the first one.
    if (enCours && types.indexOf(type) > 0 && random.chance(0.12)) {
      return { ...row, statut: 'A_ENGAGER', dateDebut: null, dateFin: null };
    }
    // Most procedures are opened in the first three months of the accompaniment.
    const debut = s.jalons.diagnostic + (random.chance(0.7) ? random.int(0, Math.min(span, 90)) : random.int(0, span));
    const [dmin, dmax] = DUREE_DEMARCHE[type];
    const finPrevue = debut + random.int(dmin, dmax);
    let statut: DemarcheDroitRow['statut'];
    let fin: Day | null = null;
    if (finPrevue <= s.fin) {
      statut = random.weighted([['OBTENU', 82], ['ABANDONNE', 6], ['BLOQUE', 12]]);
      if (statut !== 'BLOQUE') fin = finPrevue;
    } else if (!enCours) {
      // The parcours ended first: what was pending stays as it was, or is dropped with it.
      statut = random.weighted([['EN_COURS', 50], ['BLOQUE', 20], ['ABANDONNE', 30]]);
      if (statut === 'ABANDONNE') fin = s.fin;
    } else {
      statut = random.weighted([['EN_COURS', 80], ['BLOQUE', 20]]);
    }
    return { ...row, statut, dateDebut: isoDate(debut), dateFin: fin === null ? null : isoDate(fin) };
  });
}

export interface DroitsLogement {
  dossier: DossierDroitsLogementRow;
  situations: SituationLogementRow[];
  demarches: DemarcheDroitRow[];
  /** Where the person lives now (the commune of the latest housing period). */
  communeActuelle: Commune;
}

/**
 * The Droits & Logement record of a parcours: the dossier opened at the diagnostic, the housing at
 * entry (in the commune of residence), 0–2 later moves for contractualised parcours (exits always
 * end in adapted or ordinary housing), contiguous periods, and 1–5 rights procedures.
 */
export function genererDroitsLogement(random: Random, s: Suivi): DroitsLogement {
  const entree = random.weighted(LOGEMENT_ENTREE);
  const periodes = [{ type: entree, commune: s.residence, debut: s.jalons.diagnostic }];
  const n = nombreDemenagements(random, s, entree);
  const contrat = s.jalons.contrat ?? s.jalons.diagnostic;
  const versSortie = SORTIES.includes(s.statut);
  for (const debut of joursCroissants(random, n, contrat + 20, s.fin)) {
    const precedent = periodes[periodes.length - 1] as (typeof periodes)[number];
    if (categorie(precedent.type) === 'LOGEMENT_AUTONOME') break; // their own home: the end of the path
    const type = logementSuivant(random, precedent.type, s.age, versSortie);
    // Most moves stay in the same town; otherwise, where the housing supply is (weighted by population).
    const commune = random.chance(0.55) ? precedent.commune : drawCommune(random, s.departement);
    periodes.push({ type, commune, debut });
  }
  const situations = chainer<SituationLogementRow>(
    random,
    periodes.map((p) => ({
      debut: p.debut,
      row: {
        id: random.uuid(),
        parcoursId: s.parcoursId,
        categorie: categorie(p.type),
        type: p.type,
        communeInsee: p.commune.code,
        communeNom: p.commune.nom,
        dateDebut: isoDate(p.debut),
        dateFin: null,
      },
    })),
  );
  const communeActuelle = (periodes[periodes.length - 1] as (typeof periodes)[number]).commune;
  return {
    dossier: { parcoursId: s.parcoursId, departement: s.departement, ouvertLe: isoDate(s.jalons.diagnostic) },
    situations,
    demarches: demarches(random, s, communeActuelle),
    communeActuelle,
  };
}

// --- Emploi & Formation ---------------------------------------------------------------------

const NIVEAUX: readonly NiveauCecrl[] = ['NON_LECTEUR_NON_SCRIPTEUR', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

/** Where the path leads for each way a parcours ends (p: share of the 24 months already spent). */
function situationVisee(random: Random, statut: StatutParcours, p: number): CategorieSituationProfessionnelle {
  if (SORTIES.includes(statut)) {
    // Exit requires a situation stabilised for six months: qualifying training, work-study
    // contract, CDD over six months, CDI (seed 000).
    return random.weighted<CategorieSituationProfessionnelle>([
      ['EMPLOI_DURABLE', 44], ['FORMATION_PROFESSIONNELLE', 22], ['ALTERNANCE', 15],
      ['INSERTION_ACTIVITE_ECONOMIQUE', 8], ['ETUDES', 4], ['EMPLOI_COURT', 5], ['SERVICE_CIVIQUE', 2],
    ]);
  }
  switch (statut) {
    case 'FIN_DE_DROITS':
      return random.weighted<CategorieSituationProfessionnelle>([
        ['EMPLOI_COURT', 15], ['INSERTION_ACTIVITE_ECONOMIQUE', 10], ['SANS_ACTIVITE', 40], ['FORMATION_LINGUISTIQUE', 35],
      ]);
    case 'ABANDON':
      return random.weighted<CategorieSituationProfessionnelle>([
        ['EMPLOI_COURT', 12], ['EMPLOI_DURABLE', 4], ['SANS_ACTIVITE', 54], ['FORMATION_LINGUISTIQUE', 30],
      ]);
    case 'EXCLU':
      return random.weighted<CategorieSituationProfessionnelle>([
        ['SANS_ACTIVITE', 70], ['FORMATION_LINGUISTIQUE', 25], ['EMPLOI_COURT', 5],
      ]);
    default:
      // Running accompaniment: language first, then work and training as the months go by.
      return random.weighted<CategorieSituationProfessionnelle>([
        ['SANS_ACTIVITE', 25 - 10 * p], ['FORMATION_LINGUISTIQUE', 35 - 25 * p], ['EMPLOI_COURT', 4 + 12 * p],
        ['EMPLOI_DURABLE', 16 * p], ['FORMATION_PROFESSIONNELLE', 3 + 14 * p], ['ALTERNANCE', 8 * p],
        ['INSERTION_ACTIVITE_ECONOMIQUE', 2 + 8 * p], ['ETUDES', 2 * p], ['SERVICE_CIVIQUE', 3 * p],
      ]);
  }
}

export interface EmploiFormation {
  dossier: DossierEmploiFormationRow;
  situations: SituationProfessionnelleRow[];
  evaluations: EvaluationLangueRow[];
}

/**
 * The Emploi & Formation record of a parcours: the dossier opened at the diagnostic, the situation
 * at entry (no activity, or the CIR French course), a path after the contract towards what the
 * parcours' outcome implies, and a French evaluation at entry, sometimes a later, higher one.
 */
export function genererEmploiFormation(random: Random, s: Suivi): EmploiFormation {
  const { diagnostic, contrat, sortie } = s.jalons;
  const niveau = random.weighted<NiveauCecrl>([
    ['NON_LECTEUR_NON_SCRIPTEUR', 10], ['A1', 40], ['A2', 28], ['B1', 14], ['B2', 6], ['C1', 2],
  ]);
  // The CIR prescribes 100 to 600 hours of French below level A1/A2, 600 for non-readers.
  const heures: EvaluationLangueRow['heuresParcoursCir'] =
    s.cir === null
      ? null
      : niveau === 'NON_LECTEUR_NON_SCRIPTEUR'
        ? random.weighted<400 | 600>([[600, 80], [400, 20]])
        : niveau === 'A1'
          ? random.weighted<100 | 200 | 400 | null>([[400, 25], [200, 35], [100, 25], [null, 15]])
          : niveau === 'A2'
            ? random.weighted<100 | null>([[100, 40], [null, 60]])
            : null;
  const entree: CategorieSituationProfessionnelle = random.chance(heures === null ? 0.2 : 0.55)
    ? 'FORMATION_LINGUISTIQUE'
    : 'SANS_ACTIVITE';

  const etapes: Array<{ categorie: CategorieSituationProfessionnelle; debut: Day }> = [{ categorie: entree, debut: diagnostic }];
  // Nothing moves in the first two weeks after the contract.
  if (contrat !== null && contrat + 15 <= s.fin) {
    const p = Math.min(1, (s.fin - contrat) / 730);
    const visee = situationVisee(random, s.statut, p);
    const lo = contrat + 15;
    // An exit follows soon after the stabilised situation starts; short jobs and service civique
    // are recent, or they would be over already.
    const court = visee === 'EMPLOI_COURT' || visee === 'SERVICE_CIVIQUE';
    const debutVisee =
      sortie !== null && SORTIES.includes(s.statut)
        ? random.int(Math.max(lo, sortie - 150), sortie)
        : random.int(court ? Math.max(lo, s.fin - 170) : lo, s.fin);
    const intermediaires: CategorieSituationProfessionnelle[] = [];
    if (visee !== entree && debutVisee - lo >= 120 && random.chance(0.5)) {
      intermediaires.push(entree === 'SANS_ACTIVITE' ? 'FORMATION_LINGUISTIQUE' : 'EMPLOI_COURT');
    } else if (visee === entree && debutVisee - lo >= 180 && random.chance(0.3)) {
      intermediaires.push('EMPLOI_COURT'); // a short job, then back to where they were
    }
    const jours = joursCroissants(random, intermediaires.length, lo, debutVisee - 1);
    intermediaires.slice(0, jours.length).forEach((categorie, i) => etapes.push({ categorie, debut: jours[i] as Day }));
    if (visee !== etapes[etapes.length - 1]?.categorie && debutVisee >= lo) etapes.push({ categorie: visee, debut: debutVisee });
  }
  const situations = chainer<SituationProfessionnelleRow>(
    random,
    etapes.map((e) => ({
      debut: e.debut,
      row: { id: random.uuid(), parcoursId: s.parcoursId, categorie: e.categorie, dateDebut: isoDate(e.debut), dateFin: null },
    })),
  );

  const evaluations: EvaluationLangueRow[] = [
    { id: random.uuid(), parcoursId: s.parcoursId, niveauCecrl: niveau, dateEvaluation: isoDate(diagnostic), heuresParcoursCir: heures },
  ];
  if (contrat !== null && s.fin - contrat >= 150 && random.chance(0.55)) {
    // Mid-course or exit evaluation: one or two levels up, after the CIR hours and the FLE courses.
    const rang = Math.min(NIVEAUX.indexOf(niveau) + random.int(1, 2), NIVEAUX.indexOf('C1'));
    evaluations.push({
      id: random.uuid(),
      parcoursId: s.parcoursId,
      niveauCecrl: NIVEAUX[rang] as NiveauCecrl,
      dateEvaluation: isoDate(contrat + random.int(120, Math.min(s.fin - contrat, 540))),
      heuresParcoursCir: heures,
    });
  }
  return {
    dossier: { parcoursId: s.parcoursId, departement: s.departement, ouvertLe: isoDate(diagnostic) },
    situations,
    evaluations,
  };
}
