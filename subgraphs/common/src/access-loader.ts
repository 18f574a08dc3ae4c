import DataLoader from 'dataloader';
import type { ParcoursAccess } from './field-rules';
import type { GatewayClient } from './gateway-client';

/** The shape Coordination answers `accesParcours` with (see coordination.graphql). */
interface AccesParcours {
  parcoursId: string;
  departement: string;
  referentDroitsLogementId: string | null;
  referentEmploiFormationId: string | null;
  anciensReferents: { referentId: string; jusquAu: string }[];
  consentementDroitsLogement: boolean;
  consentementEmploiFormation: boolean;
  orientePar: string | null;
  accesExceptionnel: boolean;
}

export const ACCES_PARCOURS_QUERY = `query AccesParcours($ids: [ID!]!) {
  accesParcours(ids: $ids) {
    parcoursId departement referentDroitsLogementId referentEmploiFormationId
    anciensReferents { referentId jusquAu }
    consentementDroitsLogement consentementEmploiFormation orientePar accesExceptionnel
  }
}`;

/**
 * A domain subgraph's per-request loader of the access facts of parcours (département, binôme,
 * consent, grants), asked of Coordination through the gateway on the caller's behalf: all the
 * parcours of one tick in one call. Coordination leaves out the parcours the caller may not see,
 * so a missing entry means "no access".
 */
export function accessLoader(gateway: GatewayClient): DataLoader<string, ParcoursAccess | null> {
  return new DataLoader<string, ParcoursAccess | null>(
    async (ids) => {
      const data = await gateway.query<{ accesParcours: AccesParcours[] }>(ACCES_PARCOURS_QUERY, { ids: [...ids] });
      const byId = new Map(data.accesParcours.map((a) => [a.parcoursId, a]));
      return ids.map((id) => {
        const a = byId.get(id);
        if (!a) return null;
        return {
          parcoursId: a.parcoursId,
          departement: a.departement,
          binome: { DROITS_LOGEMENT: a.referentDroitsLogementId, EMPLOI_FORMATION: a.referentEmploiFormationId },
          formerReferents: a.anciensReferents.map((r) => ({ referentId: r.referentId, until: r.jusquAu })),
          consent: { DROITS_LOGEMENT: a.consentementDroitsLogement, EMPLOI_FORMATION: a.consentementEmploiFormation },
          orientedBy: a.orientePar,
          breakGlass: a.accesExceptionnel,
        };
      });
    },
    { maxBatchSize: 500 },
  );
}

/** A parcours's id from an object of a domain subgraph: the Parcours itself or a row of it. */
export function parcoursIdOf(parent: unknown, typeName: string): string | null {
  const p = parent as { id?: string; parcoursId?: string };
  return (typeName === 'Parcours' ? p.id : p.parcoursId) ?? null;
}
