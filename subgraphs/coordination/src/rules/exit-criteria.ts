import { compareDates, isIsoDate, type IsoDate } from '@agir/common';
import { formaterDate } from './format';

/**
 * The exit criteria of seed 000: "La sortie du dispositif survient lorsque le bénéficiaire dispose
 * d'un logement pérenne dans lequel l'installation pourra se faire de façon durable et autonome ou
 * bien d'un logement temporaire (résidence sociale, FJT ou IML) et lorsque la situation
 * professionnelle du BPI est stabilisée pour une durée de six mois minimum (formation qualifiante ou
 * certifiante, contrat en alternance, CDD de plus de six mois, CDI)."
 *
 * The facts come from the two domains through the gateway: housing from Droits & Logement,
 * the professional situation from Emploi & Formation. Each domain judges its own fact (is this
 * housing pérenne? is this situation stabilised?); this rule combines them. A domain that is down or
 * has nothing recorded gives INCONNU, never REMPLI, so that nobody leaves the programme on a guess.
 */

/** One exit criterion. */
export type CritereSortie = 'LOGEMENT' | 'SITUATION_PROFESSIONNELLE';

/** The domain that holds the fact a criterion is judged on. */
export type SourceCritereSortie = 'DROITS_LOGEMENT' | 'EMPLOI_FORMATION';

export type StatutCritereSortie = 'REMPLI' | 'NON_REMPLI' | 'INCONNU';

/** The types of temporary housing seed 000 accepts ("résidence sociale, FJT ou IML"). */
export const LOGEMENTS_TEMPORAIRES_ACCEPTES = ['RESIDENCE_SOCIALE', 'FJT', 'IML'] as const;

/**
 * The current housing, as Droits & Logement reports it: its category and type (the enums of that
 * subgraph), whether it is pérenne (`durable`), whether it is one of the accepted temporary kinds
 * (`temporaireAccepte`), and since when.
 */
export interface LogementSortie {
  categorie: string | null;
  type: string | null;
  durable: boolean | null;
  temporaireAccepte: boolean | null;
  depuis: IsoDate | null;
}

/**
 * The current professional situation, as Emploi & Formation reports it: its category, whether that
 * domain judges it stabilised for six months at least, and since when.
 */
export interface SituationProfessionnelleSortie {
  categorie: string | null;
  stabilise: boolean | null;
  depuis: IsoDate | null;
}

export interface FaitsSortie {
  logement: LogementSortie | null;
  professionnel: SituationProfessionnelleSortie | null;
  /**
   * Optional: the date of the assessment. When given, a housing or a situation that only starts
   * after it is not yet held (NON_REMPLI).
   */
  aujourdhui?: IsoDate | null;
}

export interface EvaluationCritereSortie {
  critere: CritereSortie;
  statut: StatutCritereSortie;
  source: SourceCritereSortie;
  raison: string;
}

export interface ResultatCriteresSortie {
  /** True only when both criteria are REMPLI. */
  rempli: boolean;
  criteres: EvaluationCritereSortie[];
}

const LIBELLE_TYPE: Record<string, string> = {
  RESIDENCE_SOCIALE: 'résidence sociale',
  FJT: 'foyer de jeunes travailleurs (FJT)',
  IML: 'intermédiation locative (IML)',
  PENSION_DE_FAMILLE: 'pension de famille',
  PARC_SOCIAL: 'logement du parc social',
  PARC_PRIVE: 'logement du parc privé',
};

const LIBELLE_CATEGORIE_PRO: Record<string, string> = {
  SANS_ACTIVITE: 'sans activité',
  FORMATION_LINGUISTIQUE: 'formation linguistique',
  FORMATION_PROFESSIONNELLE: 'formation professionnelle',
  ETUDES: 'études',
  EMPLOI_COURT: 'emploi court (CDD de six mois ou moins, intérim)',
  EMPLOI_DURABLE: 'emploi durable (CDI, CDD de plus de six mois)',
  ALTERNANCE: 'contrat en alternance',
  INSERTION_ACTIVITE_ECONOMIQUE: "insertion par l'activité économique",
  SERVICE_CIVIQUE: 'service civique',
};

/**
 * Whether a beneficiary meets the exit criteria of seed 000: housing (pérenne, or temporary in a
 * résidence sociale, FJT or IML) AND a professional situation stabilised for six months at least.
 * `rempli` is true only when both are REMPLI; each criterion says which domain its fact came from
 * and why it is met, not met or unknown.
 */
