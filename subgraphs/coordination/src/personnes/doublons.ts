import { badUserInput, ErrorCode, parseId } from '@agir/common';
import { GraphQLError } from 'graphql';
import type { EntityManager } from 'typeorm';
import type { CanalOrientation, StatutParcours } from '../entities';
import type { CoordinationContext } from '../loaders';
import { AVANT_SORTIE } from '../rules';
import { exigerDossierDuPerimetre, fusionnerEtJournaliser } from './fusion';
import type { IdentiteComparee, ParcoursConnu, PersonneCandidate } from './personnes-store';

/**
 * Knowing a person once, at every entry (OFII orientation and its batch, validated fiche de
 * liaison, prefect's instruction). Seed 002: « Tout refus d'engagement contractuel ou arrêt est
 * définitif » — a person whose earlier parcours ended in REFUS_CONTRACTUALISATION or ABANDON does
 * not re-enter under a new OFII number, except on the instruction of the State's representative.
 * A likely duplicate is never decided silently: the caller answers with `doublon`, either "the
 * same person as this record" (the new identity is merged into it) or "a different person" (the
 * records set aside are written to the parcours's history).
 */

/** The ends of a parcours after which the person may not enter again (seed 002). */
export const FINS_DEFINITIVES: readonly StatutParcours[] = ['REFUS_CONTRACTUALISATION', 'ABANDON'];

const LIBELLE_FIN: Partial<Record<StatutParcours, string>> = { REFUS_CONTRACTUALISATION: 'un refus de contractualisation', ABANDON: 'un abandon' };

export interface DecisionDoublon {
  memePersonneQue?: string | null;
  personneDistincte?: boolean | null;
}

/** What an entry does about the records it resembles. */
export interface PersonneConnue {
  /** The record the new identity is merged into ("the same person"), or null. */
  memePersonneQue: string | null;
  /** The likely duplicates the caller declared to be other people (for the history). */
  ecartes: string[];
}

const decrire = (p: ParcoursConnu) => `parcours ${p.parcoursId} (${p.departement}, ${p.statut}, orienté le ${p.dateOrientation}${p.dateFin ? `, terminé le ${p.dateFin}` : ''})`;

function definitif(parcours: ParcoursConnu, field: string): GraphQLError {
  return new GraphQLError(
    `Un parcours antérieur de cette personne s'est terminé par ${LIBELLE_FIN[parcours.statut] ?? parcours.statut} : ${decrire(parcours)}. ` +
      "Tout refus d'engagement contractuel ou arrêt est définitif ; seule une instruction du représentant de l'État permet une nouvelle entrée. " +
      `Si ce n'est pas la même personne, répondez « ${field}.personneDistincte: true ».`,
    { extensions: { code: ErrorCode.PARCOURS_ANTERIEUR_DEFINITIF, field, parcoursAnterieur: { id: parcours.parcoursId, departement: parcours.departement, statut: parcours.statut, dateOrientation: parcours.dateOrientation, dateFin: parcours.dateFin } } },
  );
}

function doublonProbable(candidats: PersonneCandidate[], parcours: ParcoursConnu[], field: string): GraphQLError {
  const doublons = candidats.map((c) => ({
    beneficiaireId: c.beneficiaireId,
    score: c.score,
    parcours: parcours.filter((p) => p.beneficiaireId === c.beneficiaireId).map((p) => ({ id: p.parcoursId, departement: p.departement, statut: p.statut, dateOrientation: p.dateOrientation })),
  }));
  const liste = doublons.map((d) => `dossier ${d.beneficiaireId}${d.parcours.length ? ` (${d.parcours.map((p) => `parcours ${p.id}, ${p.departement}, ${p.statut}`).join(' ; ')})` : ''}`).join(' ; ');
  return new GraphQLError(
    `Cette personne ressemble à ${doublons.length === 1 ? 'un dossier déjà connu' : `${doublons.length} dossiers déjà connus`} : ${liste}. ` +
      `Comparez-les (rechercherBeneficiaires, Beneficiaire.doublonsProbables), puis répondez par « ${field}.memePersonneQue » (l'identifiant du dossier de la même personne) ou « ${field}.personneDistincte: true ».`,
    { extensions: { code: ErrorCode.DOUBLON_PROBABLE, field, doublons } },
  );
}

