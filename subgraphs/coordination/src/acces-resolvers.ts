import { badUserInput, enqueueEvent, rightOfAccessExport, forbidden, hasRole, journalView, parseId, type ParcoursAccess } from '@agir/common';
import { autoriserParcours } from './access';
import { structuresDeCoordination } from './parcours-actions';
import type { Resolvers } from './generated/resolvers-types';
import { dateArg } from './inputs';
import type { CoordinationContext } from './loaders';

/** How long a "break the glass" grant lasts. */
export const DUREE_ACCES_EXCEPTIONNEL_HEURES = 2;

const MAX_IDS = 500;


async function parcoursEnPerimetre(ctx: CoordinationContext, id: string) {
  const row = await ctx.loaders.parcours.load(id);
  if (!row) throw badUserInput(`Aucun parcours ne porte l'identifiant « ${id} ».`, 'parcoursId');
  autoriserParcours(ctx.viewer, row);
  return row;
}

function exigerCoordination(ctx: CoordinationContext, action: string): void {
  if (!hasRole(ctx.viewer, 'COORDINATION')) throw forbidden(`${action} est réservé au rôle COORDINATION.`, { requiredRoles: ['COORDINATION'] });
}

/** Consent, grants and access facts: what every subgraph's field rules decide on. */
export const accesResolvers: Resolvers = {
  Query: {
    async accesParcours(_parent, args, ctx) {
      if (args.ids.length > MAX_IDS) throw badUserInput(`« ids » compte ${args.ids.length} identifiants : ${MAX_IDS} au plus par appel.`, 'ids');
      const ids = [...new Set(args.ids.map((id, i) => parseId(id, `ids[${i}]`)))];
      const faits = (await ctx.loaders.acces.loadMany(ids)).filter((f): f is ParcoursAccess => f !== null && !(f instanceof Error));
      return faits.map((f) => ({
        parcoursId: f.parcoursId,
        departement: f.departement,
        referentDroitsLogementId: f.binome.DROITS_LOGEMENT,
        referentEmploiFormationId: f.binome.EMPLOI_FORMATION,
        anciensReferents: f.formerReferents.map((r) => ({ referentId: r.referentId, jusquAu: r.until })),
        consentementDroitsLogement: f.consent.DROITS_LOGEMENT,
        consentementEmploiFormation: f.consent.EMPLOI_FORMATION,
        orientePar: f.orientedBy,
        accesExceptionnel: f.breakGlass,
      }));
    },
  },
  Mutation: {
    async enregistrerConsentement(_parent, args, ctx) {
      exigerCoordination(ctx, "L'enregistrement d'un consentement");
      const parcoursId = parseId(args.parcoursId, 'parcoursId');
      const donneLe = dateArg(args.donneLe, 'donneLe');
      await parcoursEnPerimetre(ctx, parcoursId);
      await ctx.dataSource.transaction((m) => ctx.stores.acces.enregistrerConsentement(m, { parcoursId, domaine: args.domaine, donneLe, par: ctx.viewer.userId }));
      return ctx.stores.acces.consentements([parcoursId]);
    },
    async retirerConsentement(_parent, args, ctx) {
      exigerCoordination(ctx, "L'enregistrement du retrait d'un consentement");
      const parcoursId = parseId(args.parcoursId, 'parcoursId');
      const retireLe = dateArg(args.retireLe, 'retireLe');
      await parcoursEnPerimetre(ctx, parcoursId);
      const retire = await ctx.dataSource.transaction((m) => ctx.stores.acces.retirerConsentement(m, { parcoursId, domaine: args.domaine, retireLe }));
      if (!retire) throw badUserInput(`Aucun consentement en cours pour ${args.domaine} (ou il est postérieur au ${retireLe}) : rien à retirer.`, 'domaine');
      return ctx.stores.acces.consentements([parcoursId]);
    },
    async ouvrirAccesExceptionnel(_parent, args, ctx) {
      exigerCoordination(ctx, "L'accès exceptionnel (bris de glace)");
      const parcoursId = parseId(args.parcoursId, 'parcoursId');
      const motif = args.motif.trim();
      if (motif.length < 15) throw badUserInput('« motif » doit expliquer en 15 caractères au moins pourquoi cet accès est nécessaire.', 'motif');
      const parcours = await ctx.loaders.parcours.load(parcoursId);
      if (!parcours) throw badUserInput(`Aucun parcours ne porte l'identifiant « ${parcoursId} ».`, 'parcoursId');
      const { id, expireLe } = await ctx.dataSource.transaction(async (m) => {
        const grant = await ctx.stores.acces.ouvrirAccesExceptionnel(m, { parcoursId, viewer: ctx.viewer, motif, heures: DUREE_ACCES_EXCEPTIONNEL_HEURES });
        await ctx.audit.recordWrite(m, { action: 'ouvrirAccesExceptionnel', parcoursId, changes: { motif: { before: null, after: motif } } }, 'BREAK_GLASS');
        // The coordination answering for the parcours is told at once, not at the next review;
        // ids and dates only (the motive is read in accesExceptionnels).
        await enqueueEvent(m, {
          type: 'ACCES_EXCEPTIONNEL_OUVERT',
          parcoursId,
          structureIds: await structuresDeCoordination(m, parcours.departement),
          payload: { accesExceptionnelId: grant.id, parcoursId, departement: parcours.departement, utilisateur: ctx.viewer.userId, structure: ctx.viewer.structureId, ouvertLe: grant.ouvertLe, expireLe: grant.expireLe },
        });
        return grant;
      });
      return { id, parcoursId, expireLe };
    },
  },
  Parcours: {
    consentements: (p, _args, ctx) => ctx.loaders.consentements.load(p.id),
    journalCoordination: async (p, _args, ctx) => (await ctx.loaders.journal.load(p.id)).map(journalView),
    // Identity and consent are keyed by the person or the parcours itself, not by parcours_id.
    donneesPersonnellesCoordination: (p, _args, ctx) =>
      rightOfAccessExport(ctx, 'COORDINATION', p.id, [
        { table: 'parcours', where: 'id = $1' },
        { table: 'beneficiaire', where: 'id = (SELECT beneficiaire_id FROM parcours WHERE id = $1)' },
        { table: 'consentement', where: 'parcours_id = $1' },
      ]),
  },
};
