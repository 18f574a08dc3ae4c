import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { buildProtectedSchema, isProtectedField } from '@agir/common';
import { getNamedType, isInterfaceType, isObjectType, isUnionType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { coordination } from '../subgraphs/coordination/src';
import { droitsLogement } from '../subgraphs/droits-logement/src';
import { emploiFormation } from '../subgraphs/emploi-formation/src';

/**
 * Walks the composed schema from every root field and checks that no path reaches personal data
 * around the field rules: a personal type (one whose every object is one person's data, declared in
 * its subgraph's `personalTypes`) has every field guarded by its rule, in every subgraph that
 * serves it, whatever the path (a query, a mutation's payload, a nested link); and every other
 * type reached by a path on which no field is guarded is classified below, with the reason it
 * holds no one's data or is kept to the caller's scope by its root field. A new type reachable
 * that way fails this test until it is given field rules or classified.
 */
const definitions = [coordination, droitsLogement, emploiFormation];
const schemas: [string, GraphQLSchema][] = definitions.map((d) => [d.name, buildProtectedSchema(d as never)]);
const personalTypes = new Set(definitions.flatMap((d) => d.fieldRules?.personalTypes ?? []));
const supergraph = Supergraph.build(readFileSync(path.join(__dirname, '..', 'schema', 'supergraph.graphql'), 'utf8')).apiSchema().toGraphQLJSSchema();

/** Types reached without any guarded field on the way, and why that is right. */
const SANS_DONNEE_PERSONNELLE: Record<string, string> = {
  // Reference data: the consortium, its sites, its referents, the local offer, the ROME referential.
  Structure: 'référentiel', Site: 'référentiel', Commune: 'référentiel (COG)', Convention: 'référentiel', MetierRome: 'référentiel',
  CartographieActeurs: 'référentiel', CompteThematique: 'référentiel', OffreLocale: 'référentiel', PartenariatOffreLocale: 'référentiel',
  RapportSynchronisationOffreLocale: 'rapport technique',
  // The professionals' directory (names and work e-mail of the structures' referents), with counts.
  Referent: 'annuaire des professionnels',
  // Pages: their nodes are personal types, guarded themselves.
  ParcoursConnection: 'page de Parcours', ParcoursEdge: 'page de Parcours', PageInfo: 'curseurs',
  // Aggregates under statistical secrecy, and pseudonymised rows under k-anonymity.
  Indicateurs: 'agrégat', EffectifsIndicateurs: 'agrégat', CompteCanalOrientation: 'agrégat', CompteMotifSortie: 'agrégat', CompteMotifExclusion: 'agrégat',
  DelaiIndicateur: 'agrégat', TauxIndicateur: 'agrégat', IndicateursMois: 'agrégat', ProfilBeneficiaires: 'agrégat', CompteSituationFamiliale: 'agrégat',
  CompteTrancheAge: 'agrégat', CompteSexe: 'agrégat', ComptePays: 'agrégat', CompteCommune: 'agrégat', IndicateursDroitsLogementMois: 'agrégat',
  IndicateursEmploiFormationMois: 'agrégat', ProfilFormation: 'agrégat', CompteNiveauFormation: 'agrégat', IndicateursDroitsLogement: 'agrégat',
  CompteCategorieLogement: 'agrégat', TauxAccesLogement: 'agrégat', CompteDemarches: 'agrégat', DelaiMedian: 'agrégat', CompteBlocages: 'agrégat',
  IndicateursEmploiFormation: 'agrégat', ComptageCategorie: 'agrégat', TauxAcces: 'agrégat', ProgressionLangue: 'agrégat', ComptageFrein: 'agrégat',
  ComptageContrat: 'agrégat', AnalyseParcoursConnection: 'lignes pseudonymisées', AnalyseParcoursEdge: 'lignes pseudonymisées', AnalyseParcours: 'lignes pseudonymisées',
  // An eligibility computed from the caller's own input (Parcours.eligibilite is guarded).
  Eligibilite: 'calcul sur la saisie', CritereEvalue: 'calcul sur la saisie',
  // The structure's own webhook subscriptions: ids, codes and dates.
  AbonnementWebhook: 'technique', AbonnementWebhookCree: 'technique', LivraisonWebhook: 'technique',
};

/** Types about one parcours served by root fields that keep to the caller's scope and audit. */
const PORTEE_PAR_LA_RACINE: Record<string, string> = {
  AlertesDepartement: 'alertes : parcours visibles du département seulement', AlerteParcours: 'alertes : parcours visibles du département seulement',
  CompteRefusLogement: 'refusPropositionsLogement : parcours lisibles seulement',
  DerniereActiviteDomaine: 'derniereActivite… : parcours lisibles seulement', AccesParcours: 'accesParcours : parcours visibles seulement',
  AncienReferent: 'accesParcours : parcours visibles seulement', Consentement: 'mutation sur un parcours de la coordination du département',
  AccesExceptionnel: 'mutation motivée, auditée (BREAK_GLASS)', RapportImportOfii: 'import par l’OFII de ses orientations', LigneImportOfii: 'import par l’OFII',
  ErreurImportOfii: 'import par l’OFII : numéros de ligne et colonnes',
  PersonneTrouvee: 'rechercherBeneficiaires : parcours visibles seulement, recherche auditée (SEARCH) ; identité et parcours gardés eux-mêmes',
  Atelier: 'ateliers du département : participants visibles seulement (Parcours, gardé lui-même)',
  // The audit trail: DPO (and, for the grants, COORDINATION) of the département only, field names
  // and no values, every reading audited.
  JournalAcces: 'journalAcces : DPO du département, lecture auditée', EntreeJournal: 'piste d’audit : noms de champs, jamais de valeurs',
  BrisDeGlace: 'accesExceptionnels, journalAcces : DPO ou coordination du département, lecture auditée', RevueAccesExceptionnel: 'revue d’un accès exceptionnel',
};

interface Reached {
  type: string;
  path: string;
}

/** Every named type the roots reach through fields that no rule guards, with the first such path. */
function reachedWithoutGuard(): Reached[] {
  const seen = new Map<string, string>();
  const queue: [GraphQLNamedType, string][] = [
    [supergraph.getQueryType()!, 'Query'],
    [supergraph.getMutationType()!, 'Mutation'],
  ];
  while (queue.length > 0) {
    const [type, at] = queue.shift()!;
    if (seen.has(type.name)) continue;
    seen.set(type.name, at);
    const next: [GraphQLNamedType, string][] = isUnionType(type) ? type.getTypes().map((t) => [t, at]) : [];
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const [name, field] of Object.entries(type.getFields())) {
        const named = getNamedType(field.type);
        if (!(isObjectType(named) || isInterfaceType(named) || isUnionType(named))) continue;
        const served = schemas.map(([, s]) => s.getType(type.name)).filter(isObjectType).map((t) => t.getFields()[name]).filter((f) => f !== undefined);
        const guarded = served.length > 0 && served.every((f) => isProtectedField(f));
        if (!guarded) next.push([named, `${at}.${name}`]);
      }
    }
    queue.push(...next);
  }
  return [...seen.entries()].filter(([type]) => type !== 'Query' && type !== 'Mutation').map(([type, p]) => ({ type, path: p }));
}

