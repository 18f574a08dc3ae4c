import { dernieresActivitesLisibles, rightOfAccessExport, journalView, ruleFor, scalarResolvers, type JournalEntry, evenementParcoursResolvers } from '@agir/common';
import * as ecritures from './ecritures';
import type { DemarcheDroitRow, PropositionLogementRow, DemandeLogementSocialRow } from './entities';
import { COLONNES_TEXTE_LIBRE, DEMARCHES_SENSIBLES, DOMAINE, fieldRules, peutLireSensible } from './field-rules';
import type { DroitsLogementContext } from './loaders';
import type { Resolvers, ResolversParentTypes, StatutDemarche, TypeDemarcheDroit } from './generated/resolvers-types';
import { communeParCode } from '@agir/common';
import { indicateursDroitsLogement, refusPropositionsLogement } from './lectures';
import { dateArgument } from './inputs';
import { indicateursResolvers, masquerIndicateurs } from './indicateurs';
import { secretStatistiqueApplicable } from '@agir/common/src/statistical-secrecy';
import { CATEGORIE_PAR_TYPE } from './entities';
import { evaluerSituationLogement, evenementsDroitsLogement } from './rules';

/**
 * The parent of the Parcours fields is only its key: every field resolves through a loader. The
 * generated types expect every non-null field on it; a codegen mapper `Parcours: { id: string }`
 * would say it without this cast.
 */
const cleParcours = (id: string) => ({ id }) as ResolversParentTypes['Parcours'];

const commune = (codeInsee: string, nom: string | null) => ({ codeInsee, nom: nom ?? communeParCode(codeInsee)?.nom ?? codeInsee });

// Every object below carries its `parcoursId`: the field rules find the parcours of any object
// they guard through it (see field-rules.ts).

const proposition = (p: PropositionLogementRow) => ({
  parcoursId: p.parcoursId,
  id: p.id,
  date: p.date,
  bailleur: p.bailleur,
  typologie: p.typologie,
  commune: commune(p.communeInsee, p.communeNom),
  reponse: p.reponse,
  dateReponse: p.dateReponse,
  motifRefus: p.motifRefus,
});

const demande = (d: DemandeLogementSocialRow) => ({
  parcoursId: d.parcoursId,
  id: d.id,
  numeroUnique: d.numeroUnique,
  dateDepot: d.dateDepot,
  communesSouhaitees: d.communesSouhaitees.map((code) => commune(code, null)),
  typologiesSouhaitees: d.typologiesSouhaitees,
  renouvellements: d.renouvellements,
  echeanceRenouvellement: ecritures.echeanceRenouvellement(d),
});

/** Whether the viewer may read this parcours's sensitive data (the access facts are cached per request). */
async function lecteurSensible(ctx: DroitsLogementContext, parcoursId: string): Promise<boolean> {
  return peutLireSensible(ctx.viewer, await ctx.loaders.acces.load(parcoursId), ctx.loaders.jour);
}

/** The procedures the viewer may see: the sensitive ones (legal status, family, care) only to a sensitive reader. */
async function demarchesVisibles(ctx: DroitsLogementContext, parcoursId: string, demarches: DemarcheDroitRow[]): Promise<DemarcheDroitRow[]> {
  if (!demarches.some((d) => DEMARCHES_SENSIBLES.has(d.type))) return demarches;
  return (await lecteurSensible(ctx, parcoursId)) ? demarches : demarches.filter((d) => !DEMARCHES_SENSIBLES.has(d.type));
}

/** A value of the journal, JSON-encoded (null when the field had none). */


/**
 * The journal as a viewer who may not read sensitive data would see it (the field is reserved to
 * sensitive readers today; this keeps it safe should the rule ever widen): no change of a
 * procedure not known to be of a non-sensitive type, no free text.
 */
function journalNonSensible(entries: (JournalEntry & { parcoursId: string })[]) {
  return entries
    .filter((e) => {
      if (!e.action.endsWith(' demarche_droit')) return true;
      const type = e.changes.type?.after ?? e.changes.type?.before;
      return typeof type === 'string' && !DEMARCHES_SENSIBLES.has(type);
    })
    .map((e) => ({ ...e, changes: Object.fromEntries(Object.entries(e.changes).filter(([champ]) => !COLONNES_TEXTE_LIBRE.has(champ))) }));
}

