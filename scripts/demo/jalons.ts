import type { StatutParcours } from '../../subgraphs/coordination/src/entities';
import { addMonths, day, isoDate, type Day } from './dates';
import type { Random } from './random';

/**
 * The programme's calendar rules (DESIGN.md §1, seeds 000–002) turned into dates: when a parcours
 * reaches each stage, and which statut a parcours has on a given day. Shared by the random parcours
 * and the vignettes so that both obey the same rules.
 */

/** Every statut, in the order of the state machine (the coordination migration's CHECK). */
export const STATUTS: readonly StatutParcours[] = [
  'ORIENTE',
  'CONVOQUE',
  'DIAGNOSTIC_REALISE',
  'COMMISSION_REALISEE',
  'CONTRACTUALISE',
  'SORTI',
  'SUIVI_3_MOIS',
  'SUIVI_6_MOIS',
  'CLOS',
  'REFUS_CONTRACTUALISATION',
  'ABANDON',
  'EXCLU',
  'FIN_DE_DROITS',
];

/** The exits of a completed parcours, followed up at 3 and 6 months. */
export const SORTIES: readonly StatutParcours[] = ['SORTI', 'SUIVI_3_MOIS', 'SUIVI_6_MOIS', 'CLOS'];

/** First OFII orientations: CIR signed in early January 2023, a week before the centres opened. */
export const PREMIERES_ORIENTATIONS: Day = day('2023-01-02');
/** Seed 000: "le démarrage effectif des activités a débuté le 10 janvier 2023". No diagnostic before. */
export const DEMARRAGE: Day = day('2023-01-10');

/** No contract can be signed before the first diagnostics, commissions and contract appointments. */
const PREMIER_CONTRAT: Day = DEMARRAGE + 20;

/** The dated stages of a parcours; null where the parcours has not (or never) reached the stage. */
export interface Jalons {
  orientation: Day;
  diagnostic: Day | null;
  commission: Day | null;
  contrat: Day | null;
  /** End of the parcours: exit, end of rights, abandonment, exclusion or refusal of the contract. */
  sortie: Day | null;
}

/** The accompaniment lasts 24 months at most from the contract. */
export function finDeDroits(contrat: Day): Day {
  return addMonths(contrat, 24);
}

/**
 * The statut of an exited parcours on `today`: SORTI until the 3-month follow-up, SUIVI_3_MOIS
 * until the 6-month one, SUIVI_6_MOIS for the month after it (the time to write it up), then CLOS.
 */
export function statutApresSortie(sortie: Day, today: Day): StatutParcours {
  if (today < addMonths(sortie, 3)) return 'SORTI';
  if (today < addMonths(sortie, 6)) return 'SUIVI_3_MOIS';
  if (today < addMonths(sortie, 7)) return 'SUIVI_6_MOIS';
  return 'CLOS';
}

// Delays between stages. Most are kept; a few are late, as in any real programme (the dashboards
// measure exactly that: "deadlines kept or missed").

/** Orientation (CIR signature for OFII) to diagnostic: "dans le mois"; about one in eight is late. */
function delaiDiagnostic(random: Random): number {
  return random.chance(0.88) ? random.int(5, 30) : random.int(31, 55);
}
/** Diagnostic to commission d'attribution: a week or two. */
function delaiCommission(random: Random): number {
  return random.int(6, 15);
}
/** Commission to contract: "sous 3 semaines"; one in ten is late. */
function delaiContrat(random: Random): number {
  return random.chance(0.9) ? random.int(3, 21) : random.int(22, 40);
}

function between(random: Random, lo: Day, hi: Day): Day | null {
  return lo > hi ? null : random.int(lo, hi);
}

function fromDiagnostic(random: Random, diagnostic: Day): Jalons {
  return { orientation: diagnostic - delaiDiagnostic(random), diagnostic, commission: null, contrat: null, sortie: null };
}
function fromCommission(random: Random, commission: Day): Jalons {
  return { ...fromDiagnostic(random, commission - delaiCommission(random)), commission };
}
function fromContrat(random: Random, contrat: Day): Jalons {
  return { ...fromCommission(random, contrat - delaiContrat(random)), contrat };
}

