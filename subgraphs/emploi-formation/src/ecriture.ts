import { parseId, requireParcoursEnAccompagnement, requireReferentDuBinome, today, type EtatParcours } from '@agir/common';
import type { EntityManager } from 'typeorm';
import type { EmploiFormationContext } from './loaders';
import { EcrituresStore } from './stores/ecritures-store';
import { plusAncienne } from './validation';

/**
 * Every write of the domain goes through here: the parcours must be in accompaniment (asked to
 * Coordination through the gateway, as the caller) and the caller must be the binôme's Emploi &
 * Formation referent; then `valider` checks the input (throwing BAD_USER_INPUT) and `ecrire` runs
 * in one transaction that first opens the domain's dossier, so that a refused or failed write
 * leaves nothing behind. `datesDuFait` are the dates the write records: the dossier's opening day
 * is the earliest date the domain knows of (never after today).
 */
export async function ecrirePourParcours<V, T>(
  ctx: EmploiFormationContext,
  parcoursIdArg: string,
  argument: string,
  valider: (etat: EtatParcours) => V | Promise<V>,
  datesDuFait: (v: V) => Array<string | null>,
  ecrire: (store: EcrituresStore, parcoursId: string, v: V, em: EntityManager) => Promise<T>,
): Promise<T> {
  const parcoursId = parseId(parcoursIdArg, argument);
  const etat = await requireParcoursEnAccompagnement(ctx.gateway, parcoursId);
  requireReferentDuBinome(ctx.viewer, etat, 'EMPLOI_FORMATION');
  const valeur = await valider(etat);
  return ctx.dataSource.transaction(async (em) => {
    const store = new EcrituresStore(em);
    await store.ouvrirDossier(parcoursId, etat.departement, plusAncienne(today(), ...datesDuFait(valeur)));
    return ecrire(store, parcoursId, valeur, em);
  });
}
