import { accessLoader, groupLoader, journalFor, rowLoader, today, type BaseContext, type GatewayClient } from '@agir/common';
import type { DataSource } from 'typeorm';
import { EmploiFormationStore } from './stores/emploi-store';
import { IndicateursStore } from './stores/indicateurs-store';

/** One loader per entity and per-parcours field, created per request (never shared between requests). */
export function createLoaders(db: DataSource, gateway: GatewayClient) {
  const store = new EmploiFormationStore(db);
  const byParcours = (r: { parcoursId: string }) => r.parcoursId;
  return {
    store,
    dossier: rowLoader(store.dossiers.bind(store), byParcours),
    historiqueProfessionnel: groupLoader(store.historiques.bind(store), byParcours),
    evaluationsLangue: groupLoader(store.evaluationsLangue.bind(store), byParcours),
    certificationsLangue: groupLoader(store.certifications.bind(store), byParcours),
    diagnostic: rowLoader(store.diagnostics.bind(store), byParcours),
    diplomes: groupLoader(store.diplomes.bind(store), byParcours),
    experiences: groupLoader(store.experiences.bind(store), byParcours),
    freins: groupLoader(store.freins.bind(store), byParcours),
    projet: rowLoader(store.projets.bind(store), byParcours),
    etapesProjet: groupLoader(store.etapesProjet.bind(store), byParcours),
    inscriptionFranceTravail: rowLoader(store.inscriptionsFranceTravail.bind(store), byParcours),
    accompagnementsExternes: groupLoader(store.accompagnementsExternes.bind(store), byParcours),
    candidatures: groupLoader(store.candidatures.bind(store), byParcours),
    formations: groupLoader(store.formations.bind(store), byParcours),
    contrats: groupLoader(store.contrats.bind(store), byParcours),
    /** The date of each parcours's latest event up to today (one statement for a whole alert list). */
    derniereActivite: rowLoader((ids: readonly string[]) => store.dernieresActivites(ids, today()), byParcours),
    /** The change journal of each parcours (one statement for all the parcours of a tick). */
    journal: groupLoader((ids: readonly string[]) => journalFor(db, ids), byParcours),
    /** Who may read what of each parcours: asked of Coordination, one gateway call per tick. */
    acces: accessLoader(gateway),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export interface EmploiFormationContext extends BaseContext {
  loaders: Loaders;
  indicateurs: IndicateursStore;
}

export function createContext(base: BaseContext): EmploiFormationContext {
  return { ...base, loaders: createLoaders(base.dataSource, base.gateway), indicateurs: new IndicateursStore(base.dataSource) };
}