/** One attempt at dating a parcours that has `statut` on `today`; null if it does not fit. */
function attempt(random: Random, statut: StatutParcours, today: Day): Jalons | null {
  const monthsAgo = (n: number): Day => addMonths(today, -n);
  // Ends are spread over the last 30 months: the programme's own age, seen from a recent today.
  const finRecente = (): Day | null => between(random, Math.max(DEMARRAGE + 15, monthsAgo(30)), today);
  switch (statut) {
    case 'ORIENTE': {
      const orientation = between(random, Math.max(PREMIERES_ORIENTATIONS, today - 14), today);
      return orientation === null ? null : { orientation, diagnostic: null, commission: null, contrat: null, sortie: null };
    }
    case 'CONVOQUE': {
      // Appointment booked, diagnostic still ahead; a few have waited more than a month.
      const orientation = random.chance(0.9) ? between(random, today - 30, today - 1) : between(random, today - 50, today - 31);
      return orientation === null ? null : { orientation, diagnostic: null, commission: null, contrat: null, sortie: null };
    }
    case 'DIAGNOSTIC_REALISE': {
      const d = random.chance(0.9) ? between(random, today - 14, today) : between(random, today - 28, today - 15);
      return d === null ? null : fromDiagnostic(random, d);
    }
    case 'COMMISSION_REALISEE': {
      const c = random.chance(0.9) ? between(random, today - 21, today) : between(random, today - 40, today - 22);
      return c === null ? null : fromCommission(random, c);
    }
    case 'CONTRACTUALISE': {
      const contrat = between(random, Math.max(monthsAgo(24) + 1, PREMIER_CONTRAT), today);
      return contrat === null ? null : fromContrat(random, contrat);
    }
    case 'SORTI':
    case 'SUIVI_3_MOIS':
    case 'SUIVI_6_MOIS':
    case 'CLOS': {
      const window: Record<string, [Day, Day]> = {
        SORTI: [today - 91, today],
        SUIVI_3_MOIS: [today - 183, today - 89],
        SUIVI_6_MOIS: [today - 214, today - 180],
        CLOS: [Math.max(DEMARRAGE + 240, monthsAgo(30)), today - 210],
      };
      const [lo, hi] = window[statut] as [Day, Day];
      const sortie = between(random, lo, hi);
      if (sortie === null || statutApresSortie(sortie, today) !== statut) return null;
      // Exit needs six months of stabilised work or training: accompaniments of 8 to 23 months.
      const contrat = between(random, Math.max(PREMIER_CONTRAT, sortie - 700), sortie - 240);
      if (contrat === null || sortie >= finDeDroits(contrat)) return null;
      return { ...fromContrat(random, contrat), sortie };
    }
    case 'FIN_DE_DROITS': {
      const contrat = between(random, PREMIER_CONTRAT, monthsAgo(24));
      return contrat === null ? null : { ...fromContrat(random, contrat), sortie: finDeDroits(contrat) };
    }
    case 'ABANDON': {
      // The person may stop at any time: mostly during the accompaniment, some before the contract.
      const sortie = finRecente();
      if (sortie === null) return null;
      const stage = random.weighted([['contrat', 65], ['commission', 10], ['diagnostic', 25]] as const);
      if (stage === 'diagnostic') return { ...fromDiagnostic(random, sortie - random.int(1, 20)), sortie };
      if (stage === 'commission') return { ...fromCommission(random, sortie - random.int(1, 20)), sortie };
      const contrat = between(random, Math.max(PREMIER_CONTRAT, sortie - 600), sortie - 15);
      return contrat !== null && sortie < finDeDroits(contrat) ? { ...fromContrat(random, contrat), sortie } : null;
    }
    case 'EXCLU': {
      // Two housing refusals, violence, non-adherence: decided after some months of accompaniment.
      const sortie = finRecente();
      if (sortie === null) return null;
      const contrat = between(random, Math.max(PREMIER_CONTRAT, sortie - 540), sortie - 90);
      return contrat !== null && sortie < finDeDroits(contrat) ? { ...fromContrat(random, contrat), sortie } : null;
    }
    case 'REFUS_CONTRACTUALISATION': {
      // Refused at the contract appointment that follows the commission; the refusal date ends it.
      const sortie = finRecente();
      return sortie === null ? null : { ...fromCommission(random, sortie - delaiContrat(random)), sortie };
    }
  }
}