/**
 * Checks an entry against the records already held (all of them, whatever the département: a
 * person may have been followed elsewhere), before anything is written. Refuses with
 * PARCOURS_ANTERIEUR_DEFINITIF (unless `canal` is PREFET) or DOUBLON_PROBABLE, or a BAD_USER_INPUT
 * naming `field` for a `doublon` answer that does not hold.
 */
export async function verifierPersonneConnue(
  ctx: CoordinationContext,
  identite: IdentiteComparee,
  decision: DecisionDoublon | null | undefined,
  options: { canal: CanalOrientation; field: string; /** The entry's own record, when it exists already (a fiche de liaison's). */ exclu?: string; m?: EntityManager },
): Promise<PersonneConnue> {
  const { canal, field } = options;
  const meme = decision?.memePersonneQue == null ? null : parseId(decision.memePersonneQue, `${field}.memePersonneQue`);
  const distincte = decision?.personneDistincte === true;
  if (meme && distincte) {
    throw badUserInput(`« ${field} » répond soit « memePersonneQue », soit « personneDistincte », pas les deux.`, field);
  }
  const store = ctx.stores.personnes;
  const candidats = (await store.doublons([{ ...identite, cle: options.exclu ?? 'entree' }], null, 10, options.m));
  const ids = [...new Set([...candidats.map((c) => c.beneficiaireId), ...(meme ? [meme] : [])])];
  const parcours = await store.parcoursConnus(ids, options.m);
  const definitifDe = (beneficiaireId: string) => parcours.find((p) => p.beneficiaireId === beneficiaireId && FINS_DEFINITIVES.includes(p.statut));

  if (meme) {
    const siens = parcours.filter((p) => p.beneficiaireId === meme);
    await exigerDossierDuPerimetre(ctx, meme, `${field}.memePersonneQue`, options.m);
    const anterieur = definitifDe(meme);
    if (anterieur && canal !== 'PREFET') throw definitif(anterieur, field);
    const enCours = siens.find((p) => AVANT_SORTIE.includes(p.statut));
    if (enCours) {
      throw badUserInput(`Cette personne est déjà accompagnée : ${decrire(enCours)}. Une nouvelle entrée attend la fin de ce parcours.`, `${field}.memePersonneQue`, { parcoursEnCours: enCours.parcoursId });
    }
    return { memePersonneQue: meme, ecartes: candidats.map((c) => c.beneficiaireId).filter((id) => id !== meme) };
  }
  if (distincte) return { memePersonneQue: null, ecartes: candidats.map((c) => c.beneficiaireId) };
  if (canal !== 'PREFET') {
    const anterieur = candidats.map((c) => definitifDe(c.beneficiaireId)).find((p) => p !== undefined);
    if (anterieur) throw definitif(anterieur, field);
  }
  if (candidats.length > 0) throw doublonProbable(candidats, parcours, field);
  return { memePersonneQue: null, ecartes: [] };
}

/** The history's note for an entry that set likely duplicates aside or joined a known record. */
export function noteDoublons(p: PersonneConnue): string | null {
  if (p.memePersonneQue) return `même personne que le dossier ${p.memePersonneQue}`;
  if (p.ecartes.length) return `personne distincte des dossiers ${p.ecartes.join(', ')} (doublons probables écartés)`;
  return null;
}

/**
 * After an entry answered "the same person as `memePersonneQue`": the new record (and the parcours
 * just created on it) is merged into the known one, in the entry's transaction, and journalled.
 */
export async function rattacherALaPersonne(ctx: CoordinationContext, m: EntityManager, connue: PersonneConnue, nouveauId: string, entree: string): Promise<void> {
  if (connue.memePersonneQue) await fusionnerEtJournaliser(ctx, m, connue.memePersonneQue, nouveauId, `même personne, déclarée à l'entrée (${entree})`);
}
