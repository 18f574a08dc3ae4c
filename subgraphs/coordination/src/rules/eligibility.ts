import { addDays, addMonths, ageOn, compareDates, isIsoDate, startOfYear, yearOf, type IsoDate } from '@agir/common';
import { formaterDate } from './format';

/**
 * Eligibility to the AGIR programme (seed 000 "Éligibilité et entrée dans le dispositif", seed 001
 * "Conditions d'accès", seed 002 "Process d'admission").
 *
 * Every criterion is evaluated on its own and answers REMPLI, NON_REMPLI or INCONNU with a French
 * reason a referent can read out: a fact that is not recorded is INCONNU, never guessed either way,
 * so that an incomplete record is completed rather than refused.
 *
 * Seed 000 lists three alternative ways in ("voies"), and conditions common to all of them:
 * - BPI: "Bénéficiaire d'une Protection Internationale (BPI), majeur ou mineur de plus de 16 ans,
 *   et signataire du contrat d'intégration républicaine (CIR)", with the protection obtained
 *   "depuis le 1er janvier de l'année N-1" (seed 001);
 * - REJOIGNANT: "rejoignant de BPI éligible (conjoint, enfants mineurs ou parents de BPI) même si la
 *   personne n'a pas elle-même le statut de BPI";
 * - INSTRUCTION_PREFET: "de façon exceptionnelle, sur instruction du représentant de l'Etat et en
 *   accord avec l'OFII, tout public spécifique en instance d'obtenir ou ayant obtenu le bénéfice de
 *   la protection internationale" (seed 001).
 * Common to all: domiciled AND habitually resident in the département (seed 000), "sans emploi
 * durable et/ou sans logement pérenne" (seed 002), volunteer (seed 000).
 */

/** The two forms of international protection (seed 001 "réfugiés ou ... protection subsidiaire"). */
export type TypeProtection = 'REFUGIE' | 'PROTECTION_SUBSIDIAIRE';

/** The family links that make a "rejoignant" (seed 000 "conjoint, enfants mineurs ou parents de BPI"). */
export type LienRejoignant = 'CONJOINT' | 'ENFANT_MINEUR' | 'PARENT';

/** The answer of one criterion. */
export type StatutCritere = 'REMPLI' | 'NON_REMPLI' | 'INCONNU';

/** The overall answer: INCONNU when nothing is refused but something is not known. */
export type Eligible = 'OUI' | 'NON' | 'INCONNU';

/** The way into the programme the evaluation followed (the three bullets of seed 000). */
export type VoieEligibilite = 'BPI' | 'REJOIGNANT' | 'INSTRUCTION_PREFET';

/** Every criterion, in the order they are reported. */
export const CRITERES_ELIGIBILITE = [
  'STATUT_PROTECTION',
  'DATE_PROTECTION',
  'AGE',
  'CIR_SIGNE',
  'LIEN_REJOIGNANT',
  'INSTRUCTION_PREFET',
  'DOMICILIATION',
  'RESIDENCE_HABITUELLE',
  'SANS_EMPLOI_OU_LOGEMENT_DURABLE',
  'VOLONTARIAT',
] as const;

export type CritereEligibilite = (typeof CRITERES_ELIGIBILITE)[number];

/** The age from which a BPI may enter (seed 000 "majeur ou mineur de plus de 16 ans"). */
export const AGE_MINIMUM_BPI = 16;

/** The age of majority: a rejoignant child must be under it (seed 000 "enfants mineurs"). */
export const AGE_MAJORITE = 18;

/**
 * What is known of a person. Every field may be null or absent: it then means "not recorded".
 * `protection: 'AUCUNE'` records that the person is known to hold no protection (for example an
 * asylum seeker), which is a refusal on the BPI way, whereas null is only "not recorded".
 */