function fits(j: Jalons, today: Day): boolean {
  const dates = [j.orientation, j.diagnostic, j.commission, j.contrat, j.sortie].filter((d): d is Day => d !== null);
  return (
    j.orientation >= PREMIERES_ORIENTATIONS &&
    (j.diagnostic === null || j.diagnostic >= DEMARRAGE) &&
    dates.every((d, i) => d <= today && (i === 0 || d >= (dates[i - 1] as Day)))
  );
}

/** Where a statut that cannot be dated on `today` (too close to the programme's start) falls back. */
const REPLI: Partial<Record<StatutParcours, StatutParcours>> = {
  SORTI: 'CONTRACTUALISE',
  SUIVI_3_MOIS: 'CONTRACTUALISE',
  SUIVI_6_MOIS: 'CONTRACTUALISE',
  CLOS: 'CONTRACTUALISE',
  FIN_DE_DROITS: 'CONTRACTUALISE',
  EXCLU: 'CONTRACTUALISE',
  ABANDON: 'CONTRACTUALISE',
  REFUS_CONTRACTUALISATION: 'COMMISSION_REALISEE',
  CONTRACTUALISE: 'COMMISSION_REALISEE',
  COMMISSION_REALISEE: 'DIAGNOSTIC_REALISE',
  DIAGNOSTIC_REALISE: 'CONVOQUE',
  CONVOQUE: 'ORIENTE',
};

/**
 * Dates a parcours so that it has `wanted` as its statut on `today`, every stage respecting the
 * programme's delays and nothing after `today`. When `today` is too close to January 2023 for that
 * statut (e.g. no FIN_DE_DROITS before 2025), falls back to an earlier stage; ORIENTE always fits.
 */
export function drawJalons(random: Random, wanted: StatutParcours, today: Day): { statut: StatutParcours; jalons: Jalons } {
  let statut: StatutParcours | undefined = wanted;
  while (statut) {
    for (let i = 0; i < 12; i += 1) {
      const jalons = attempt(random, statut, today);
      if (jalons && fits(jalons, today)) return { statut, jalons };
    }
    statut = REPLI[statut];
  }
  // Only reachable when today is before the first orientations; index.ts refuses such a today.
  return { statut: 'ORIENTE', jalons: { orientation: today, diagnostic: null, commission: null, contrat: null, sortie: null } };
}

/** The parcours row's date columns for these stages (null where not reached). */
export function colonnesDates(j: Jalons): {
  dateOrientation: string;
  dateDiagnostic: string | null;
  dateCommission: string | null;
  dateContrat: string | null;
  dateSortie: string | null;
} {
  const iso = (d: Day | null): string | null => (d === null ? null : isoDate(d));
  return {
    dateOrientation: isoDate(j.orientation),
    dateDiagnostic: iso(j.diagnostic),
    dateCommission: iso(j.commission),
    dateContrat: iso(j.contrat),
    dateSortie: iso(j.sortie),
  };
}

/**
 * The last day the coordination touched the parcours: its latest stage, or the latest follow-up
 * interview (3 and 6 months after exit) and the closing a month later. Feeds `modifie_le`.
 */
export function derniereModification(j: Jalons, statut: StatutParcours, today: Day): Day {
  const jours = [j.orientation, j.diagnostic, j.commission, j.contrat, j.sortie].filter((d): d is Day => d !== null);
  if (j.sortie !== null && SORTIES.includes(statut)) {
    for (const mois of [3, 6, 7]) {
      const suivi = addMonths(j.sortie, mois);
      if (suivi <= today) jours.push(suivi);
    }
  }
  return Math.max(...jours);
}
