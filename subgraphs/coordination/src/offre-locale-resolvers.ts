import { badUserInput, hasRole, forbidden, requireDepartement } from '@agir/common';
import { OffreLocaleStore } from './connectors/offre-locale-store';
import type { Resolvers } from './generated/resolvers-types';
import { parseDepartement } from './stores/parcours-store';

const LECTEURS = ['REFERENT_DROITS_LOGEMENT', 'REFERENT_EMPLOI_FORMATION', 'COORDINATION', 'ADMIN'] as const;

/** The catalogue of local services, for referents looking for a service by theme and commune. */
export const offreLocaleResolvers: Resolvers = {
  Query: {
    async offreLocale(_parent, args, ctx) {
      if (!hasRole(ctx.viewer, ...LECTEURS)) throw forbidden(`Le catalogue de l'offre locale est réservé aux rôles ${LECTEURS.join(', ')}.`);
      const departement = parseDepartement(args.departement, 'departement');
      requireDepartement(ctx.viewer, departement);
      if (args.commune != null && !/^[0-9][0-9AB][0-9]{3}$/.test(args.commune)) {
        throw badUserInput(`« commune » doit être un code INSEE (ex. 44109 pour Nantes), reçu « ${args.commune} ».`, 'commune');
      }
      const entrees = await new OffreLocaleStore(ctx.dataSource).lister(departement);
      return entrees
        .filter((e) => !args.thematique || e.thematiques.some((t) => t === args.thematique || t.startsWith(`${args.thematique}--`)))
        .filter((e) => !args.commune || e.commune === args.commune)
        .map((e) => ({ ...e, communeInsee: e.commune, dateMajSource: e.dateMaj }));
    },
    async synchronisationsOffreLocale(_parent, args, ctx) {
      if (!hasRole(ctx.viewer, 'COORDINATION', 'ADMIN')) throw forbidden('Les rapports de synchronisation sont réservés aux rôles COORDINATION, ADMIN.');
      const departement = parseDepartement(args.departement, 'departement');
      requireDepartement(ctx.viewer, departement);
      const rapports = await new OffreLocaleStore(ctx.dataSource).rapports(departement);
      return rapports.map((r) => ({ ...r, misAJour: r.mis_a_jour }));
    },
  },
};
