import DataLoader from 'dataloader';
import { groupLoader, journalFor, rowLoader, tableLoader, today, type BaseContext, type ParcoursAccess, type Viewer } from '@agir/common';
import { AccesStore } from './stores/acces-store';
import type { DataSource } from 'typeorm';
import { AtelierStore } from './stores/atelier-store';
import { EtapesStore } from './stores/etapes-store';
import { FicheLiaisonStore } from './stores/fiche-liaison-store';
import { HistoriqueStore } from './stores/historique-store';
import { ParcoursStore } from './stores/parcours-store';
import { ProfilStore, type PerimetreProfil, type ProfilBrut } from './stores/profil-store';
import { ReferenceStore } from './stores/reference-store';
import { PersonnesStore } from './personnes/personnes-store';
import { visibilite } from './stores/acces-store';
import type { BeneficiaireRow } from './entities';

function createStores(db: DataSource) {
  return {
    parcours: new ParcoursStore(db),
    reference: new ReferenceStore(db),
    historique: new HistoriqueStore(db),
    etapes: new EtapesStore(db),
    fiches: new FicheLiaisonStore(db),
    ateliers: new AtelierStore(db),
    acces: new AccesStore(db),
    personnes: new PersonnesStore(db),
  };
}

export type CoordinationStores = ReturnType<typeof createStores>;

/** One loader per entity and per per-parcours field, created per request. */
export function createLoaders(stores: CoordinationStores, viewer: Viewer, db: DataSource) {
  const { parcours, reference, historique, etapes, fiches, ateliers, acces, personnes } = stores;
  const beneficiaire = rowLoader(reference.beneficiairesByIds.bind(reference), (r: BeneficiaireRow) => r.id);
  return {
    /** The access facts of the parcours the viewer may see; null for the others. */
    acces: new DataLoader<string, ParcoursAccess | null>(async (ids) => {
      const faits = await acces.faits(viewer, today(), ids);
      const byId = new Map(faits.map((f) => [f.parcoursId, f]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    consentements: groupLoader(acces.consentements.bind(acces), (r) => r.parcoursId),
    anciensReferents: groupLoader(acces.anciensReferents.bind(acces), (r) => r.parcoursId),
    /** What each break-the-glass grant did in Coordination (the DPO's review). */
    lecturesSousAcces: groupLoader(acces.lecturesSousAcces.bind(acces), (r) => r.accesId),
    journal: groupLoader((ids: readonly string[]) => journalFor(db, ids), (r) => r.parcoursId),
    parcours: rowLoader(parcours.findByIds.bind(parcours), (r) => r.id),
    parcoursParBeneficiaire: groupLoader(parcours.findByBeneficiaireIds.bind(parcours), (r) => r.beneficiaireId),
    beneficiaire,
    /** The parcours or fiche de liaison each person belongs to, for the field rules of identity. */
    rattachement: rowLoader(reference.rattachements.bind(reference), (r) => r.beneficiaireId),
    site: tableLoader(() => reference.sites(), (r) => r.id),
    structure: tableLoader(() => reference.structures(), (r) => r.id),
    referent: rowLoader(reference.referentsByIds.bind(reference), (r) => r.id),
    conventions: groupLoader(reference.conventionsByStructureIds.bind(reference), (r) => r.structureId),
    historique: groupLoader(historique.byParcoursIds.bind(historique), (r) => r.parcoursId),
    convocation: rowLoader(etapes.convocations, (r) => r.parcoursId),
    diagnostic: rowLoader(etapes.diagnostics, (r) => r.parcoursId),
    commission: rowLoader(etapes.commissions, (r) => r.parcoursId),
    contrat: rowLoader(etapes.contrats, (r) => r.parcoursId),
    evaluations: groupLoader(etapes.evaluations, (r) => r.parcoursId),
    suivis: groupLoader(etapes.suivis, (r) => r.parcoursId),
    derniereActivite: rowLoader(etapes.dernieresActivites.bind(etapes), (r) => r.parcoursId),
    ficheParParcours: rowLoader(fiches.byParcoursIds.bind(fiches), (r) => r.parcoursId as string),
    atelier: rowLoader(ateliers.byIds.bind(ateliers), (r) => r.id),
    participants: groupLoader(ateliers.participantsByAtelierIds.bind(ateliers), (r) => r.atelierId),
    /** Each person's parcours the viewer may see, most recent first. */
    parcoursVisiblesParBeneficiaire: groupLoader((ids: readonly string[]) => personnes.parcoursVisibles(ids, visibilite(viewer, today())), (r) => r.beneficiaireId),
    /** Each record's likely duplicates among those the viewer may see, in one statement for the batch. */
    doublonsProbables: new DataLoader<string, { beneficiaireId: string; score: number; correspondances: ('NOM' | 'DATE_NAISSANCE' | 'NUMERO_DOSSIER_OFII')[] }[]>(async (ids) => {
      const rows = (await beneficiaire.loadMany(ids)).filter((b): b is BeneficiaireRow => b != null && !(b instanceof Error));
      const trouves = await personnes.doublons(rows.map((b) => ({ cle: b.id, nom: b.nom, prenom: b.prenom, dateNaissance: b.dateNaissance })), visibilite(viewer, today()));
      return ids.map((id) => trouves.filter((t) => t.cle === id));
    }),
    /** Each referent's running parcours in the viewer's départements. */
    chargeReferent: new DataLoader<string, number>(async (ids) => {
      const charges = new Map((await reference.chargesReferents(ids, viewer.departements)).map((c) => [c.referentId, c.n]));
      return ids.map((id) => charges.get(id) ?? 0);
    }),
    fusions: groupLoader(personnes.fusions.bind(personnes), (r) => r.conserveId),
    participations: groupLoader(ateliers.participationsByParcoursIds.bind(ateliers), (r) => r.parcoursId),
    /**
     * The département profile of a scope, once per request: `Query.indicateurs` starts it when the
     * operation asks for `profil`, so that it runs beside the indicators' own statements instead
     * of after them, and `Indicateurs.profil` then reads the same promise.
     */
    profil: new DataLoader<PerimetreProfil, ProfilBrut, string>(
      (perimetres) => Promise.all(perimetres.map((p) => new ProfilStore(db).calculer(p.departement, p.du, p.au, p.siteId))),
      { batch: false, cacheKeyFn: (p) => `${p.departement}|${p.du}|${p.au}|${p.siteId ?? ''}` },
    ),
  };
}

export interface CoordinationContext extends BaseContext {
  loaders: ReturnType<typeof createLoaders>;
  stores: CoordinationStores;
}

export function createContext(base: BaseContext): CoordinationContext {
  const stores = createStores(base.dataSource);
  return { ...base, loaders: createLoaders(stores, base.viewer, base.dataSource), stores };
}
