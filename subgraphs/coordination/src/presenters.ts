import type { AtelierRow, BeneficiaireRow, ConventionRow, FicheLiaisonRow, ParcoursRow, SiteRow, StructureRow, TransitionRow } from './entities';
import type { EligibiliteCalculee } from './eligibilite';
import type { ResolversParentTypes, ResolversTypes } from './generated/resolvers-types';
import type { CoordinationContext } from './loaders';
import type { ResultatEligibilite } from './rules';

/**
 * Rows to the shapes of the API. Objects a type points to (a site, a structure, a parcours) are
 * loaded here through the request's loaders, so a list still costs one batch per level.
 */

/** Loads a row a foreign key points to; a dangling key is a data bug, not the caller's error. */
export async function required<T>(row: Promise<T | null>, what: string, id: string): Promise<T> {
  const value = await row;
  if (value === null) throw new Error(`Integrity: ${what} ${id} is referenced but missing`);
  return value;
}

export const site = (ctx: CoordinationContext, id: string): Promise<SiteRow> => required(ctx.loaders.site.load(id), 'site', id);
export const structure = (ctx: CoordinationContext, id: string): Promise<StructureRow> => required(ctx.loaders.structure.load(id), 'structure', id);
export const beneficiaire = (ctx: CoordinationContext, id: string): Promise<BeneficiaireRow> => required(ctx.loaders.beneficiaire.load(id), 'beneficiaire', id);

export function transition(t: TransitionRow): ResolversTypes['TransitionParcours'] {
  return {
    id: t.id,
    action: t.action as ResolversTypes['ActionParcours'],
    statutAvant: t.statutAvant,
    statutApres: t.statutApres,
    date: t.dateEffet,
    auteur: { id: t.auteurId, nom: t.auteurNom, structureId: t.auteurStructure },
    enregistreLe: t.enregistreLe,
    motif: t.motif,
    reference: t.reference,
  };
}

function resultat(r: ResultatEligibilite, dateEvaluation: string, bpi: BeneficiaireRow | null): ResolversParentTypes['Eligibilite'] {
  return {
    eligible: r.eligible,
    voie: r.voie,
    dateEvaluation,
    criteres: r.criteres.map((c) => ({ critere: c.critere, statut: c.statut, raison: c.raison })),
    evaluationBpi: r.evaluationBpi ? resultat(r.evaluationBpi, dateEvaluation, null) : null,
    bpi,
  };
}

export function eligibilite(e: EligibiliteCalculee): ResolversParentTypes['Eligibilite'] {
  return resultat(e.resultat, e.dateEvaluation, e.bpi);
}

export async function atelier(ctx: CoordinationContext, a: AtelierRow): Promise<ResolversParentTypes['Atelier']> {
  const [s, participants] = await Promise.all([site(ctx, a.siteId), ctx.loaders.participants.load(a.id)]);
  const parcours = await Promise.all(participants.map((p) => required(ctx.loaders.parcours.load(p.parcoursId), 'parcours', p.parcoursId)));
  // Only the participants whose parcours the caller may see are shown: workshops mix départements,
  // and a referent sees its binômes only.
  const acces = await Promise.all(parcours.map((p) => ctx.loaders.acces.load(p.id)));
  const visibles = parcours.filter((p, i) => acces[i] !== null && ctx.viewer.departements.includes(p.departement));
  return { id: a.id, date: a.dateAtelier, site: s, theme: a.theme, intitule: a.intitule, participants: visibles };
}

export async function fiche(ctx: CoordinationContext, f: FicheLiaisonRow): Promise<ResolversParentTypes['FicheLiaison']> {
  const [b, parcours] = await Promise.all([beneficiaire(ctx, f.beneficiaireId), f.parcoursId ? ctx.loaders.parcours.load(f.parcoursId) : Promise.resolve(null)]);
  return {
    id: f.id,
    departement: f.departement,
    statut: f.statut,
    soumiseLe: f.soumiseLe,
    prescripteur: { nom: f.prescripteurNom, structure: f.prescripteurStructure, email: f.prescripteurEmail, telephone: f.prescripteurTelephone, soumisPar: f.soumisePar },
    beneficiaire: b,
    dateSignatureCir: f.dateSignatureCir,
    situation: {
      domicilieDansDepartement: f.domicilieDepartement,
      resideHabituellementDansDepartement: f.resideDepartement,
      logementDurable: f.logementDurable,
      emploiDurable: f.emploiDurable,
      volontaire: f.volontaire,
      accordOfii: null,
    },
    commentaire: f.commentaire,
    dateReponse: f.dateReponse,
    motifRefus: f.motifRefus,
    parcours,
  };
}

export function convention(c: ConventionRow, s: StructureRow): ResolversParentTypes['Convention'] {
  return { id: c.id, structure: s, intitule: c.intitule, etat: c.etat, departement: c.departement, dateSignature: c.dateSignature };
}

export function situationEntree(p: ParcoursRow): ResolversTypes['SituationEntree'] {
  return {
    domicilieDansDepartement: p.domicilieDepartement ?? null,
    resideHabituellementDansDepartement: p.resideDepartement ?? null,
    logementDurable: p.logementDurable ?? null,
    emploiDurable: p.emploiDurable ?? null,
    volontaire: p.volontaire ?? null,
    accordOfii: p.accordOfii ?? null,
  };
}
