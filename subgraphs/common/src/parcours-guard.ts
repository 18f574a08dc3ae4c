import { GraphQLError } from 'graphql';
import { forbidden, hasRole } from './access';
import { addMonths, compareDates, today, type IsoDate } from './calendar';
import type { Viewer } from './auth';
import { badUserInput, ErrorCode } from './errors';
import type { GatewayClient } from './gateway-client';

/**
 * The statuts in which the domain referents work on a parcours: from the diagnostic (which
 * records the situation at entry) to the end of the accompaniment.
 */
export const STATUTS_ACCOMPAGNEMENT = ['DIAGNOSTIC_REALISE', 'COMMISSION_REALISEE', 'CONTRACTUALISE'] as const;

export interface EtatParcours {
  id: string;
  statut: string;
  departement: string;
  referentDroitsLogement: { id: string } | null;
  referentEmploiFormation: { id: string } | null;
  /** The parcours's own dates, which bound the domains' facts (`verifierDateDuParcours`). */
  dateOrientation?: IsoDate;
  dateSignatureCir?: IsoDate | null;
  dateFinContrat?: IsoDate | null;
}

/** After the contract's end, the follow-up interviews run six months (seed 002: suivis à 3 et 6 mois). */
export const MOIS_DE_SUIVI = 6;

/**
 * Checks a date a domain records against the parcours's own time, naming `field`:
 * - `evenement`: a fact of the accompaniment (a procedure, a barrier, an application), not before
 *   the orientation (or the CIR's signature, when earlier);
 * - every date: not after the contract's end plus the follow-up;
 * - `prevu: false` (the default): something that happened, not after today. A planned step says so
 *   (`prevu: true`) and may be dated later.
 * Returns the date; throws BAD_USER_INPUT saying which bound and the parcours's date.
 */
export function verifierDateDuParcours(etat: EtatParcours, date: IsoDate, field: string, options: { evenement: boolean; prevu?: boolean }): IsoDate {
  const debut = [etat.dateOrientation, etat.dateSignatureCir].filter((d): d is IsoDate => typeof d === 'string').sort()[0];
  if (options.evenement && debut && compareDates(date, debut) < 0) {
    throw badUserInput(`« ${field} » (${date}) est avant l'entrée dans le parcours (${debut}) : un fait de l'accompagnement se date à partir de l'orientation.`, field, { bornes: { debut } });
  }
  const aujourdhui = today();
  if (!options.prevu && compareDates(date, aujourdhui) > 0) {
    throw badUserInput(`« ${field} » (${date}) est dans le futur : on enregistre ce qui a eu lieu, au plus tard aujourd'hui (${aujourdhui}). Une étape prévue s'enregistre comme telle.`, field, { bornes: { fin: aujourdhui } });
  }
  const fin = etat.dateFinContrat ? addMonths(etat.dateFinContrat, MOIS_DE_SUIVI) : null;
  if (fin && compareDates(date, fin) > 0) {
    throw badUserInput(`« ${field} » (${date}) est après la fin de l'accompagnement et de son suivi (${fin}).`, field, { bornes: { fin } });
  }
  return date;
}

/**
 * Asks Coordination (through the gateway, as the caller) for the parcours's statut and
 * département, and refuses a write unless the parcours is in accompaniment. Domain subgraphs call
 * this before every write: they do not keep a copy of the statut that could go stale.
 */
export async function requireParcoursEnAccompagnement(gateway: GatewayClient, parcoursId: string): Promise<EtatParcours> {
  const data = await gateway.query<{ parcours: EtatParcours | null }>('query EtatParcours($id: ID!) { parcours(id: $id) { id statut departement dateOrientation dateSignatureCir dateFinContrat referentDroitsLogement { id } referentEmploiFormation { id } } }', {
    id: parcoursId,
  });
  const parcours = data.parcours;
  if (!parcours) throw new GraphQLError(`Aucun parcours ne porte l'identifiant ${parcoursId}.`, { extensions: { code: ErrorCode.NOT_FOUND } });
  if (!(STATUTS_ACCOMPAGNEMENT as readonly string[]).includes(parcours.statut)) {
    throw new GraphQLError(
      `Le parcours est au statut ${parcours.statut} : ce domaine ne peut être modifié qu'aux statuts ${STATUTS_ACCOMPAGNEMENT.join(', ')}.`,
      { extensions: { code: ErrorCode.STATUT_PARCOURS_INCOMPATIBLE, statut: parcours.statut, statutsPermis: STATUTS_ACCOMPAGNEMENT } },
    );
  }
  return parcours;
}

/**
 * A domain's data is written by that domain's referent in the parcours's binôme, and by no one
 * else (seed 002: "un binôme de référents"; the coordination writes only Coordination data).
 */
export function requireReferentDuBinome(viewer: Viewer, parcours: EtatParcours, domaine: 'DROITS_LOGEMENT' | 'EMPLOI_FORMATION'): void {
  const role = domaine === 'DROITS_LOGEMENT' ? 'REFERENT_DROITS_LOGEMENT' : 'REFERENT_EMPLOI_FORMATION';
  const referent = domaine === 'DROITS_LOGEMENT' ? parcours.referentDroitsLogement : parcours.referentEmploiFormation;
  if (!hasRole(viewer, role)) {
    throw forbidden(`Seul le référent ${domaine === 'DROITS_LOGEMENT' ? 'Droits & Logement' : 'Emploi & Formation'} du binôme modifie ces données (rôle ${role}).`, { requiredRoles: [role] });
  }
  if (!referent || referent.id !== viewer.referentId) {
    throw forbidden("Vous n'êtes pas le référent désigné de ce parcours : seul le binôme désigné par la commission modifie ses données.");
  }
}