describe('the composed schema', () => {
  it('guards every field of every personal type in the subgraph that declares it, and finds it in the composed schema', () => {
    const unguarded: string[] = [];
    for (const [i, [subgraph, schema]] of schemas.entries()) {
      for (const typeName of definitions[i]!.fieldRules?.personalTypes ?? []) {
        const type = schema.getType(typeName);
        if (!isObjectType(type)) {
          unguarded.push(`${subgraph}: ${typeName} (absent)`);
          continue;
        }
        for (const [name, field] of Object.entries(type.getFields())) {
          if (name !== 'id' && !name.startsWith('_') && !isProtectedField(field)) unguarded.push(`${subgraph}: ${typeName}.${name}`);
        }
        if (!supergraph.getType(typeName)) unguarded.push(`${typeName} (absent du supergraphe)`);
      }
    }
    expect(unguarded).toEqual([]);
  });

  it('reaches nothing around the field rules: every type on an unguarded path is personal or classified', () => {
    const reached = reachedWithoutGuard();
    const unclassified = reached.filter((r) => !personalTypes.has(r.type) && !(r.type in SANS_DONNEE_PERSONNELLE) && !(r.type in PORTEE_PAR_LA_RACINE));
    expect(unclassified.map((r) => `${r.type} (par ${r.path})`)).toEqual([]);
    // The personal types are reached that way too, which is why they guard themselves.
    expect(reached.filter((r) => personalTypes.has(r.type)).map((r) => r.type)).toEqual(expect.arrayContaining(['Parcours', 'Beneficiaire', 'FicheLiaison', 'SituationLogement', 'ContratTravail']));
  });

  it('classifies only types that exist and are reached, so that the lists do not go stale', () => {
    const reached = new Set(reachedWithoutGuard().map((r) => r.type));
    const stale = [...Object.keys(SANS_DONNEE_PERSONNELLE), ...Object.keys(PORTEE_PAR_LA_RACINE)].filter((t) => !reached.has(t));
    expect(stale).toEqual([]);
  });

  it('guards a rejoignant’s link to the BPI and the BPI’s identity, each on its own rule', () => {
    const [, schema] = schemas.find(([name]) => name === 'coordination')!;
    const beneficiaire = schema.getType('Beneficiaire');
    if (!isObjectType(beneficiaire)) throw new Error('Beneficiaire absent');
    expect(['bpi', 'nom', 'prenom', 'dateNaissance', 'protection', 'telephone', 'communeResidence'].map((f) => isProtectedField(beneficiaire.getFields()[f]!))).toEqual(Array(7).fill(true));
  });
});
