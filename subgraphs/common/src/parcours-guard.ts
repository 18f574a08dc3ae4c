import { GraphQLError } from 'graphql';
import { forbidden, hasRole } from './access';
import type { Viewer } from './auth';
import { ErrorCode } from './errors';
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
}

/**
 * Asks Coordination (through the gateway, as the caller) for the parcours's statut and
 * département, and refuses a write unless the parcours is in accompaniment. Domain subgraphs call
 * this before every write: they do not keep a copy of the statut that could go stale.
 */
export async function requireParcoursEnAccompagnement(gateway: GatewayClient, parcoursId: string): Promise<EtatParcours> {
  const data = await gateway.query<{ parcours: EtatParcours | null }>('query EtatParcours($id: ID!) { parcours(id: $id) { id statut departement referentDroitsLogement { id } referentEmploiFormation { id } } }', {
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
