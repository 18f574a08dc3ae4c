import type {
  BeneficiaireRow,
  CanalOrientation,
  ParcoursRow,
  ReferentRow,
  SiteRow,
  StatutParcours,
  StructureRow,
} from '../../subgraphs/coordination/src/entities';
import type {
  DemarcheDroitRow,
  DossierRow as DossierDroitsLogementRow,
  SituationLogementRow,
} from '../../subgraphs/droits-logement/src/entities';
import type {
  DossierRow as DossierEmploiFormationRow,
  EvaluationLangueRow,
  SituationProfessionnelleRow,
} from '../../subgraphs/emploi-formation/src/entities';
import { drawCommune, type Commune, type Departement } from './communes';
import { day, firstOfJanuary, fullYears, instantOn, isoDate, yearOf, type Day } from './dates';
import { genererComplements, type Complements } from './complements';
import { genererDroitsLogement, genererEmploiFormation, type Suivi } from './domaines';
import { colonnesDates, derniereModification, drawJalons } from './jalons';
import { drawIdentity } from './personnes';
import { apportion, Random } from './random';
import { buildReference, type DemoReferent, type DemoSite, type Reference } from './reference';
import { buildVignettes, VIGNETTES } from './vignettes';

/** Every row of the demo, per database, ready to insert in this order. */
export interface DemoData {
  coordination: {
    structures: StructureRow[];
    sites: SiteRow[];
    referents: ReferentRow[];
    beneficiaires: BeneficiaireRow[];
    parcours: ParcoursRow[];
  };
  droitsLogement: { dossiers: DossierDroitsLogementRow[]; situations: SituationLogementRow[]; demarches: DemarcheDroitRow[] };
  emploiFormation: {
    dossiers: DossierEmploiFormationRow[];
    situations: SituationProfessionnelleRow[];
    evaluations: EvaluationLangueRow[];
  };
  /**
   * The tables added since (history and steps, housing offers, contracts and trainings...),
   * derived from the rows above with a random sequence of their own.
   */
  complements: Complements;
}

export interface GenerateOptions {
  seed: number;
  /** Total number of parcours, the three vignettes included. */
  parcours: number;
  /** `YYYY-MM-DD`: nothing is dated after it, and each statut is the one the parcours has on that day. */
  today: string;
}

/**
 * The mix of statuts on `today`, as in a programme that has run for about two years: most people
 * in accompaniment, a steady flow of new orientations, exits followed up at 3 and 6 months, and a
 * few of each early end. Weights in per cent of the random parcours.
 */
const POIDS_STATUTS: Record<StatutParcours, number> = {
  ORIENTE: 4,
  CONVOQUE: 5,
  DIAGNOSTIC_REALISE: 6,
  COMMISSION_REALISEE: 4,
  CONTRACTUALISE: 47,
  SORTI: 4,
  SUIVI_3_MOIS: 3,
  SUIVI_6_MOIS: 3,
  CLOS: 7,
  REFUS_CONTRACTUALISATION: 3,
  ABANDON: 6,
  EXCLU: 2,
  FIN_DE_DROITS: 6,
};

/** Seed 002: 1,028 people followed in 44 and 227 in 85 after nine months, i.e. about 82 / 18. */
const PART_LOIRE_ATLANTIQUE = 0.8;

/**
 * Generates the whole demo from a seed: reference data, the three vignettes of seed 002, then
 * random parcours up to `parcours`. Pure: no I/O, no clock, no Math.random, so the same options
 * always give the same rows, ids included.
 */
