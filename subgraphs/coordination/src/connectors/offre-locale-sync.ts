import { randomUUID } from 'node:crypto';
import { RemoteError } from '@agir/common/src/http';
import type { DataInclusionClient, ServiceDataInclusion, StructureDataInclusion } from './data-inclusion/client';
import { nomTheme, REFUGIES_INFO_SITE_URL, type Dispositif, type RefugiesInfoClient } from './refugies-info/client';
import type { EntreeOffreLocale, OffreLocaleStore, RapportSource, RapportSynchronisation, SourceOffreLocale } from './offre-locale-store';

/** The sources a run reads. */
export interface SourcesOffreLocale {
  dataInclusion: DataInclusionClient;
  refugiesInfo: RefugiesInfoClient;
  /** data·inclusion thematiques to keep (all by default); publics is always personnes-exilees. */
  thematiques?: string[];
}

const DEPARTEMENT = /^([0-9]{2}|2[AB]|97[0-9])$/;
const INSEE = /^([0-9]{5}|2[AB][0-9]{3})$/;

/**
 * Synchronises a département's local offer catalogue from data·inclusion and Réfugiés.info.
 *
 * Both sources are read completely first (outside any transaction: no lock is held while waiting
 * on the network); then, only if both were read and valid, the catalogue is updated in one
 * transaction. A source that fails (unavailable, refused, a malformed page) leaves the stored
 * catalogue exactly as it was, because a partial reading would otherwise mark as removed every
 * entry of the pages that were not read. The run report is returned and stored in every case,
 * with per-source counts and, for a failed source, the reason.
 */
export async function synchroniserOffreLocale(departement: string, store: OffreLocaleStore, sources: SourcesOffreLocale): Promise<RapportSynchronisation> {
  if (!DEPARTEMENT.test(departement)) {
    throw new Error(`Département invalide « ${departement} » : un code de département est attendu (44, 85, 2A, 974...).`);
  }
  const id = randomUUID();
  const debut = new Date();
  const [dataInclusion, refugiesInfo] = await Promise.allSettled([
    lireDataInclusion(departement, sources.dataInclusion, sources.thematiques),
    lireRefugiesInfo(departement, sources.refugiesInfo),
  ]);

  const lectures: Record<SourceOffreLocale, PromiseSettledResult<EntreeOffreLocale[]>> = { DATA_INCLUSION: dataInclusion, REFUGIES_INFO: refugiesInfo };
  const rapports = {} as Record<SourceOffreLocale, RapportSource>;
  const entrees: EntreeOffreLocale[] = [];
  let echecs = 0;
  for (const [source, lecture] of Object.entries(lectures) as [SourceOffreLocale, PromiseSettledResult<EntreeOffreLocale[]>][]) {
    if (lecture.status === 'fulfilled') {
      rapports[source] = { statut: 'OK', recus: lecture.value.length, raison: null };
      entrees.push(...lecture.value);
    } else {
      // Only an outside system's failure is a failed source; anything else is a bug here.
      if (!(lecture.reason instanceof RemoteError)) throw lecture.reason;
      echecs += 1;
      rapports[source] = { statut: 'ECHEC', recus: 0, raison: lecture.reason.message };
    }
  }

  if (echecs > 0) {
    const rapport: RapportSynchronisation = { id, departement, statut: 'ECHOUEE', debut, fin: new Date(), ajoutes: 0, mis_a_jour: 0, supprimes: 0, echecs, sources: rapports };
    await store.enregistrerEchec(rapport);
    return rapport;
  }
  return store.appliquer({ id, departement, statut: 'REUSSIE', debut, fin: new Date(), echecs: 0, sources: rapports }, entrees);
}

async function lireDataInclusion(departement: string, client: DataInclusionClient, thematiques: string[] | undefined): Promise<EntreeOffreLocale[]> {
  const [services, structures] = await Promise.all([
    client.tousLesServices({ codeDepartement: departement, ...(thematiques ? { thematiques } : {}), publics: ['personnes-exilees'] }),
    client.toutesLesStructures({ codeDepartement: departement }),
  ]);
  const parId = new Map(structures.map((structure) => [structure.id, structure]));
  return services.map((service) => entreeDataInclusion(departement, service, parId.get(service.structure_id)));
}

/** A data·inclusion service as a catalogue entry, named after its structure. */
export function entreeDataInclusion(departement: string, service: ServiceDataInclusion, structure: StructureDataInclusion | undefined): EntreeOffreLocale {
  return {
    source: 'DATA_INCLUSION',
    sourceId: service.id,
    sourceOrigine: service.source,
    departement,
    nom: service.nom,
    description: service.description,
    thematiques: [...new Set(service.thematiques)].sort(),
    commune: service.code_insee && INSEE.test(service.code_insee) ? service.code_insee : null,
    structure: structure?.nom ?? service.structure?.nom ?? null,
    lienSource: service.lien_source ?? structure?.lien_source ?? null,
    dateMaj: jour(service.date_maj),
  };
}

async function lireRefugiesInfo(departement: string, client: RefugiesInfoClient): Promise<EntreeOffreLocale[]> {
  return (await client.dispositifsDuDepartement(departement)).map((dispositif) => entreeRefugiesInfo(departement, dispositif));
}

/** A Réfugiés.info dispositif as a catalogue entry; it has no commune, only départements. */
export function entreeRefugiesInfo(departement: string, dispositif: Dispositif): EntreeOffreLocale {
  const themes = [dispositif.theme, ...(dispositif.secondaryThemes ?? [])].filter((theme) => theme !== null && theme !== undefined);
  return {
    source: 'REFUGIES_INFO',
    sourceId: dispositif._id,
    sourceOrigine: null,
    departement,
    nom: dispositif.titreMarque ? `${dispositif.titreInformatif} (${dispositif.titreMarque})` : dispositif.titreInformatif,
    description: dispositif.abstract,
    thematiques: [...new Set(themes.map(nomTheme))].sort(),
    commune: null,
    structure: dispositif.sponsor?.nom ?? null,
    lienSource: `${REFUGIES_INFO_SITE_URL}/fr/dispositif/${dispositif._id}`,
    dateMaj: jour(dispositif.lastModificationDate ?? dispositif.publishedAt),
  };
}

/** The day of an ISO date or date-time, or null. */
function jour(value: string | null): string | null {
  const match = value ? /^(\d{4}-\d{2}-\d{2})/.exec(value) : null;
  return match ? match[1]! : null;
}
