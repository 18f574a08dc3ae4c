import { badUserInput, forbidden, hasRole, notFound, parseId, requireDepartement, requireRole, type Viewer } from '@agir/common';
import { OffreLocaleStore, SOURCES_OFFRE_LOCALE, type OffreLocale, type SourceOffreLocale } from './connectors/offre-locale-store';
import type { Resolvers } from './generated/resolvers-types';
import { dateArg } from './inputs';
import type { CoordinationContext } from './loaders';
import * as present from './presenters';
import { CartographieStore, cle, type Partenariat } from './stores/cartographie-store';
import { parseDepartement } from './stores/parcours-store';

const LECTEURS = ['REFERENT_DROITS_LOGEMENT', 'REFERENT_EMPLOI_FORMATION', 'COORDINATION', 'ADMIN'] as const;

function departementAutorise(viewer: Viewer, valeur: string, field = 'departement'): string {
  const departement = parseDepartement(valeur, field);
  requireDepartement(viewer, departement);
  return departement;
}

/** A catalogue entry as the API shows it, with its partnership in the département asked for. */
function vue(e: OffreLocale, partenariat: Partenariat | null) {
  return { ...e, communeInsee: e.commune, dateMajSource: e.dateMaj, partenariat };
}

function source(valeur: string): SourceOffreLocale {
  if (!(SOURCES_OFFRE_LOCALE as readonly string[]).includes(valeur)) throw badUserInput(`« source » doit valoir ${SOURCES_OFFRE_LOCALE.join(' ou ')}.`, 'source');
  return valeur as SourceOffreLocale;
}

/**
 * One service of a département's catalogue, with its partnership there: two one-row reads;
 * NOT_FOUND when the département's catalogue lacks it, or its source removed it (unless
 * `avecSupprimees`: a partnership outlives its service, and can still be withdrawn).
 */
async function entree(ctx: CoordinationContext, s: SourceOffreLocale, sourceId: string, departement: string, avecSupprimees = false) {
  const [[e], partenariats] = await Promise.all([
    new OffreLocaleStore(ctx.dataSource).lister(departement, { service: { source: s, sourceId }, avecSupprimees }),
    new CartographieStore(ctx.dataSource).partenariats(departement, { source: s, sourceId }),
  ]);
  if (!e) throw notFound(`service ${s} du catalogue du ${departement}`, sourceId);
  return vue(e, partenariats.get(cle(s, sourceId)) ?? null);
}

/**
 * The catalogue of local services (referents looking for a service by theme and commune), the
 * partnerships the coordinating structure records on it, and the map of actors of a département.
 */
export const offreLocaleResolvers: Resolvers = {
  Query: {
    async offreLocale(_parent, args, ctx) {
      if (!hasRole(ctx.viewer, ...LECTEURS)) throw forbidden(`Le catalogue de l'offre locale est réservé aux rôles ${LECTEURS.join(', ')}.`);
      const departement = departementAutorise(ctx.viewer, args.departement);
      if (args.commune != null && !/^[0-9][0-9AB][0-9]{3}$/.test(args.commune)) {
        throw badUserInput(`« commune » doit être un code INSEE (ex. 44109 pour Nantes), reçu « ${args.commune} ».`, 'commune');
      }
      const [entrees, partenariats] = await Promise.all([
        new OffreLocaleStore(ctx.dataSource).lister(departement),
        new CartographieStore(ctx.dataSource).partenariats(departement),
      ]);
      return entrees
        .filter((e) => !args.thematique || e.thematiques.some((t) => t === args.thematique || t.startsWith(`${args.thematique}--`)))
        .filter((e) => !args.commune || e.commune === args.commune)
        .map((e) => vue(e, partenariats.get(cle(e.source, e.sourceId)) ?? null))
        .filter((e) => args.partenaires == null || (e.partenariat !== null) === args.partenaires);
    },
    async synchronisationsOffreLocale(_parent, args, ctx) {
      if (!hasRole(ctx.viewer, 'COORDINATION', 'ADMIN')) throw forbidden('Les rapports de synchronisation sont réservés aux rôles COORDINATION, ADMIN.');
      const departement = departementAutorise(ctx.viewer, args.departement);
      const rapports = await new OffreLocaleStore(ctx.dataSource).rapports(departement);
      return rapports.map((r) => ({ ...r, misAJour: r.mis_a_jour }));
    },
    async cartographieActeurs(_parent, args, ctx) {
      const departement = departementAutorise(ctx.viewer, args.departement);
      const cartographie = new CartographieStore(ctx.dataSource);
      const [structures, sites, entrees, partenariats, offreParThematique] = await Promise.all([
        ctx.stores.reference.structures(departement),
        ctx.stores.reference.sites(departement),
        new OffreLocaleStore(ctx.dataSource).lister(departement),
        cartographie.partenariats(departement),
        cartographie.offreParThematique(departement),
      ]);
      return {
        departement,
        membres: structures.filter((s) => s.membreGroupement),
        partenaires: structures.filter((s) => !s.membreGroupement),
        sites,
        servicesPartenaires: entrees.filter((e) => partenariats.has(cle(e.source, e.sourceId))).map((e) => vue(e, partenariats.get(cle(e.source, e.sourceId))!)),
        offreParThematique,
      };
    },
  },
  Mutation: {
    async marquerPartenaireOffreLocale(_parent, { input }, ctx) {
      requireRole(ctx.viewer, ['COORDINATION', 'ADMIN'], 'Le marquage des services partenaires');
      const departement = departementAutorise(ctx.viewer, input.departement, 'input.departement');
      const s = source(input.source);
      let dateSignature: string | null = null;
      if (input.etatConvention === 'SIGNEE') {
        if (input.dateSignature == null) throw badUserInput('Une convention SIGNEE demande « input.dateSignature » (le jour de la signature).', 'input.dateSignature');
        dateSignature = dateArg(input.dateSignature, 'input.dateSignature');
      } else if (input.dateSignature != null) {
        throw badUserInput('Une convention EN_COURS n\'a pas encore de date de signature : omettez « input.dateSignature », ou passez l\'état à SIGNEE.', 'input.dateSignature');
      }
      let structureId: string | null = null;
      if (input.structureId != null) {
        structureId = parseId(input.structureId, 'input.structureId');
        const structure = await ctx.loaders.structure.load(structureId);
        if (!structure) throw badUserInput(`Aucune structure ne porte l'identifiant « ${input.structureId} » : prenez-en une dans structures(departement: "${departement}").`, 'input.structureId');
      }
      await entree(ctx, s, input.sourceId, departement); // NOT_FOUND before any write
      await new CartographieStore(ctx.dataSource).marquer({ source: s, sourceId: input.sourceId, departement, etatConvention: input.etatConvention, dateSignature, structureId, marquePar: ctx.viewer.userId });
      return entree(ctx, s, input.sourceId, departement);
    },
    async retirerPartenaireOffreLocale(_parent, args, ctx) {
      requireRole(ctx.viewer, ['COORDINATION', 'ADMIN'], 'Le marquage des services partenaires');
      const departement = departementAutorise(ctx.viewer, args.departement);
      const s = source(args.source);
      if (!(await new CartographieStore(ctx.dataSource).retirer(s, args.sourceId, departement))) {
        throw notFound(`partenariat du service ${s} dans le ${departement}`, args.sourceId);
      }
      return entree(ctx, s, args.sourceId, departement, true);
    },
  },
  PartenariatOffreLocale: {
    structure: (p, _args, ctx) => ((p as unknown as Partenariat).structureId ? present.structure(ctx, (p as unknown as Partenariat).structureId!) : null),
  },
};