export interface PersonneEligibilite {
  protection?: TypeProtection | 'AUCUNE' | null;
  dateObtentionProtection?: IsoDate | null;
  dateNaissance?: IsoDate | null;
  cirSigne?: boolean | null;
  dateSignatureCir?: IsoDate | null;
  domicilieDansDepartement?: boolean | null;
  resideHabituellementDansDepartement?: boolean | null;
  logementDurable?: boolean | null;
  emploiDurable?: boolean | null;
  volontaire?: boolean | null;
  /** Set when the person enters as the family of a BPI; `bpi` is the BPI's own record. */
  rejoignant?: { lien: LienRejoignant | null; bpi: PersonneEligibilite | null } | null;
  /** Set for the exceptional entry on the prefect's instruction. */
  instructionPrefet?: { reference: string | null; accordOfii: boolean | null } | null;
}

/** One criterion's answer and the reason, in French, with the dates involved. */
export interface EvaluationCritere {
  critere: CritereEligibilite;
  statut: StatutCritere;
  raison: string;
}

/** The evaluation of a person on a date. */
export interface ResultatEligibilite {
  eligible: Eligible;
  voie: VoieEligibilite;
  criteres: EvaluationCritere[];
  /** For a rejoignant: the evaluation of the linked BPI, so that a refusal can be traced to it. */
  evaluationBpi?: ResultatEligibilite;
}

/**
 * Evaluates whether `personne` is eligible to AGIR on `dateEvaluation` ('YYYY-MM-DD'), the year
 * of that date being the year N of seed 001. The way in is chosen from what the record says: an
 * `instructionPrefet` makes it the exceptional way, else a `rejoignant` link the family way, else
 * the BPI way. The answer is NON as soon as one criterion is NON_REMPLI, INCONNU when none is
 * refused but one is not known, OUI when all are met. Throws a TypeError on a malformed date, as
 * a date that cannot be read is a defect of the caller, not an unknown fact.
 */
export function evaluerEligibilite(personne: PersonneEligibilite, dateEvaluation: IsoDate): ResultatEligibilite {
  verifierDates(personne, dateEvaluation);
  if (personne.instructionPrefet) {
    // Seed 001: the prefect's instruction (with OFII's agreement) opens the programme to "tout public
    // spécifique en instance d'obtenir ou ayant obtenu" protection: it stands for the whole BPI
    // bullet (status, date, age, CIR: a person still awaiting protection has no CIR), not for the
    // conditions common to every way in.
    const criteres = [critereInstructionPrefet(personne.instructionPrefet), ...criteresCommuns(personne, true)];
    return { eligible: conclure(criteres), voie: 'INSTRUCTION_PREFET', criteres };
  }
  if (personne.rejoignant) {
    // Seed 000: the rejoignant is eligible "même si la personne n'a pas elle-même le statut de BPI":
    // the link to an eligible BPI replaces the BPI bullet (status, date, age, CIR). The age limit of
    // 16 belongs to that bullet; applying it here would contradict "enfants mineurs".
    const { critere, evaluationBpi } = critereLien(personne, personne.rejoignant, dateEvaluation);
    const criteres = [critere, ...criteresCommuns(personne, true)];
    const resultat: ResultatEligibilite = { eligible: conclure(criteres), voie: 'REJOIGNANT', criteres };
    if (evaluationBpi) resultat.evaluationBpi = evaluationBpi;
    return resultat;
  }
  const criteres = [...criteresBpi(personne, dateEvaluation), ...criteresCommuns(personne, true)];
  return { eligible: conclure(criteres), voie: 'BPI', criteres };
}

/**
 * The date on which a person born on `dateNaissance` reaches `age` completed years, consistent
 * with `ageOn` (someone born on 29 February turns a year older on 1 March in a common year).
 */
export function dateAnniversaire(dateNaissance: IsoDate, age: number): IsoDate {
  const candidate = addMonths(dateNaissance, 12 * age);
  return ageOn(dateNaissance, candidate) < age ? addDays(candidate, 1) : candidate;
}

function verifierDates(personne: PersonneEligibilite, dateEvaluation: IsoDate): void {
  const dates: [string, IsoDate | null | undefined][] = [
    ['dateEvaluation', dateEvaluation],
    ['dateObtentionProtection', personne.dateObtentionProtection],
    ['dateNaissance', personne.dateNaissance],
    ['dateSignatureCir', personne.dateSignatureCir],
  ];
  for (const [name, value] of dates) {
    if (value != null && !isIsoDate(value)) throw new TypeError(`${name}: expected a calendar date 'YYYY-MM-DD', received '${value}'`);
  }
}

