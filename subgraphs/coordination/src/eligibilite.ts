import type { BeneficiaireRow, ParcoursRow } from './entities';
import type { CoordinationContext } from './loaders';
import { evaluerEligibilite, type PersonneEligibilite, type ResultatEligibilite } from './rules';

/**
 * Turns what Coordination records (the person's identity, the facts declared at orientation) into
 * the input of the eligibility rule, so that eligibility is always computed, never typed in.
 */

/** The facts declared at orientation, as a parcours or a fiche de liaison holds them. */
export interface FaitsOrientation {
  dateSignatureCir: string | null;
  domicilieDepartement?: boolean | null;
  resideDepartement?: boolean | null;
  logementDurable?: boolean | null;
  emploiDurable?: boolean | null;
  volontaire?: boolean | null;
}

/** A person as the BPI way sees them: their identity plus the facts of their own orientation. */
export function personneDepuis(b: Pick<BeneficiaireRow, 'protection' | 'dateObtentionProtection' | 'dateNaissance'>, faits: FaitsOrientation | null): PersonneEligibilite {
  return {
    protection: b.protection,
    dateObtentionProtection: b.dateObtentionProtection,
    dateNaissance: b.dateNaissance,
    cirSigne: faits?.dateSignatureCir != null ? true : null,
    dateSignatureCir: faits?.dateSignatureCir ?? null,
    domicilieDansDepartement: faits?.domicilieDepartement ?? null,
    resideHabituellementDansDepartement: faits?.resideDepartement ?? null,
    logementDurable: faits?.logementDurable ?? null,
    emploiDurable: faits?.emploiDurable ?? null,
    volontaire: faits?.volontaire ?? null,
  };
}

export interface EligibiliteCalculee {
  resultat: ResultatEligibilite;
  dateEvaluation: string;
  bpi: BeneficiaireRow | null;
}

/**
 * The eligibility of `beneficiaire` with the facts of an orientation, on `date`. A rejoignant is
 * judged through the linked BPI's record (identity, and the facts of the BPI's latest parcours
 * when there is one; otherwise those facts are unknown).
 */
export async function calculerEligibilite(
  ctx: CoordinationContext,
  beneficiaire: BeneficiaireRow,
  faits: FaitsOrientation,
  date: string,
  instructionPrefet: { reference: string | null; accordOfii: boolean | null } | null,
): Promise<EligibiliteCalculee> {
  const personne = personneDepuis(beneficiaire, faits);
  let bpi: BeneficiaireRow | null = null;
  if (instructionPrefet) {
    personne.instructionPrefet = instructionPrefet;
  } else if (beneficiaire.rejoignant) {
    bpi = beneficiaire.bpiBeneficiaireId ? await ctx.loaders.beneficiaire.load(beneficiaire.bpiBeneficiaireId) : null;
    const parcoursBpi: ParcoursRow | null = bpi ? ((await ctx.loaders.parcoursParBeneficiaire.load(bpi.id))[0] ?? null) : null;
    personne.rejoignant = { lien: beneficiaire.lienRejoignant ?? null, bpi: bpi ? personneDepuis(bpi, parcoursBpi) : null };
  }
  return { resultat: evaluerEligibilite(personne, date), dateEvaluation: date, bpi };
}

/** The facts of a parcours row, in the shape above. */
export const faitsDuParcours = (p: ParcoursRow): FaitsOrientation => ({
  dateSignatureCir: p.dateSignatureCir,
  domicilieDepartement: p.domicilieDepartement ?? null,
  resideDepartement: p.resideDepartement ?? null,
  logementDurable: p.logementDurable ?? null,
  emploiDurable: p.emploiDurable ?? null,
  volontaire: p.volontaire ?? null,
});