export function generateDemoData(options: GenerateOptions): DemoData {
  const today = day(options.today);
  const random = new Random(options.seed);
  const reference = buildReference(random);
  const data: Omit<DemoData, 'complements'> & { complements?: Complements } = {
    coordination: {
      structures: reference.structures,
      sites: reference.sites.map((s) => s.row),
      referents: reference.referents.map((r) => r.row),
      beneficiaires: [],
      parcours: [],
    },
    droitsLogement: { dossiers: [], situations: [], demarches: [] },
    emploiFormation: { dossiers: [], situations: [], evaluations: [] },
  };

  // The vignettes use no randomness: they are the same whatever the seed.
  buildVignettes(reference, today, data as DemoData);

  const count = options.parcours - Object.keys(VIGNETTES).length;
  const n44 = Math.round(count * PART_LOIRE_ATLANTIQUE);
  const departements = random.shuffle<Departement>([
    ...Array<Departement>(n44).fill('44'),
    ...Array<Departement>(count - n44).fill('85'),
  ]);
  const parStatut = apportion(count, POIDS_STATUTS);
  const statuts = random.shuffle(
    (Object.keys(parStatut) as StatutParcours[]).flatMap((s) => Array<StatutParcours>(parStatut[s]).fill(s)),
  );
  for (let i = 0; i < count; i += 1) {
    genererParcours(random, reference, departements[i] as Departement, statuts[i] as StatutParcours, today, data as DemoData);
  }
  data.complements = genererComplements(options.seed, today, reference, data as DemoData);
  return data as DemoData;
}

/** One random parcours with its beneficiary and, from the diagnostic on, both domain records. */
function genererParcours(
  random: Random,
  reference: Reference,
  departement: Departement,
  statutVoulu: StatutParcours,
  today: Day,
  data: DemoData,
): void {
  const parcoursId = random.uuid();
  const beneficiaireId = random.uuid();
  // Rejoignants (spouse, minor child, parent of a BPI) have no protection of their own.
  const rejoignant = random.chance(0.1);
  const canal: CanalOrientation = rejoignant
    ? random.weighted<CanalOrientation>([['OFII', 95], ['FICHE_LIAISON', 5]])
    : random.weighted<CanalOrientation>([['OFII', 78], ['FICHE_LIAISON', 20], ['PREFET', 2]]);
  const { statut, jalons } = drawJalons(random, statutVoulu, today);
  const { cir, protection, dateProtection } = droitAuProgramme(random, canal, rejoignant, jalons.orientation);

  const identite = drawIdentity(random, cir ?? jalons.orientation, rejoignant);
  const residence = drawCommune(random, departement);
  const site = choisirSite(random, reference.sites, departement, residence);
  const binome =
    jalons.commission === null
      ? { dl: null, ef: null }
      : {
          dl: choisirReferent(random, reference.referents, departement, 'DROITS_LOGEMENT', site),
          ef: choisirReferent(random, reference.referents, departement, 'EMPLOI_FORMATION', site),
        };

  let communeActuelle: Commune = residence;
  if (jalons.diagnostic !== null) {
    const suivi: Suivi = {
      parcoursId,
      departement,
      statut,
      jalons: { ...jalons, diagnostic: jalons.diagnostic },
      fin: jalons.sortie ?? today,
      residence,
      age: fullYears(day(identite.dateNaissance), jalons.diagnostic),
      rejoignant,
      cir,
    };
    const dl = genererDroitsLogement(random, suivi);
    const ef = genererEmploiFormation(random, suivi);
    communeActuelle = dl.communeActuelle;
    data.droitsLogement.dossiers.push(dl.dossier);
    data.droitsLogement.situations.push(...dl.situations);
    data.droitsLogement.demarches.push(...dl.demarches);
    data.emploiFormation.dossiers.push(ef.dossier);
    data.emploiFormation.situations.push(...ef.situations);
    data.emploiFormation.evaluations.push(...ef.evaluations);
  }

  data.coordination.beneficiaires.push({
    id: beneficiaireId,
    ...identite,
    protection,
    dateObtentionProtection: dateProtection === null ? null : isoDate(dateProtection),
    rejoignant,
    communeInsee: communeActuelle.code,
    communeNom: communeActuelle.nom,
  });
  // Recorded during office hours (07:00–15:59 UTC is 08:00–17:59 in Paris, winter or summer).
  const creeLe = instantOn(jalons.orientation, random.int(7, 15), random.int(0, 59));
  const dernier = derniereModification(jalons, statut, today);
  data.coordination.parcours.push({
    id: parcoursId,
    beneficiaireId,
    siteId: site.row.id,
    departement,
    statut,
    canalOrientation: canal,
    ...colonnesDates(jalons),
    dateSignatureCir: cir === null ? null : isoDate(cir),
    referentDroitsLogementId: binome.dl?.row.id ?? null,
    referentEmploiFormationId: binome.ef?.row.id ?? null,
    creeLe,
    modifieLe: dernier === jalons.orientation ? creeLe : instantOn(dernier, random.int(7, 15), random.int(0, 59)),
  });
}