function conclure(criteres: EvaluationCritere[]): Eligible {
  if (criteres.some((c) => c.statut === 'NON_REMPLI')) return 'NON';
  if (criteres.some((c) => c.statut === 'INCONNU')) return 'INCONNU';
  return 'OUI';
}

function criteresBpi(personne: PersonneEligibilite, dateEvaluation: IsoDate): EvaluationCritere[] {
  return [
    critereStatutProtection(personne.protection),
    critereDateProtection(personne.dateObtentionProtection, dateEvaluation),
    critereAge(personne.dateNaissance, dateEvaluation),
    critereCir(personne.cirSigne, personne.dateSignatureCir, dateEvaluation),
  ];
}

function criteresCommuns(personne: PersonneEligibilite, avecVolontariat: boolean): EvaluationCritere[] {
  const criteres = [
    critereDomiciliation(personne.domicilieDansDepartement),
    critereResidence(personne.domicilieDansDepartement, personne.resideHabituellementDansDepartement),
    critereSituation(personne.logementDurable, personne.emploiDurable),
  ];
  if (avecVolontariat) criteres.push(critereVolontariat(personne.volontaire));
  return criteres;
}

function critereStatutProtection(protection: PersonneEligibilite['protection']): EvaluationCritere {
  const critere = 'STATUT_PROTECTION';
  if (protection === 'REFUGIE') return { critere, statut: 'REMPLI', raison: 'La personne est reconnue réfugiée : elle est bénéficiaire de la protection internationale (BPI).' };
  if (protection === 'PROTECTION_SUBSIDIAIRE') return { critere, statut: 'REMPLI', raison: 'La personne bénéficie de la protection subsidiaire : elle est bénéficiaire de la protection internationale (BPI).' };
  if (protection === 'AUCUNE') {
    return {
      critere,
      statut: 'NON_REMPLI',
      raison: "La personne ne bénéficie d'aucune protection internationale (ni statut de réfugié, ni protection subsidiaire) ; elle pourrait entrer comme rejoignante d'un BPI ou, exceptionnellement, sur instruction du représentant de l'État.",
    };
  }
  return { critere, statut: 'INCONNU', raison: "Le type de protection (réfugié ou protection subsidiaire) n'est pas renseigné." };
}

function critereDateProtection(date: IsoDate | null | undefined, dateEvaluation: IsoDate): EvaluationCritere {
  const critere = 'DATE_PROTECTION';
  const annee = yearOf(dateEvaluation);
  // Seed 001: "ayant obtenu le bénéfice de la protection internationale depuis le 1er janvier de
  // l'année N-1", N being the year of the evaluation; the bound itself is accepted.
  const seuil = startOfYear(annee - 1);
  const regle = `le programme est ouvert aux personnes protégées depuis le 1er janvier de l'année N-1, soit depuis le ${formaterDate(seuil)} pour une évaluation en ${annee}`;
  if (date == null) return { critere, statut: 'INCONNU', raison: `La date d'obtention de la protection n'est pas renseignée ; ${regle}.` };
  if (compareDates(date, dateEvaluation) > 0) {
    return {
      critere,
      statut: 'NON_REMPLI',
      raison: `La protection est datée du ${formaterDate(date)}, après la date d'évaluation (${formaterDate(dateEvaluation)}) : elle n'était pas encore obtenue à cette date.`,
    };
  }
  if (compareDates(date, seuil) >= 0) return { critere, statut: 'REMPLI', raison: `Protection obtenue le ${formaterDate(date)} ; ${regle}.` };
  return { critere, statut: 'NON_REMPLI', raison: `Protection obtenue le ${formaterDate(date)}, avant le ${formaterDate(seuil)} ; ${regle}.` };
}

