import { badUserInput, parseId } from '@agir/common';
import { autoriser, autoriserParcours } from '../access';
import type { Resolvers } from '../generated/resolvers-types';
import { parseDepartement } from '../stores/parcours-store';

/**
 * The referents directory: who can sit in a binôme, in which structure and domain, and how many
 * parcours each follows now (counted in the caller's départements, in one statement for the list).
 */
export const referentsResolvers: Resolvers = {
  Query: {
    async referents(_parent, args, ctx) {
      autoriser(ctx.viewer, 'ANNUAIRE_REFERENTS');
      const departement = args.departement == null ? null : parseDepartement(args.departement, 'departement');
      if (departement) autoriserParcours(ctx.viewer, { departement });
      const structureId = args.structureId == null ? null : parseId(args.structureId, 'structureId');
      if (structureId && !(await ctx.loaders.structure.load(structureId))) {
        throw badUserInput(`Aucune structure ne porte l'identifiant « ${structureId} » : prenez-en une dans la requête structures.`, 'structureId');
      }
      return ctx.stores.reference.referents({ structureId, domaine: args.domaine ?? null, departement });
    },
  },
  Referent: {
    parcoursEnCours: async (r, _args, ctx) => (await ctx.loaders.chargeReferent.load(r.id)) ?? 0,
  },
};