/** Thin resolvers: per-parcours fields through the request's loaders, writes in `ecritures`. */
export const resolvers: Resolvers = {
  ...scalarResolvers('Date', 'DateTime'),
  Query: {
    refusPropositionsLogement: (_root, args, ctx) => refusPropositionsLogement(ctx, args.parcoursIds),
    derniereActiviteDroitsLogement(_root, args, ctx) {
      const jour = args.date == null ? ctx.loaders.jour : dateArgument(args.date, 'date');
      const regle = ruleFor(fieldRules, 'Parcours', 'derniereActiviteDroitsLogement')!;
      return dernieresActivitesLisibles(ctx, ctx.loaders.acces, regle, DOMAINE, args.parcoursIds, 'derniereActiviteDroitsLogement', (ids) => ctx.loaders.store.dernieresActivites(ids, jour));
    },
    indicateursDroitsLogement: async (_root, args, ctx) => masquerIndicateurs(await indicateursDroitsLogement(ctx, args), secretStatistiqueApplicable(ctx.viewer.roles)),
  },
  Indicateurs: indicateursResolvers as unknown as Resolvers['Indicateurs'],
  Mutation: {
    enregistrerSituationLogement: (_root, { input }, ctx) => ecritures.enregistrerSituationLogement(ctx, input),
    changerSituationLogement: (_root, { input }, ctx) => ecritures.changerSituationLogement(ctx, input),
    creerDemarcheDroit: (_root, { input }, ctx) => ecritures.creerDemarcheDroit(ctx, input),
    changerStatutDemarche: (_root, { input }, ctx) => ecritures.changerStatutDemarche(ctx, input),
    enregistrerDemandeLogementSocial: async (_root, { input }, ctx) => demande(await ecritures.enregistrerDemandeLogementSocial(ctx, input)),
    renouvelerDemandeLogementSocial: async (_root, { input }, ctx) => demande(await ecritures.renouvelerDemandeLogementSocial(ctx, input)),
    enregistrerPropositionLogement: async (_root, { input }, ctx) => proposition(await ecritures.enregistrerPropositionLogement(ctx, input)),
    repondrePropositionLogement: async (_root, { input }, ctx) => proposition(await ecritures.repondrePropositionLogement(ctx, input)),
    ajouterMesureAccompagnementLogement: (_root, { input }, ctx) => ecritures.ajouterMesureAccompagnementLogement(ctx, input),
    signalerIncidentLogement: (_root, { input }, ctx) => ecritures.signalerIncidentLogement(ctx, input),
    resoudreIncidentLogement: (_root, { input }, ctx) => ecritures.resoudreIncidentLogement(ctx, input),
  },
  EvenementParcours: evenementParcoursResolvers,
  Parcours: {
    /**
     * A parcours this domain does not follow (yet) still resolves, with no housing and no
     * procedures: the domain answers for what it holds, and holds nothing about it. Nothing to
     * read here: every field loads what it needs (after its access rule has allowed it).
     */
    __resolveReference: (reference) => cleParcours(reference.id),
    situationLogement: (p, _args, ctx) => ctx.loaders.situationCourante.load(p.id),
    historiqueLogement: (p, _args, ctx) => ctx.loaders.historiqueLogement.load(p.id),
    demarchesDroits: async (p, _args, ctx) => demarchesVisibles(ctx, p.id, await ctx.loaders.demarches.load(p.id)),
    async logementPourSortie(p, args, ctx) {
      // Judged on the day asked, from the dated periods: the one in force that day, chosen as
      // `situationsCourantes` chooses today's (the latest start, an open end first).
      const jour = args.date == null ? ctx.loaders.jour : dateArgument(args.date, 'date');
      const situation = periodeAu(await ctx.loaders.historiqueLogement.load(p.id), jour);
      if (!situation) return null;
      const evaluation = evaluerSituationLogement(situation, jour);
      return { parcoursId: p.id, categorie: evaluation.categorie, type: situation.type, durable: evaluation.durable, temporaireAccepte: evaluation.temporaireAccepte, depuis: situation.dateDebut };
    },
    refusPropositionsLogement: async (p, _args, ctx) => (await ctx.loaders.compteRefus.load(p.id))?.refus ?? 0,
    derniereActiviteDroitsLogement: async (p, _args, ctx) => (await ctx.loaders.derniereActivite.load(p.id))?.date ?? null,
    async evenementsDroitsLogement(p, _args, ctx) {
      const l = ctx.loaders;
      const [historique, demarches, demandeRow, propositions, mesures, incidents] = await Promise.all([
        l.historiqueLogement.load(p.id),
        l.demarches.load(p.id),
        l.demande.load(p.id),
        l.propositions.load(p.id),
        l.mesures.load(p.id),
        l.incidents.load(p.id),
      ]);
      const visibles = await demarchesVisibles(ctx, p.id, demarches);
      return evenementsDroitsLogement({ historique, demarches: visibles, demande: demandeRow, propositions, mesures, incidents }).map((e) => ({ parcoursId: p.id, ...e }));
    },
    demandeLogementSocial: async (p, _args, ctx) => {
      const row = await ctx.loaders.demande.load(p.id);
      return row ? demande(row) : null;
    },
    propositionsLogement: async (p, _args, ctx) => (await ctx.loaders.propositions.load(p.id)).map(proposition),
    async installationLogement(p, _args, ctx) {
      const [situation, mesures, incidents] = await Promise.all([
        ctx.loaders.situationCourante.load(p.id),
        ctx.loaders.mesures.load(p.id),
        ctx.loaders.incidents.load(p.id),
      ]);
      // Installation is about a home of one's own or an adapted one, not a shelter.
      const installe = situation !== null && ['LOGEMENT_AUTONOME', 'LOGEMENT_ACCOMPAGNE_ADAPTE'].includes(CATEGORIE_PAR_TYPE[situation.type]);
      return { parcoursId: p.id, dateEntree: installe ? situation.dateDebut : null, mesures, incidents };
    },
    async journalDroitsLogement(p, _args, ctx) {
      const entries = await ctx.loaders.journal.load(p.id);
      return ((await lecteurSensible(ctx, p.id)) ? entries : journalNonSensible(entries)).map(journalView);
    },
    donneesPersonnellesDroitsLogement: (p, _args, ctx) => rightOfAccessExport(ctx, 'DROITS_LOGEMENT', p.id),
  },
  SituationLogement: {
    commune: (s) => (s.communeInsee ? commune(s.communeInsee, s.communeNom) : null),
  },
  DemarcheDroit: {
    type: (d: DemarcheDroitRow) => d.type as TypeDemarcheDroit,
    statut: (d: DemarcheDroitRow) => d.statut as StatutDemarche,
    blocage: (d: DemarcheDroitRow) =>
      d.statut === 'BLOQUE' && d.motifBlocage && d.bloqueeDepuis
        ? { parcoursId: d.parcoursId, motif: d.motifBlocage, commentaire: d.commentaireBlocage ?? null, depuis: d.bloqueeDepuis }
        : null,
    dernierChangement: (d: DemarcheDroitRow) => d.dernierChangement ?? null,
  },
};

/**
 * The housing period in force on `jour` among a parcours's periods (sorted by start): the latest
 * to start on or before that day whose end, if any, is not before it; an open end wins a tie.
 */
function periodeAu<T extends { dateDebut: string; dateFin: string | null }>(periodes: readonly T[], jour: string): T | null {
  let retenue: T | null = null;
  for (const s of periodes) {
    if (s.dateDebut > jour || (s.dateFin !== null && s.dateFin < jour)) continue;
    if (!retenue || s.dateDebut > retenue.dateDebut || (s.dateDebut === retenue.dateDebut && (s.dateFin === null || (retenue.dateFin !== null && s.dateFin >= retenue.dateFin)))) retenue = s;
  }
  return retenue;
}