function critereAge(dateNaissance: IsoDate | null | undefined, dateEvaluation: IsoDate): EvaluationCritere {
  const critere = 'AGE';
  // Seed 000: "majeur ou mineur de plus de 16 ans". Read as 16 completed years on the evaluation
  // date (the age from which the CIR itself is signed), so a person is eligible from their 16th
  // birthday on; seed 001 ("majeurs et mineurs") sets no other bound.
  if (dateNaissance == null) return { critere, statut: 'INCONNU', raison: `La date de naissance n'est pas renseignée ; il faut avoir au moins ${AGE_MINIMUM_BPI} ans révolus.` };
  const age = ageOn(dateNaissance, dateEvaluation);
  const ne = `Née le ${formaterDate(dateNaissance)}, la personne a ${age} an${age > 1 ? 's' : ''} au ${formaterDate(dateEvaluation)}`;
  if (age >= AGE_MINIMUM_BPI) return { critere, statut: 'REMPLI', raison: `${ne} ; il faut avoir au moins ${AGE_MINIMUM_BPI} ans révolus.` };
  return {
    critere,
    statut: 'NON_REMPLI',
    raison: `${ne} ; il faut avoir au moins ${AGE_MINIMUM_BPI} ans révolus, ce qui sera le cas le ${formaterDate(dateAnniversaire(dateNaissance, AGE_MINIMUM_BPI))}.`,
  };
}

function critereCir(signe: boolean | null | undefined, date: IsoDate | null | undefined, dateEvaluation: IsoDate): EvaluationCritere {
  const critere = 'CIR_SIGNE';
  if (signe === false && date != null) {
    return { critere, statut: 'INCONNU', raison: `Le dossier indique un CIR non signé mais une date de signature (${formaterDate(date)}) : l'information est contradictoire et doit être vérifiée.` };
  }
  if (signe === false) return { critere, statut: 'NON_REMPLI', raison: "Le contrat d'intégration républicaine (CIR) n'est pas signé ; sa signature est une condition d'entrée." };
  if (date != null) {
    if (compareDates(date, dateEvaluation) > 0) {
      return {
        critere,
        statut: 'NON_REMPLI',
        raison: `Le CIR est signé le ${formaterDate(date)}, après la date d'évaluation (${formaterDate(dateEvaluation)}) : il n'était pas encore signé à cette date.`,
      };
    }
    return { critere, statut: 'REMPLI', raison: `Contrat d'intégration républicaine (CIR) signé le ${formaterDate(date)}.` };
  }
  if (signe === true) return { critere, statut: 'REMPLI', raison: "Contrat d'intégration républicaine (CIR) signé (date de signature non renseignée)." };
  return { critere, statut: 'INCONNU', raison: "La signature du contrat d'intégration républicaine (CIR) n'est pas renseignée." };
}

const LIBELLE_LIEN: Record<LienRejoignant, string> = {
  CONJOINT: 'conjoint ou conjointe',
  ENFANT_MINEUR: 'enfant mineur',
  PARENT: 'parent',
};

