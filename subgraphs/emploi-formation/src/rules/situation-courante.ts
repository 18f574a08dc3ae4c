import { addDays, compareDates, type IsoDate } from '@agir/common';
import type { CategorieSituationProfessionnelle, ContratTravailRow, FormationRow, SituationProfessionnelleRow } from '../entities';
import { situationProfessionnelle, type Activite } from './stabilisation';

/**
 * How the situations the referent declares (table `situation_professionnelle`) and the ones
 * computed from contracts and trainings coexist. The rule, the same here and in the indicators'
 * SQL (`stores/indicateurs-store.ts`), for a day D:
 *   1. a contract or training in progress on D → the situation computed by `situationProfessionnelle`
 *      (the most favourable one, stabilised or not), source CALCULEE;
 *   2. else, when a contract or training has already started on or before D → SANS_ACTIVITE,
 *      computed, from the day after the last one ended (contracts and trainings, once recorded,
 *      are the truth of the parcours: a declaration cannot hide that the last contract ended);
 *   3. else the latest situation declared that started on or before D, source DECLAREE (this is how
 *      the situation at entry is recorded, before any contract or training);
 *   4. else nothing is known: null.
 * A declared situation counts as stabilised only for the categories that can only be stabilising
 * (EMPLOI_DURABLE: CDI or CDD of more than six months; ALTERNANCE) and while in progress;
 * FORMATION_PROFESSIONNELLE and ETUDES may or may not be (qualifying or not, diploma or not), so a
 * declaration of them does not count: record the training itself.
 */

export type SourceSituation = 'DECLAREE' | 'CALCULEE';

/** A situation as the API shows it. `id` is the declared row's, or the retained contract's or training's. */
export interface SituationVue extends SituationProfessionnelleRow {
  source: SourceSituation;
  stabilisante: boolean;
  /** When stabilised: the first day of the uninterrupted stabilised run (the rules' `depuis`). */
  depuis: IsoDate | null;
}

/** A contract or training row as the rules module reads it, keeping the row. */
export type ActiviteRow = Activite & { row: ContratTravailRow | FormationRow };

/** Contracts and trainings as activities of the rules module (a training's `diplomante` is read only for UNIVERSITAIRE). */
export function activites(contrats: readonly ContratTravailRow[], formations: readonly FormationRow[]): ActiviteRow[] {
  return [
    ...contrats.map((c) => ({ type: c.type, dateDebut: c.dateDebut, dateFin: c.dateFin, row: c })),
    ...formations.map((f) => ({ type: f.type, dateDebut: f.dateDebut, dateFin: f.dateFin, diplomante: f.diplomante, row: f })),
  ];
}

const DECLAREES_STABILISANTES: readonly CategorieSituationProfessionnelle[] = ['EMPLOI_DURABLE', 'ALTERNANCE'];

/** Whether a declared situation counts as stabilised on `jour` (see the module comment). */
export function declareeStabilisante(s: SituationProfessionnelleRow, jour: IsoDate): boolean {
  return DECLAREES_STABILISANTES.includes(s.categorie) && compareDates(s.dateDebut, jour) <= 0 && (s.dateFin === null || compareDates(jour, s.dateFin) <= 0);
}

/**
 * The situation on `jour` by the rule of this module. `declarees` in any order. `idSansActivite`
 * makes the id of a computed SANS_ACTIVITE period (it has no row of its own) from its first day.
 */
export function situationAuJour(
  declarees: readonly SituationProfessionnelleRow[],
  activitesDuParcours: readonly ActiviteRow[],
  jour: IsoDate,
  idSansActivite: (dateDebut: IsoDate) => string,
): SituationVue | null {
  const commencees = activitesDuParcours.filter((a) => compareDates(a.dateDebut, jour) <= 0);
  if (commencees.length > 0) {
    const calcul = situationProfessionnelle(commencees, jour);
    const retenue = calcul.activiteRetenue as ActiviteRow | null;
    if (retenue) {
      return {
        id: retenue.row.id,
        parcoursId: retenue.row.parcoursId,
        categorie: calcul.categorie,
        dateDebut: retenue.dateDebut,
        dateFin: retenue.dateFin,
        source: 'CALCULEE',
        stabilisante: calcul.stabilise,
        depuis: calcul.depuis,
      };
    }
    // Nothing in progress: every started activity has ended before `jour`.
    const derniereFin = commencees.map((a) => a.dateFin!).reduce((a, b) => (compareDates(a, b) >= 0 ? a : b));
    const suivantes = activitesDuParcours.filter((a) => compareDates(a.dateDebut, jour) > 0).map((a) => a.dateDebut);
    const prochaine = suivantes.length ? suivantes.reduce((a, b) => (compareDates(a, b) <= 0 ? a : b)) : null;
    const dateDebut = addDays(derniereFin, 1);
    return {
      id: idSansActivite(dateDebut),
      parcoursId: commencees[0]!.row.parcoursId,
      categorie: 'SANS_ACTIVITE',
      dateDebut,
      dateFin: prochaine ? addDays(prochaine, -1) : null,
      source: 'CALCULEE',
      stabilisante: false,
      depuis: null,
    };
  }
  const declaree = [...declarees]
    .filter((s) => compareDates(s.dateDebut, jour) <= 0)
    .sort((a, b) => compareDates(b.dateDebut, a.dateDebut))[0];
  if (!declaree) return null;
  const stabilisante = declareeStabilisante(declaree, jour);
  return { ...declaree, source: 'DECLAREE', stabilisante, depuis: stabilisante ? declaree.dateDebut : null };
}