/**
 * CIR and protection dates that make the person eligible: protection obtained since 1 January of
 * the year before the orientation (BPI of year N at CIR signature, BPI of year N-1 through a fiche
 * de liaison, seed 002), CIR signed after the protection. OFII orients at the CIR signature itself;
 * a fiche de liaison comes months later; the prefect's exceptional entries may have no CIR yet and,
 * for half of them, a protection still pending.
 */
function droitAuProgramme(
  random: Random,
  canal: CanalOrientation,
  rejoignant: boolean,
  orientation: Day,
): { cir: Day | null; protection: BeneficiaireRow['protection']; dateProtection: Day | null } {
  const depuis = firstOfJanuary(yearOf(orientation) - 1);
  const typeProtection = (): NonNullable<BeneficiaireRow['protection']> =>
    random.chance(0.68) ? 'REFUGIE' : 'PROTECTION_SUBSIDIAIRE';
  switch (canal) {
    case 'OFII': {
      if (rejoignant) return { cir: orientation, protection: null, dateProtection: null };
      // The CIR is signed one to six months after the protection.
      return { cir: orientation, protection: typeProtection(), dateProtection: Math.max(depuis, orientation - random.int(20, 180)) };
    }
    case 'FICHE_LIAISON': {
      const cir = random.int(depuis + 20, orientation - 30);
      return {
        cir,
        protection: rejoignant ? null : typeProtection(),
        dateProtection: rejoignant ? null : random.int(Math.max(depuis, cir - 150), cir - 15),
      };
    }
    case 'PREFET':
      return random.chance(0.5)
        ? { cir: null, protection: null, dateProtection: null }
        : { cir: null, protection: typeProtection(), dateProtection: random.int(Math.max(depuis, orientation - 200), orientation - 10) };
  }
}

/**
 * The site where a person is followed: one of those serving the arrondissement they live in,
 * centres first, the équipes mobiles for small communes, the antenne of their own town if there
 * is one. Antennes still being set up (EN_COURS) receive nobody yet.
 */
function choisirSite(random: Random, sites: readonly DemoSite[], departement: Departement, commune: Commune): DemoSite {
  const ouverts = sites.filter((s) => s.departement === departement && s.row.etat !== 'EN_COURS');
  const proches = ouverts.filter((s) => s.bassin.includes(commune.arrondissement));
  const poids = (s: DemoSite): number => {
    const base = s.row.type === 'CENTRE' ? 6 : s.row.type === 'ANTENNE' ? 1.5 : commune.population < 5000 ? 2 : 0.3;
    return s.row.communeInsee === commune.code ? base * 4 : base;
  };
  return random.weighted((proches.length > 0 ? proches : ouverts).map((s) => [s, poids(s)] as const));
}

/**
 * A referent of the département for the domain, preferably from the structure that runs the site
 * (a CFP antenne's parcours usually has a CFP referent for Emploi & Formation).
 */
function choisirReferent(
  random: Random,
  referents: readonly DemoReferent[],
  departement: Departement,
  domaine: DemoReferent['domaine'],
  site: DemoSite,
): DemoReferent {
  const pool = referents.filter((r) => r.departement === departement && r.domaine === domaine);
  return random.weighted(pool.map((r) => [r, r.structure === site.structure ? 3 : 1] as const));
}
