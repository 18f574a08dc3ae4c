/**
 * The domain's root queries: the refusal counts Coordination reads for the exclusion alert, and
 * the indicators of a département. Access is checked here; SQL lives in the stores.
 */
import { badUserInput, compareDates, decideAccess, parseId, requireDepartement, requireRole, ruleFor, today, type Role } from '@agir/common';
import { DOMAINE, fieldRules } from './field-rules';
import type { CategorieLogement } from './entities';
import { dateArgument } from './inputs';
import type { DroitsLogementContext } from './loaders';
import { STATUTS_DEMARCHE, TYPES_DEMARCHE_DROIT, TYPES_LOGEMENT_DURABLE, TYPES_LOGEMENT_TEMPORAIRE_ACCEPTE, MOTIFS_BLOCAGE } from './rules';
import { IndicateursStore } from './stores/indicateurs-store';

/** Who may read counts across parcours: the coordination, the referents, the administrators. */
const LECTEURS_REFUS: Role[] = ['COORDINATION', 'ADMIN', 'REFERENT_DROITS_LOGEMENT', 'REFERENT_EMPLOI_FORMATION'];
/** Who may read the indicators of a département (aggregates only). */
const LECTEURS_INDICATEURS: Role[] = ['COORDINATION', 'ANALYSTE', 'ADMIN', 'REFERENT_DROITS_LOGEMENT'];

export const MAX_PARCOURS_REFUS = 500;

/** The five entry categories, in the order of seed 002's chart. */
export const CATEGORIES: CategorieLogement[] = ['SANS_ABRI_HEBERGEMENT_PRECAIRE', 'DNA', 'HEBERGEMENT_TEMPORAIRE', 'LOGEMENT_ACCOMPAGNE_ADAPTE', 'LOGEMENT_AUTONOME'];

/**
 * The CAF rights of the median-delay indicator: family benefits and the RSA, both paid by the CAF
 * (seed 004: "Accès au RSA et prestations familiales").
 */
export const TYPES_DROITS_CAF = ['CAF_PRESTATIONS_FAMILIALES', 'RSA'] as const;

/**
 * One count per requested id the caller may read (in the order asked; 0 for a parcours without
 * refusal or not followed by this domain), in one SQL statement. The count is the field
 * `Parcours.refusPropositionsLogement`, under its rule: the binôme's referents, the coordination
 * of the département; the other ids are left out, as if unknown, and every id is written to the
 * audit trail, read or refused.
 */
export async function refusPropositionsLogement(ctx: DroitsLogementContext, parcoursIds: readonly string[]): Promise<{ parcoursId: string; refus: number }[]> {
  requireRole(ctx.viewer, LECTEURS_REFUS, 'La lecture des refus de propositions de logement');
  if (parcoursIds.length > MAX_PARCOURS_REFUS) {
    throw badUserInput(`Au plus ${MAX_PARCOURS_REFUS} identifiants de parcours par requête, reçu ${parcoursIds.length} : découpez la liste.`, 'parcoursIds');
  }
  const demandes = parcoursIds.map((id) => parseId(id, 'parcoursIds'));
  const ids = [...new Set(demandes)];
  const rule = ruleFor(fieldRules, 'Parcours', 'refusPropositionsLogement')!;
  const acces = await ctx.loaders.acces.loadMany(ids);
  const aujourdhui = today();
  const lisibles = new Set(ids.filter((parcoursId, i) => {
    const a = acces[i];
    if (a instanceof Error) throw a;
    const decision = a ? decideAccess(ctx.viewer, rule, DOMAINE, a, aujourdhui) : { allowed: false, via: null, reason: 'ce parcours est hors de votre périmètre' };
    ctx.audit.recordRead({ parcoursId, field: 'Query.refusPropositionsLogement', allowed: decision.allowed, via: decision.via, reason: decision.allowed ? null : decision.reason });
    return decision.allowed;
  }));
  if (lisibles.size === 0) return [];
  const rows = await ctx.loaders.store.comptesRefus([...lisibles]);
  const parId = new Map(rows.map((r) => [r.parcoursId, r]));
  return demandes.filter((id) => lisibles.has(id)).map((parcoursId) => ({ parcoursId, refus: parId.get(parcoursId)?.refus ?? 0 }));
}

export async function indicateursDroitsLogement(ctx: DroitsLogementContext, args: { departement: string; du: unknown; au: unknown }) {
  requireRole(ctx.viewer, LECTEURS_INDICATEURS, 'La lecture des indicateurs Droits & Logement');
  if (!/^(\d{2}|2A|2B|97\d)$/.test(args.departement)) {
    throw badUserInput(`Code de département invalide : « ${args.departement} ». Indiquez un code comme 44 ou 85.`, 'departement');
  }
  requireDepartement(ctx.viewer, args.departement);
  const du = dateArgument(args.du, 'du');
  const au = dateArgument(args.au, 'au');
  if (compareDates(du, au) > 0) throw badUserInput(`La période commence (${du}) après sa fin (${au}) : indiquez du ≤ au.`, 'au');
  const bruts = await new IndicateursStore(ctx.dataSource).calculer(args.departement, du, au, [...TYPES_LOGEMENT_DURABLE, ...TYPES_LOGEMENT_TEMPORAIRE_ACCEPTE], TYPES_DROITS_CAF);
  const rang = <T>(liste: readonly T[]) => (v: T) => liste.indexOf(v);
  const type = rang<string>(TYPES_DEMARCHE_DROIT);
  const statut = rang<string>(STATUTS_DEMARCHE);
  const motif = (m: string | null) => (m === null ? MOTIFS_BLOCAGE.length : MOTIFS_BLOCAGE.indexOf(m as never));
  const { numerateur, denominateur } = bruts.accesLogement;
  return {
    departement: args.departement,
    du,
    au,
    situationsEntree: CATEGORIES.map((categorie) => ({ categorie, nombre: bruts.situationsEntree.find((s) => s.categorie === categorie)?.nombre ?? 0 })),
    entreesSansSituation: bruts.entreesSansSituation,
    accesLogement: { numerateur, denominateur, taux: denominateur === 0 ? null : numerateur / denominateur },
    demarches: [...bruts.demarches].sort((a, b) => type(a.type) - type(b.type) || statut(a.statut) - statut(b.statut)),
    delaiOuvertureCaf: bruts.delaiOuvertureCaf,
    demarchesBloquees: [...bruts.demarchesBloquees].sort((a, b) => type(a.type) - type(b.type) || motif(a.motif) - motif(b.motif)),
  };
}