function critereLien(
  personne: PersonneEligibilite,
  rejoignant: NonNullable<PersonneEligibilite['rejoignant']>,
  dateEvaluation: IsoDate,
): { critere: EvaluationCritere; evaluationBpi?: ResultatEligibilite } {
  const critere = 'LIEN_REJOIGNANT';
  const { lien, bpi } = rejoignant;
  const raisons: string[] = [];
  const statuts: StatutCritere[] = [];

  if (lien == null) {
    statuts.push('INCONNU');
    raisons.push("Le lien avec le BPI n'est pas renseigné (conjoint, enfant mineur ou parent).");
  } else if (lien === 'ENFANT_MINEUR') {
    // Seed 000 "enfants mineurs": the child must be under 18 on the evaluation date.
    if (personne.dateNaissance == null) {
      statuts.push('INCONNU');
      raisons.push("Enfant d'un BPI, mais sa date de naissance n'est pas renseignée : il faut être mineur (moins de 18 ans).");
    } else {
      const age = ageOn(personne.dateNaissance, dateEvaluation);
      const majorite = formaterDate(dateAnniversaire(personne.dateNaissance, AGE_MAJORITE));
      if (age < AGE_MAJORITE) {
        statuts.push('REMPLI');
        raisons.push(`Enfant mineur d'un BPI : ${age} an${age > 1 ? 's' : ''} au ${formaterDate(dateEvaluation)} (majeur le ${majorite}).`);
      } else {
        statuts.push('NON_REMPLI');
        raisons.push(`Enfant d'un BPI, mais majeur depuis le ${majorite} (${age} ans au ${formaterDate(dateEvaluation)}) ; seuls les enfants mineurs sont rejoignants. Un enfant majeur BPI peut entrer à son propre titre.`);
      }
    }
  } else {
    statuts.push('REMPLI');
    raisons.push(`${capitaliser(LIBELLE_LIEN[lien])} d'un BPI.`);
  }

  let evaluationBpi: ResultatEligibilite | undefined;
  if (bpi == null) {
    statuts.push('INCONNU');
    raisons.push("Le dossier du BPI rejoint n'est pas renseigné : son éligibilité ne peut pas être vérifiée.");
  } else {
    // Seed 000 "rejoignant de BPI éligible": the BPI is evaluated on the BPI way only (a rejoignant of
    // a rejoignant, or of a person entered on the prefect's instruction, is not the family of an
    // eligible BPI). The BPI's own volunteering is left out: seed 000 asks "les personnes éligibles"
    // to be volunteers, so volunteering is a condition of entry, not of being an eligible BPI; the
    // family may enter even when the BPI does not take up the programme himself.
    verifierDates(bpi, dateEvaluation);
    const criteres = [...criteresBpi(bpi, dateEvaluation), ...criteresCommuns(bpi, false)];
    evaluationBpi = { eligible: conclure(criteres), voie: 'BPI', criteres };
    if (evaluationBpi.eligible === 'OUI') {
      statuts.push('REMPLI');
      raisons.push('Le BPI rejoint est éligible.');
    } else {
      const refuse = evaluationBpi.eligible === 'NON';
      const enCause = evaluationBpi.criteres.filter((c) => c.statut === (refuse ? 'NON_REMPLI' : 'INCONNU'));
      const detail = enCause.map((c) => `${c.critere} : ${c.raison}`).join(' ');
      if (refuse) {
        statuts.push('NON_REMPLI');
        raisons.push(`Le BPI rejoint n'est pas éligible. ${detail}`);
      } else {
        statuts.push('INCONNU');
        raisons.push(`L'éligibilité du BPI rejoint n'est pas établie. ${detail}`);
      }
    }
  }

  const statut: StatutCritere = statuts.includes('NON_REMPLI') ? 'NON_REMPLI' : statuts.includes('INCONNU') ? 'INCONNU' : 'REMPLI';
  const resultat: { critere: EvaluationCritere; evaluationBpi?: ResultatEligibilite } = { critere: { critere, statut, raison: raisons.join(' ') } };
  if (evaluationBpi) resultat.evaluationBpi = evaluationBpi;
  return resultat;
}

function critereInstructionPrefet(instruction: NonNullable<PersonneEligibilite['instructionPrefet']>): EvaluationCritere {
  const critere = 'INSTRUCTION_PREFET';
  const reference = instruction.reference?.trim() ? instruction.reference.trim() : null;
  const ref = reference ? ` (référence ${reference})` : '';
  // Seed 001: "sur instruction du représentant de l'Etat et en accord avec l'OFII": both are needed.
  if (instruction.accordOfii === false) {
    return {
      critere,
      statut: 'NON_REMPLI',
      raison: `Instruction du représentant de l'État${ref} sans accord de l'OFII : l'entrée exceptionnelle exige l'instruction du représentant de l'État et l'accord de l'OFII.`,
    };
  }
  if (reference == null) {
    return { critere, statut: 'INCONNU', raison: "La référence de l'instruction du représentant de l'État n'est pas renseignée ; l'entrée exceptionnelle exige cette instruction et l'accord de l'OFII." };
  }
  if (instruction.accordOfii == null) {
    return { critere, statut: 'INCONNU', raison: `Instruction du représentant de l'État${ref} : l'accord de l'OFII, également exigé, n'est pas renseigné.` };
  }
  return { critere, statut: 'REMPLI', raison: `Entrée exceptionnelle sur instruction du représentant de l'État${ref}, avec l'accord de l'OFII.` };
}

