/**
 * The domain's fields of the federated `Indicateurs` entity (owned by Coordination):
 * `droitsLogement` (the same indicators as the deprecated `Query.indicateursDroitsLogement`, same
 * SQL) and `droitsLogementParMois`, for COORDINATION, ANALYSTE and ADMIN in their départements,
 * under statistical secrecy for analysts (`@agir/common/src/statistical-secrecy`).
 */
import { badUserInput, compareDates, requireDepartement, requireRole, type Role } from '@agir/common';
import { clesDuMois, masquerMesure, masquerSelon, secretSecondaire, secretStatistiqueApplicable, serieParMois, tauxSelon, type Repartition } from '@agir/common/src/statistical-secrecy';
import { dateArgument } from './inputs';
import { CATEGORIES, indicateursDroitsLogement } from './lectures';
import type { DroitsLogementContext } from './loaders';
import { MOTIFS_BLOCAGE, STATUTS_DEMARCHE, TYPES_DEMARCHE_DROIT, TYPES_LOGEMENT_DURABLE, TYPES_LOGEMENT_TEMPORAIRE_ACCEPTE } from './rules';
import { IndicateursMoisStore } from './stores/indicateurs-mois-store';

/** The readers of the federated `Indicateurs` (the domain's referents read the deprecated root query only). */
export const LECTEURS_ENTITE: Role[] = ['COORDINATION', 'ANALYSTE', 'ADMIN'];

type Reference = { departement: string; du: unknown; au: unknown };

const MESURES_MOIS = ['entrees', 'entreesLogementSortie', 'droitsObtenus'] as const;
/** The blocking motives, and null for the procedures blocked before motives were recorded. */
const MOTIFS = [...MOTIFS_BLOCAGE, null];

function verifier(ctx: DroitsLogementContext, ref: Reference) {
  requireRole(ctx.viewer, LECTEURS_ENTITE, 'La lecture des indicateurs Droits & Logement');
  requireDepartement(ctx.viewer, ref.departement);
  const du = dateArgument(ref.du, 'du');
  const au = dateArgument(ref.au, 'au');
  if (compareDates(du, au) > 0) throw badUserInput(`La période commence (${du}) après sa fin (${au}) : indiquez du ≤ au.`, 'au');
  return { du, au };
}

type IndicateursLus = Awaited<ReturnType<typeof indicateursDroitsLogement>>;

/**
 * The indicators under statistical secrecy when `secret`: each count below 5 null, `masque: true`
 * on its object, and the secondary suppression over the breakdowns (`tableSecret`). Under secrecy,
 * the procedures by type and statut and the blocked ones by type and motive list every pair, zeros
 * included (hidden like any small count): a pair missing from the list would say it is zero.
 */
export function masquerIndicateurs(i: IndicateursLus, secret: boolean) {
  const { entreesSansSituation: _remainder, ...publie } = i;
  const demarche = (type: string, statut: string) => i.demarches.find((d) => d.type === type && d.statut === statut)?.nombre ?? 0;
  const bloquees = (type: string, motif: string | null) => i.demarchesBloquees.find((d) => d.type === type && d.motif === motif)?.nombre ?? 0;
  const masques = secret ? secretSecondaire(...tableSecret(i, demarche, bloquees)) : new Set<string>();
  const demarches = secret ? TYPES_DEMARCHE_DROIT.flatMap((type) => STATUTS_DEMARCHE.map((statut) => ({ type, statut, nombre: demarche(type, statut) }))) : i.demarches;
  const blocages = secret ? TYPES_DEMARCHE_DROIT.flatMap((type) => MOTIFS.map((motif) => ({ type, motif, nombre: bloquees(type, motif) }))) : i.demarchesBloquees;
  return {
    ...publie,
    situationsEntree: i.situationsEntree.map((s) => masquerSelon(s, { nombre: `entree:${s.categorie}` }, masques)),
    accesLogement: tauxSelon(i.accesLogement, { numerateur: 'acces:numerateur', denominateur: 'acces:denominateur' }, masques),
    demarches: demarches.map((d) => masquerSelon(d, { nombre: `demarche:${d.type}:${d.statut}` }, masques)),
    delaiOuvertureCaf: masquerMesure(i.delaiOuvertureCaf, ['jours'], secret),
    demarchesBloquees: blocages.map((d) => masquerSelon(d, { nombre: `bloquee:${d.type}:${d.motif ?? '-'}` }, masques)),
  };
}

/**
 * The domain's counts by key and their breakdowns, for the secondary suppression: the entry
 * situations (with the dossiers opened without one, the remainder, their total is the dossiers
 * opened in the period, which the monthly series adds up), the access rate (the people who did not
 * reach housing are its remainder), the procedures by type and by statut (each row and each
 * column), the blocked ones by motive within each type (their total: the blocked procedures of
 * that type) and by type within each motive.
 */
function tableSecret(i: IndicateursLus, demarche: (type: string, statut: string) => number, bloquees: (type: string, motif: string | null) => number): [Record<string, number>, Repartition[]] {
  const comptes: Record<string, number> = {
    entrees: i.situationsEntree.reduce((s, e) => s + e.nombre, 0) + i.entreesSansSituation,
    'acces:numerateur': i.accesLogement.numerateur,
    'acces:denominateur': i.accesLogement.denominateur,
  };
  for (const s of i.situationsEntree) comptes[`entree:${s.categorie}`] = s.nombre;
  for (const type of TYPES_DEMARCHE_DROIT) {
    for (const statut of STATUTS_DEMARCHE) comptes[`demarche:${type}:${statut}`] = demarche(type, statut);
    for (const motif of MOTIFS) comptes[`bloquee:${type}:${motif ?? '-'}`] = bloquees(type, motif);
  }
  const repartitions: Repartition[] = [
    { total: 'entrees', cellules: CATEGORIES.map((c) => `entree:${c}`), reste: true },
    { total: 'acces:denominateur', cellules: ['acces:numerateur'], reste: true },
    ...TYPES_DEMARCHE_DROIT.map((type) => ({ cellules: STATUTS_DEMARCHE.map((statut) => `demarche:${type}:${statut}`) })),
    ...STATUTS_DEMARCHE.map((statut) => ({ cellules: TYPES_DEMARCHE_DROIT.map((type) => `demarche:${type}:${statut}`) })),
    ...TYPES_DEMARCHE_DROIT.map((type) => ({ total: `demarche:${type}:BLOQUE`, cellules: MOTIFS.map((m) => `bloquee:${type}:${m ?? '-'}`), reste: true })),
    ...MOTIFS.map((m) => ({ cellules: TYPES_DEMARCHE_DROIT.map((type) => `bloquee:${type}:${m ?? '-'}`) })),
  ];
  return [comptes, repartitions];
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
    // Each series is a breakdown of the period's count by month (secondary suppression).
    const masques = secret ? secretSecondaire(...serieParMois(mois, MESURES_MOIS)) : new Set<string>();
    return mois.map((m) => masquerSelon(m, clesDuMois(m.mois, MESURES_MOIS), masques));
  },
};
