import { accessLoader, groupLoader, journalFor, rowLoader, today, type BaseContext, type GatewayClient } from '@agir/common';
import type { DataSource } from 'typeorm';
import { DroitsLogementStore } from './stores/logement-store';

/**
 * One loader per entity and per-parcours field, created per request. "Today" is read once per
 * request too (Europe/Paris), so that every field of one answer speaks of the same day. The access
 * facts of the parcours (binôme, département, consent) come from Coordination through the gateway,
 * in one call per request tick whatever the number of parcours.
 */
export function createLoaders(db: DataSource, gateway: GatewayClient, jour = today()) {
  const store = new DroitsLogementStore(db);
  return {
    jour,
    store,
    acces: accessLoader(gateway),
    dossier: rowLoader(store.dossiers.bind(store), (r) => r.parcoursId),
    situationCourante: rowLoader((ids: readonly string[]) => store.situationsCourantes(ids, jour), (r) => r.parcoursId),
    historiqueLogement: groupLoader(store.historiques.bind(store), (r) => r.parcoursId),
    demarches: groupLoader(store.demarches.bind(store), (r) => r.parcoursId),
    demande: rowLoader(store.demandes.bind(store), (r) => r.parcoursId),
    propositions: groupLoader(store.propositions.bind(store), (r) => r.parcoursId),
    compteRefus: rowLoader(store.comptesRefus.bind(store), (r) => r.parcoursId),
    /** The date of each parcours's latest event up to the request's day (one statement for a whole alert list). */
    derniereActivite: rowLoader((ids: readonly string[]) => store.dernieresActivites(ids, jour), (r) => r.parcoursId),
    mesures: groupLoader(store.mesures.bind(store), (r) => r.parcoursId),
    incidents: groupLoader(store.incidents.bind(store), (r) => r.parcoursId),
    journal: groupLoader((ids: readonly string[]) => journalFor(db, ids), (r) => r.parcoursId),
  };
}

export interface DroitsLogementContext extends BaseContext {
  loaders: ReturnType<typeof createLoaders>;
}

export function createContext(base: BaseContext): DroitsLogementContext {
  return { ...base, loaders: createLoaders(base.dataSource, base.gateway) };
}