function critereDomiciliation(domicilie: boolean | null | undefined): EvaluationCritere {
  const critere = 'DOMICILIATION';
  if (domicilie === true) return { critere, statut: 'REMPLI', raison: 'La personne est domiciliée dans le département.' };
  if (domicilie === false) return { critere, statut: 'NON_REMPLI', raison: "La personne n'est pas domiciliée dans le département ; il faut y être domicilié et y résider habituellement." };
  return { critere, statut: 'INCONNU', raison: "La domiciliation dans le département n'est pas renseignée." };
}

function critereResidence(domicilie: boolean | null | undefined, reside: boolean | null | undefined): EvaluationCritere {
  const critere = 'RESIDENCE_HABITUELLE';
  if (reside === true) return { critere, statut: 'REMPLI', raison: 'La personne réside habituellement dans le département.' };
  if (reside === false) {
    // Seed 000: "Une simple domiciliation administrative ne suffit pas."
    const raison =
      domicilie === true
        ? "La personne est domiciliée dans le département mais n'y réside pas habituellement : une simple domiciliation administrative ne suffit pas."
        : "La personne ne réside pas habituellement dans le département ; il faut y être domicilié et y résider habituellement.";
    return { critere, statut: 'NON_REMPLI', raison };
  }
  return {
    critere,
    statut: 'INCONNU',
    raison: "La résidence habituelle dans le département n'est pas renseignée ; une simple domiciliation administrative ne suffit pas, elle doit être vérifiée.",
  };
}

function critereSituation(logement: boolean | null | undefined, emploi: boolean | null | undefined): EvaluationCritere {
  const critere = 'SANS_EMPLOI_OU_LOGEMENT_DURABLE';
  // Seed 002: "Sans emploi durable et/ou sans logement pérenne": only a person who already has both
  // is outside the programme's public; lacking either one is enough.
  const regle = "le programme s'adresse aux personnes sans emploi durable et/ou sans logement pérenne";
  if (logement === true && emploi === true) {
    return { critere, statut: 'NON_REMPLI', raison: `La personne dispose déjà d'un logement pérenne et d'un emploi durable ; ${regle}.` };
  }
  if (logement === false && emploi === false) return { critere, statut: 'REMPLI', raison: 'La personne est sans logement pérenne et sans emploi durable.' };
  if (logement === false) {
    return { critere, statut: 'REMPLI', raison: `La personne est sans logement pérenne (emploi durable : ${emploi === true ? 'oui' : 'non renseigné'}) ; ${regle}.` };
  }
  if (emploi === false) {
    return { critere, statut: 'REMPLI', raison: `La personne est sans emploi durable (logement pérenne : ${logement === true ? 'oui' : 'non renseigné'}) ; ${regle}.` };
  }
  const inconnus = [logement == null ? 'le logement' : null, emploi == null ? "l'emploi" : null].filter(Boolean).join(' et ');
  return { critere, statut: 'INCONNU', raison: `La situation de la personne n'est pas entièrement renseignée (${inconnus}) ; ${regle}.` };
}

function critereVolontariat(volontaire: boolean | null | undefined): EvaluationCritere {
  const critere = 'VOLONTARIAT';
  // Seed 000: "Les personnes éligibles doivent être volontaires pour intégrer le programme."
  if (volontaire === true) return { critere, statut: 'REMPLI', raison: 'La personne est volontaire pour intégrer le programme.' };
  if (volontaire === false) return { critere, statut: 'NON_REMPLI', raison: "La personne n'est pas volontaire ; l'entrée dans le programme suppose son accord." };
  return { critere, statut: 'INCONNU', raison: "Le volontariat de la personne n'est pas recueilli." };
}

function capitaliser(texte: string): string {
  return texte.charAt(0).toUpperCase() + texte.slice(1);
}