export function criteresSortie(faits: FaitsSortie): ResultatCriteresSortie {
  const aujourdhui = faits.aujourdhui ?? null;
  for (const [nom, valeur] of [
    ['aujourdhui', aujourdhui],
    ['logement.depuis', faits.logement?.depuis],
    ['professionnel.depuis', faits.professionnel?.depuis],
  ] as const) {
    if (valeur != null && !isIsoDate(valeur)) throw new TypeError(`${nom}: expected a calendar date 'YYYY-MM-DD', received '${valeur}'`);
  }
  const criteres = [critereLogement(faits.logement, aujourdhui), critereProfessionnel(faits.professionnel, aujourdhui)];
  return { rempli: criteres.every((c) => c.statut === 'REMPLI'), criteres };
}

function critereLogement(logement: LogementSortie | null, aujourdhui: IsoDate | null): EvaluationCritereSortie {
  const base = { critere: 'LOGEMENT', source: 'DROITS_LOGEMENT' } as const;
  const regle = 'il faut un logement pérenne, ou un logement temporaire en résidence sociale, FJT ou IML';
  if (logement == null) {
    return { ...base, statut: 'INCONNU', raison: `La situation de logement n'est pas connue (domaine Droits & Logement indisponible ou sans donnée) ; ${regle}.` };
  }
  const quoi = logement.type ? (LIBELLE_TYPE[logement.type] ?? logement.type) : (logement.categorie ?? 'logement de type non renseigné');
  const depuis = logement.depuis ? ` depuis le ${formaterDate(logement.depuis)}` : '';
  if (logement.durable === true || logement.temporaireAccepte === true) {
    if (aujourdhui != null && logement.depuis != null && compareDates(logement.depuis, aujourdhui) > 0) {
      return { ...base, statut: 'NON_REMPLI', raison: `Le logement (${quoi}) ne commence que le ${formaterDate(logement.depuis)}, après le ${formaterDate(aujourdhui)} ; ${regle}.` };
    }
    const nature = logement.durable === true ? 'logement pérenne' : 'logement temporaire accepté (résidence sociale, FJT ou IML)';
    return { ...base, statut: 'REMPLI', raison: `La personne dispose d'un ${nature} : ${quoi}${depuis}.` };
  }
  if (logement.durable === false && logement.temporaireAccepte === false) {
    return { ...base, statut: 'NON_REMPLI', raison: `Le logement actuel (${quoi}${depuis}) n'est ni pérenne ni un logement temporaire accepté ; ${regle}.` };
  }
  return { ...base, statut: 'INCONNU', raison: `Le logement actuel (${quoi}${depuis}) n'est pas qualifié (pérenne ou temporaire accepté) par le domaine Droits & Logement ; ${regle}.` };
}

function critereProfessionnel(situation: SituationProfessionnelleSortie | null, aujourdhui: IsoDate | null): EvaluationCritereSortie {
  const base = { critere: 'SITUATION_PROFESSIONNELLE', source: 'EMPLOI_FORMATION' } as const;
  const regle =
    'il faut une situation professionnelle stabilisée pour six mois au moins (formation qualifiante ou certifiante, contrat en alternance, CDD de plus de six mois, CDI)';
  if (situation == null) {
    return { ...base, statut: 'INCONNU', raison: `La situation professionnelle n'est pas connue (domaine Emploi & Formation indisponible ou sans donnée) ; ${regle}.` };
  }
  const quoi = situation.categorie ? (LIBELLE_CATEGORIE_PRO[situation.categorie] ?? situation.categorie) : 'situation non précisée';
  const depuis = situation.depuis ? ` depuis le ${formaterDate(situation.depuis)}` : '';
  // Seed 000 "stabilisée pour une durée de six mois minimum" with "CDD de plus de six mois" as an
  // example: the six months are the expected duration of the situation, not time already spent in
  // it, so a CDI signed last week counts. Emploi & Formation makes that judgment (`stabilise`).
  if (situation.stabilise === true) {
    if (aujourdhui != null && situation.depuis != null && compareDates(situation.depuis, aujourdhui) > 0) {
      return { ...base, statut: 'NON_REMPLI', raison: `La situation professionnelle (${quoi}) ne commence que le ${formaterDate(situation.depuis)}, après le ${formaterDate(aujourdhui)} ; ${regle}.` };
    }
    return { ...base, statut: 'REMPLI', raison: `Situation professionnelle stabilisée pour six mois au moins : ${quoi}${depuis}.` };
  }
  if (situation.stabilise === false) {
    return { ...base, statut: 'NON_REMPLI', raison: `La situation professionnelle (${quoi}${depuis}) n'est pas stabilisée pour six mois au moins ; ${regle}.` };
  }
  return { ...base, statut: 'INCONNU', raison: `La situation professionnelle (${quoi}${depuis}) n'est pas qualifiée (stabilisée ou non) par le domaine Emploi & Formation ; ${regle}.` };
}
