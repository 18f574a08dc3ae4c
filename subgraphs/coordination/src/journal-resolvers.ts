import { badUserInput, ErrorCode, entreesJournal, exigerDpo, forbidden, hasRole, notFound, parseId, periodeJournal, requireDepartement, requireRole, today, type JournalAccesRepresentation } from '@agir/common';
import { GraphQLError } from 'graphql';
import type { Resolvers } from './generated/resolvers-types';
import { dateArg } from './inputs';
import type { CoordinationContext } from './loaders';
import type { AccesExceptionnelRow } from './stores/acces-store';

const LECTURE_JOURNAL = 'La lecture de la piste d’audit';
const COMMENTAIRE_MAX = 2000;

/** The parcours's journal once the caller is known to be a DPO of its département. */
async function journalDuParcours(ctx: CoordinationContext, parcoursId: string, du: string, au: string): Promise<JournalAccesRepresentation> {
  exigerDpo(ctx.viewer, null, LECTURE_JOURNAL);
  const parcours = await ctx.loaders.parcours.load(parcoursId);
  if (!parcours) throw notFound('parcours', parcoursId);
  exigerDpo(ctx.viewer, parcours.departement, LECTURE_JOURNAL, { parcoursId });
  return { parcoursId, du, au, departement: parcours.departement };
}

/** The role a reading of the grants is made as, for its audit entry. */
const lecteur = (ctx: CoordinationContext) => (hasRole(ctx.viewer, 'DPO') ? 'DPO' : 'COORDINATION');

function dejaRevise(acces: AccesExceptionnelRow): GraphQLError {
  const revue = acces.revue;
  return new GraphQLError(
    `Cet accès exceptionnel a déjà été revu${revue ? ` par ${revue.nomRevuePar ?? revue.revuePar} le ${revue.revueLe.toISOString()} (${revue.conclusion})` : ''} : une revue est définitive.`,
    { extensions: { code: ErrorCode.DEJA_REVISE, id: acces.id } },
  );
}

/**
 * The data-protection officer's view: the audit trail of one parcours (Coordination's part; each
 * domain answers its own), the break-the-glass grants with what they read, and their review.
 * Every reading of the audit trail is itself written to it.
 */
export const journalResolvers: Resolvers = {
  Query: {
    async journalAcces(_parent, args, ctx) {
      exigerDpo(ctx.viewer, null, LECTURE_JOURNAL);
      const parcoursId = parseId(args.parcoursId, 'parcoursId');
      const du = args.du == null ? null : dateArg(args.du, 'du', { future: true });
      const au = args.au == null ? null : dateArg(args.au, 'au', { future: true });
      const periode = periodeJournal(du, au, today());
      const journal = await journalDuParcours(ctx, parcoursId, periode.du, periode.au);
      ctx.audit.recordConsultation({ action: 'journalAcces', parcoursId, field: 'Query.journalAcces', via: 'DPO' });
      return journal;
    },
    async accesExceptionnels(_parent, args, ctx) {
      requireRole(ctx.viewer, ['DPO', 'COORDINATION'], 'La lecture des accès exceptionnels');
      requireDepartement(ctx.viewer, args.departement);
      const grants = await ctx.stores.acces.accesExceptionnels(args.departement, args.aReviser ?? null);
      for (const g of grants) ctx.audit.recordConsultation({ action: 'accesExceptionnels', parcoursId: g.parcoursId, field: 'Query.accesExceptionnels', via: lecteur(ctx) });
      return grants;
    },
  },
  Mutation: {
    async reviserAccesExceptionnel(_parent, args, ctx) {
      requireRole(ctx.viewer, ['DPO', 'COORDINATION'], "La revue d'un accès exceptionnel");
      const id = parseId(args.id, 'id');
      const commentaire = args.commentaire?.trim() || null;
      if (commentaire && commentaire.length > COMMENTAIRE_MAX) throw badUserInput(`« commentaire » compte ${commentaire.length} caractères : ${COMMENTAIRE_MAX} au plus.`, 'commentaire');
      const acces = await ctx.stores.acces.accesExceptionnel(id);
      if (!acces) throw notFound('accès exceptionnel', id);
      if (acces.utilisateur === ctx.viewer.userId) {
        throw forbidden("Vous avez ouvert cet accès exceptionnel : sa revue revient au DPO ou à un autre membre de la coordination du département.", { parcoursId: acces.parcoursId });
      }
      requireDepartement(ctx.viewer, acces.departement);
      if (acces.revue) throw dejaRevise(acces);
      const revu = await ctx.dataSource.transaction(async (m) => {
        if (!(await ctx.stores.acces.reviser(m, { id, viewer: ctx.viewer, conclusion: args.conclusion, commentaire }))) return false;
        await ctx.audit.recordWrite(m, { action: 'reviserAccesExceptionnel', parcoursId: acces.parcoursId, changes: { conclusion: { before: null, after: args.conclusion } } });
        return true;
      });
      const apres = (await ctx.stores.acces.accesExceptionnel(id))!;
      // Another reviewer got there between the read and the update.
      if (!revu) throw dejaRevise(apres);
      return apres;
    },
  },
  JournalAcces: {
    async __resolveReference(ref, ctx) {
      return journalDuParcours(ctx, parseId(ref.parcoursId, 'parcoursId'), ref.du, ref.au);
    },
    coordination: (j, _args, ctx) => entreesJournal(ctx.dataSource, j.parcoursId, j.du, j.au),
    accesExceptionnels: (j, _args, ctx) => ctx.stores.acces.accesExceptionnelsDuParcours(j.parcoursId, j.du, j.au),
  },
  BrisDeGlace: {
    lectures: (g, _args, ctx) => ctx.loaders.lecturesSousAcces.load(g.id),
  },
};
