import { badUserInput, toConnection, today, type Connection } from '@agir/common';
import { activitesDomaines, instantane, refusLogement } from '../alertes';
import type { ParcoursRow } from '../entities';
import type { CoordinationContext } from '../loaders';
import { alertes, echeances, type CodeAlerte } from '../rules';

/**
 * A caseload list whose filter or order needs the programme's rules, not only columns: a deadline
 * before a day, an alert raised today, the next deadline first, the oldest activity first. The
 * parcours the SQL filter lets through are judged with the same rules and facts as `alertes`
 * (Coordination's loaders, a batch per table, and the domains' activity and housing refusals
 * through the gateway only when the filter or the order needs them), then sorted and paged by
 * position. Its cost grows with the filtered list, as the alert list's does with the département.
 */

export type TriParcours = 'ORIENTATION_RECENTE' | 'PROCHAINE_ECHEANCE' | 'DERNIERE_ACTIVITE';

export interface CriteresCalcules {
  echeanceAvant: string | null;
  alerte: CodeAlerte[] | null;
  tri: TriParcours;
}

/** Whether the list needs the rules (otherwise the SQL keyset page answers). */
export const besoinDesRegles = (c: CriteresCalcules) => c.echeanceAvant != null || c.alerte != null || c.tri !== 'ORIENTATION_RECENTE';

interface Juge {
  p: ParcoursRow;
  prochaine: string | null;
  activite: string | null;
}

export async function listeCalculee(ctx: CoordinationContext, rows: ParcoursRow[], c: CriteresCalcules, limit: number, after: unknown[] | null): Promise<Connection<ParcoursRow>> {
  let debut = 0;
  if (after) {
    const [marque, position] = after;
    if (marque !== 'rang' || !Number.isInteger(position) || (position as number) < 0) {
      throw badUserInput('Le curseur « after » ne vient pas de cette liste : reprenez pageInfo.endCursor de la page précédente, avec les mêmes filtre et tri.', 'after');
    }
    debut = (position as number) + 1;
  }
  const aujourdhui = today();
  for (const row of rows) ctx.loaders.parcours.prime(row.id, row);
  const ids = rows.map((r) => r.id);
  const besoinActivite = c.tri === 'DERNIERE_ACTIVITE' || (c.alerte?.includes('SANS_ACTIVITE') ?? false);
  const besoinRefus = c.alerte?.includes('EXCLUSION_POSSIBLE') ?? false;
  const [activites, refus] = await Promise.all([
    besoinActivite ? activitesDomaines(ctx, ids, aujourdhui) : Promise.resolve(null),
    besoinRefus ? refusLogement(ctx, rows.filter((r) => r.statut === 'CONTRACTUALISE').map((r) => r.id)) : Promise.resolve(null),
  ]);
  // Every row's facts in the same tick: the loaders read each table once for the whole list.
  const etats = await Promise.all(rows.map((p) => instantane(ctx, p, refus?.refus ? (refus.refus.get(p.id) ?? 0) : null, activites?.dates.get(p.id) ?? [])));
  const juges: Juge[] = [];
  for (const [i, p] of rows.entries()) {
    const etat = etats[i]!;
    const ouvertes = echeances(etat, aujourdhui).filter((e) => e.etat === 'A_VENIR' || e.etat === 'EN_RETARD');
    const prochaine = ouvertes.map((e) => e.dateEcheance).sort()[0] ?? null;
    if (c.echeanceAvant && !(prochaine && prochaine <= c.echeanceAvant)) continue;
    if (c.alerte && !alertes(etat, aujourdhui).some((a) => c.alerte!.includes(a.code))) continue;
    juges.push({ p, prochaine, activite: etat.dateDerniereActivite ?? null });
  }
  // Ties keep the list's own order (most recent orientation first).
  if (c.tri === 'PROCHAINE_ECHEANCE') juges.sort((a, b) => (a.prochaine ?? '9999').localeCompare(b.prochaine ?? '9999'));
  if (c.tri === 'DERNIERE_ACTIVITE') juges.sort((a, b) => (a.activite ?? '').localeCompare(b.activite ?? ''));
  const page = juges.slice(debut, debut + limit + 1).map((j) => j.p);
  const position = new Map(page.map((p, i) => [p.id, debut + i]));
  return toConnection(page, limit, juges.length, (p) => ['rang', position.get(p.id)]);
}
