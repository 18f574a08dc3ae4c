import { badUserInput, hasRole, parseId, today } from '@agir/common';
import { autoriser, autoriserParcours } from '../access';
import type { BeneficiaireRow } from '../entities';
import type { Resolvers } from '../generated/resolvers-types';
import { dateArg, texte } from '../inputs';
import type { CoordinationContext } from '../loaders';
import { numeroDossierOfiiArg } from '../mutations';
import { visibilite } from '../stores/acces-store';
import { parseDepartement } from '../stores/parcours-store';
import { exigerDossierDuPerimetre, fusionnerEtJournaliser } from './fusion';
import { texteDeRecherche, type CritereRecherche } from './personnes-store';

/**
 * The person search (`rechercherBeneficiaires`), a record's likely duplicates and parcours, and
 * the merge of two records of one person. What is found is limited to the parcours the caller may
 * see; the identities found are then read under their own field rules, judged on the parcours
 * they are reached through.
 */

/** A person found: the record, the score, the criteria matched. */
export interface PersonneTrouveeParent {
  beneficiaireId: string;
  score: number;
  correspondances: CritereRecherche[];
}

const RESULTATS_MAX = 50;

/** The role a search is made as, for the audit trail. */
function roleDeRecherche(ctx: CoordinationContext): string {
  return (['COORDINATION', 'REFERENT_DROITS_LOGEMENT', 'REFERENT_EMPLOI_FORMATION', 'OFII'] as const).find((r) => hasRole(ctx.viewer, r)) ?? ctx.viewer.roles[0]!;
}

function criteres(args: { texte?: string | null; dateNaissance?: string | null; numeroDossierOfii?: string | null; departement?: string | null; first?: number | null }) {
  const t = args.texte == null ? null : texteDeRecherche(args.texte, 'texte');
  const dateNaissance = args.dateNaissance == null ? null : dateArg(args.dateNaissance, 'dateNaissance');
  const numeroDossierOfii = args.numeroDossierOfii == null ? null : numeroDossierOfiiArg(args.numeroDossierOfii, 'numeroDossierOfii');
  if (t == null && dateNaissance == null && numeroDossierOfii == null) {
    throw badUserInput('Donnez au moins un critère : « texte » (nom ou prénom), « dateNaissance » ou « numeroDossierOfii ».', 'texte');
  }
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > RESULTATS_MAX) {
    throw badUserInput(`« first » doit être un entier de 1 à ${RESULTATS_MAX}, reçu ${first}.`, 'first');
  }
  const departement = args.departement == null ? null : parseDepartement(args.departement, 'departement');
  return { texte: t, dateNaissance, numeroDossierOfii, departement, first };
}

/** The parcours of a person the viewer may see, most recent first (one statement per request's batch). */
function parcoursVisibles(ctx: CoordinationContext, beneficiaireId: string) {
  return ctx.loaders.parcoursVisiblesParBeneficiaire.load(beneficiaireId);
}

/** The record, carrying the parcours it is reached through so that the field rules judge on it. */
async function personne(ctx: CoordinationContext, beneficiaireId: string): Promise<BeneficiaireRow> {
  const [b, parcours] = await Promise.all([ctx.loaders.beneficiaire.load(beneficiaireId), parcoursVisibles(ctx, beneficiaireId)]);
  if (!b) throw new Error(`beneficiaire ${beneficiaireId} vanished`);
  return { ...b, ...(parcours[0] ? { parcoursId: parcours[0].id } : {}) } as BeneficiaireRow;
}

export const personnesResolvers: Resolvers = {
  Query: {
    async rechercherBeneficiaires(_parent, args, ctx) {
      autoriser(ctx.viewer, 'RECHERCHER_PERSONNES');
      const c = criteres(args);
      if (c.departement) autoriserParcours(ctx.viewer, { departement: c.departement });
      const trouves = await ctx.stores.personnes.rechercher(c, visibilite(ctx.viewer, today()), c.first);
      const via = roleDeRecherche(ctx);
      // The search itself (its criteria are personal data too), then each parcours it lists.
      const recherche = Object.fromEntries(Object.entries({ texte: c.texte, dateNaissance: c.dateNaissance, numeroDossierOfii: c.numeroDossierOfii, departement: c.departement }).filter(([, v]) => v != null));
      ctx.audit.recordSearch({ parcoursId: null, subject: `recherche:${JSON.stringify(recherche)}`, field: 'Query.rechercherBeneficiaires', via });
      const parcours = await Promise.all(trouves.map((t) => parcoursVisibles(ctx, t.beneficiaireId)));
      for (const p of parcours.flat()) ctx.audit.recordSearch({ parcoursId: p.id, field: 'Query.rechercherBeneficiaires', via });
      return trouves;
    },
  },
  Mutation: {
    async fusionnerBeneficiaires(_parent, args, ctx) {
      autoriser(ctx.viewer, 'FUSIONNER_PERSONNES');
      const conserveId = parseId(args.conserveId, 'conserveId');
      const absorbeId = parseId(args.absorbeId, 'absorbeId');
      if (conserveId === absorbeId) throw badUserInput('« conserveId » et « absorbeId » désignent le même dossier : donnez deux dossiers différents.', 'absorbeId');
      const motif = texte(args.motif, 'motif', 2000);
      if (motif.length < 15) throw badUserInput(`« motif » doit dire en 15 caractères au moins pourquoi ce sont la même personne, reçu ${motif.length}.`, 'motif');
      // Each record must be one of the caller's départements: a record out of reach answers as an unknown one.
      await exigerDossierDuPerimetre(ctx, conserveId, 'conserveId');
      await exigerDossierDuPerimetre(ctx, absorbeId, 'absorbeId');
      await ctx.dataSource.transaction(async (m) => {
        const fusionnes = await ctx.stores.personnes.fusionneDans(m, [conserveId, absorbeId]);
        for (const [id, field] of [[conserveId, 'conserveId'], [absorbeId, 'absorbeId']] as const) {
          const dans = fusionnes.get(id);
          if (dans) throw badUserInput(`Le dossier « ${id} » a déjà été fusionné dans le dossier « ${dans} » : donnez celui-ci.`, field, { fusionneDans: dans });
        }
        await fusionnerEtJournaliser(ctx, m, conserveId, absorbeId, motif);
      });
      ctx.loaders.beneficiaire.clear(conserveId);
      ctx.loaders.parcoursVisiblesParBeneficiaire.clear(conserveId);
      ctx.loaders.rattachement.clear(conserveId);
      return personne(ctx, conserveId);
    },
  },
  PersonneTrouvee: {
    beneficiaire: (t, _args, ctx) => personne(ctx, t.beneficiaireId),
    parcours: (t, _args, ctx) => parcoursVisibles(ctx, t.beneficiaireId),
  },
  FusionBeneficiaire: {
    identiteAbsorbee: (f) => f.identiteAbsorbee as never,
  },
  Beneficiaire: {
    parcours: (b, _args, ctx) => parcoursVisibles(ctx, b.id),
    async doublonsProbables(b, _args, ctx) {
      return ctx.loaders.doublonsProbables.load(b.id);
    },
    fusions: (b, _args, ctx) => ctx.loaders.fusions.load(b.id),
  },
};
