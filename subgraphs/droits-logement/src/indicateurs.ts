/**
 * The domain's fields of the federated `Indicateurs` entity (owned by Coordination):
 * `droitsLogement` (the same indicators as the deprecated `Query.indicateursDroitsLogement`, same
 * SQL) and `droitsLogementParMois`, for COORDINATION, ANALYSTE and ADMIN in their départements,
 * under statistical secrecy for analysts (`@agir/common/src/statistical-secrecy`).
 */
import { badUserInput, compareDates, requireDepartement, requireRole, type Role } from '@agir/common';
import { masquerComptes, masquerMesure, masquerTaux, secretStatistiqueApplicable } from '@agir/common/src/statistical-secrecy';
import { dateArgument } from './inputs';
import { indicateursDroitsLogement } from './lectures';
import type { DroitsLogementContext } from './loaders';
import { TYPES_LOGEMENT_DURABLE, TYPES_LOGEMENT_TEMPORAIRE_ACCEPTE } from './rules';
import { IndicateursMoisStore } from './stores/indicateurs-mois-store';

/** The readers of the federated `Indicateurs` (the domain's referents read the deprecated root query only). */
export const LECTEURS_ENTITE: Role[] = ['COORDINATION', 'ANALYSTE', 'ADMIN'];

type Reference = { departement: string; du: unknown; au: unknown };

function verifier(ctx: DroitsLogementContext, ref: Reference) {
  requireRole(ctx.viewer, LECTEURS_ENTITE, 'La lecture des indicateurs Droits & Logement');
  requireDepartement(ctx.viewer, ref.departement);
  const du = dateArgument(ref.du, 'du');
  const au = dateArgument(ref.au, 'au');
  if (compareDates(du, au) > 0) throw badUserInput(`La période commence (${du}) après sa fin (${au}) : indiquez du ≤ au.`, 'au');
  return { du, au };
}

/** The indicators under statistical secrecy when `secret` (each count below 5 null, `masque: true` on its object). */
export function masquerIndicateurs(i: Awaited<ReturnType<typeof indicateursDroitsLogement>>, secret: boolean) {
  return {
    ...i,
    situationsEntree: i.situationsEntree.map((s) => masquerComptes(s, ['nombre'], secret)),
    accesLogement: masquerTaux(i.accesLogement, secret),
    demarches: i.demarches.map((d) => masquerComptes(d, ['nombre'], secret)),
    delaiOuvertureCaf: masquerMesure(i.delaiOuvertureCaf, ['jours'], secret),
    demarchesBloquees: i.demarchesBloquees.map((d) => masquerComptes(d, ['nombre'], secret)),
  };
}

export const indicateursResolvers = {
  __resolveReference: (ref: Reference) => ({ departement: ref.departement, du: ref.du, au: ref.au }),
  async droitsLogement(ref: Reference, _args: unknown, ctx: DroitsLogementContext) {
    verifier(ctx, ref);
    return masquerIndicateurs(await indicateursDroitsLogement(ctx, ref), secretStatistiqueApplicable(ctx.viewer.roles));
  },
  async droitsLogementParMois(ref: Reference, _args: unknown, ctx: DroitsLogementContext) {
    const { du, au } = verifier(ctx, ref);
    const secret = secretStatistiqueApplicable(ctx.viewer.roles);
    const mois = await new IndicateursMoisStore(ctx.dataSource).parMois(ref.departement, du, au, [...TYPES_LOGEMENT_DURABLE, ...TYPES_LOGEMENT_TEMPORAIRE_ACCEPTE]);
    return mois.map((m) => masquerComptes(m, ['entrees', 'entreesLogementSortie', 'droitsObtenus'], secret));
  },
};
