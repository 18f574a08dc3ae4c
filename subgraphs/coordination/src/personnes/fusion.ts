import { badUserInput } from '@agir/common';
import type { EntityManager } from 'typeorm';
import type { CoordinationContext } from '../loaders';

/**
 * What a merge and the "same person" answer of an entry share: the record named must be one of
 * the caller's départements (and not merged already), and the merge itself, journalled.
 */

/**
 * Refuses (BAD_USER_INPUT naming `field`) a record outside the caller's départements, answering as
 * for an unknown one and writing the refusal to the audit trail; a record merged already is named
 * by the record it went into, when that one is the caller's.
 */
export async function exigerDossierDuPerimetre(ctx: CoordinationContext, id: string, field: string, m?: EntityManager): Promise<void> {
  const departementDe = async (beneficiaireId: string) => {
    const r = await ctx.loaders.rattachement.load(beneficiaireId);
    return { r, departement: r?.departementParcours ?? r?.departementFiche ?? null };
  };
  // A record merged already has no parcours of its own left.
  const dans = await ctx.stores.personnes.fusionneDansQui(id, m);
  if (dans && ctx.viewer.departements.includes((await departementDe(dans)).departement ?? '')) {
    throw badUserInput(`Le dossier « ${id} » a déjà été fusionné dans le dossier « ${dans} » : donnez celui-ci.`, field, { fusionneDans: dans });
  }
  const { r, departement } = await departementDe(id);
  if (!r || !departement || !ctx.viewer.departements.includes(departement) || dans) {
    ctx.audit.recordRefusal({
      operation: 'WRITE',
      field,
      parcoursId: r?.parcoursId ?? null,
      subject: r?.parcoursId ? null : `beneficiaire:${id}`,
      reason: !r ? 'identifiant de bénéficiaire inconnu' : dans ? `dossier fusionné dans ${dans}` : `dossier du département ${departement ?? 'inconnu'}`,
    });
    throw badUserInput(`Aucun dossier de vos départements ne porte l'identifiant « ${id} » : prenez-le dans rechercherBeneficiaires (ou, à une entrée, dans extensions.doublons de l'erreur DOUBLON_PROBABLE).`, field);
  }
}

/**
 * Merges `absorbeId` into `conserveId` in the caller's transaction (personnes-store.ts `fusionner`)
 * and writes a `fusionnerBeneficiaires` entry, with the reason, to the journal of each parcours
 * that changes hands (or one entry outside any parcours when none does).
 */
export async function fusionnerEtJournaliser(ctx: CoordinationContext, m: EntityManager, conserveId: string, absorbeId: string, motif: string): Promise<void> {
  const r = await ctx.stores.personnes.fusionner(m, conserveId, absorbeId, { motif, auteur: ctx.viewer.userId, auteurStructure: ctx.viewer.structureId });
  const changes = { beneficiaire: { before: absorbeId, after: conserveId }, motif: { before: null, after: motif } };
  for (const parcoursId of r.parcours.length ? r.parcours : [null]) {
    await ctx.audit.recordWrite(m, { action: 'fusionnerBeneficiaires', parcoursId, changes });
  }
}
