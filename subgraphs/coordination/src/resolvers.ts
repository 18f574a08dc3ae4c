import { addMonths, badUserInput, decideAccess, forbidden, ruleFor, notFound, parseId, parsePageArgs, scalarResolvers, today, toConnection, evenementParcoursResolvers } from '@agir/common';
import { stringify } from 'csv-stringify/sync';
import { autoriser, autoriserParcours } from './access';
import { fieldRules } from './field-rules';
import { besoinDesRegles, listeCalculee } from './file-active/liste-calculee';
import { activiteLoader, activitesDomaines, alertesParcours, echeancesParcours, refusLogement } from './alertes';
import { calculerEligibilite, faitsDuParcours } from './eligibilite';
import type { ParcoursRow, ReferentRow } from './entities';
import type { Resolvers, ResolversTypes } from './generated/resolvers-types';
import { dateArg, jourDuParcours, jourPasse, optionalDateArg } from './inputs';
import { faitsSortieLoader } from './parcours-actions';
import type { CoordinationContext } from './loaders';
import { mutations } from './mutations';
import { actionsPermises, criteresSortie, evaluerEligibilite, evenementsCoordination, fusionnerChronologie, type PersonneEligibilite } from './rules';
import * as present from './presenters';
import { parcoursCursorKey, parseDepartement } from './stores/parcours-store';
import { visibilite } from './stores/acces-store';

const referent = (ctx: CoordinationContext, id: string | null): Promise<ReferentRow | null> => (id ? ctx.loaders.referent.load(id) : Promise.resolve(null));

/** The facts the domain subgraphs provide on Parcours, present when the gateway resolves @requires. */
interface FaitsExternes {
  logementPourSortie?: { categorie: string; type: string; durable: boolean; temporaireAccepte: boolean; depuis: string } | null;
  situationPourSortie?: { categorie: string; stabilise: boolean; depuis: string | null } | null;
  refusPropositionsLogement?: number | null;
  derniereActiviteDroitsLogement?: string | null;
  derniereActiviteEmploiFormation?: string | null;
  evenementsDroitsLogement?: { date: string; domaine: string; type: string; libelle: string }[] | null;
  evenementsEmploiFormation?: { date: string; domaine: string; type: string; libelle: string }[] | null;
}
const externes = (p: ParcoursRow) => p as ParcoursRow & FaitsExternes;

/** Loads one parcours the caller may see. */
/**
 * A parcours the viewer may see (see `visibilite`): NOT_FOUND when there is none with that id,
 * FORBIDDEN (without any of its data) when it exists outside the viewer's scope.
 */
async function parcoursVisible(ctx: CoordinationContext, id: string): Promise<ParcoursRow> {
  const [row, acces] = await Promise.all([ctx.loaders.parcours.load(id), ctx.loaders.acces.load(id)]);
  if (!row) throw notFound('parcours', id);
  if (!acces) throw forbidden("Ce parcours est hors de votre périmètre : ni votre département, ni votre binôme, ni une orientation de votre structure, ni un accès exceptionnel en cours.", { parcoursId: id });
  return row;
}

function personneDepuisInput(input: ResolversTypes['PersonneEligibiliteInput'], field: string): PersonneEligibilite {
  return {
    protection: input.protection ?? null,
    dateObtentionProtection: optionalDateArg(input.dateObtentionProtection, `${field}.dateObtentionProtection`, { future: true }),
    dateNaissance: optionalDateArg(input.dateNaissance, `${field}.dateNaissance`),
    cirSigne: input.cirSigne ?? null,
    dateSignatureCir: optionalDateArg(input.dateSignatureCir, `${field}.dateSignatureCir`, { future: true }),
    domicilieDansDepartement: input.domicilieDansDepartement ?? null,
    resideHabituellementDansDepartement: input.resideHabituellementDansDepartement ?? null,
    logementDurable: input.logementDurable ?? null,
    emploiDurable: input.emploiDurable ?? null,
    volontaire: input.volontaire ?? null,
    rejoignant: input.lienRejoignant || input.bpi ? { lien: input.lienRejoignant ?? null, bpi: input.bpi ? personneDepuisInput(input.bpi, `${field}.bpi`) : null } : null,
    instructionPrefet:
      input.referenceInstructionPrefet != null || input.accordOfii != null ? { reference: input.referenceInstructionPrefet ?? null, accordOfii: input.accordOfii ?? null } : null,
  };
}

const CSV_COLONNES = [
  ['reference', 'Référence fiche'],
  ['soumiseLe', 'Soumise le'],
  ['prescripteur', 'Prescripteur'],
  ['structure', 'Structure du prescripteur'],
  ['nom', 'Nom'],
  ['prenom', 'Prénom'],
  ['dateNaissance', 'Date de naissance'],
  ['sexe', 'Sexe'],
  ['paysNaissance', 'Pays de naissance'],
  ['protection', 'Protection'],
  ['dateObtentionProtection', "Date d'obtention de la protection"],
  ['dateSignatureCir', 'Date de signature du CIR'],
  ['commune', 'Commune de résidence'],
  ['domicilie', 'Domicilié dans le département'],
  ['reside', 'Réside habituellement dans le département'],
  ['logementDurable', 'Logement pérenne'],
  ['emploiDurable', 'Emploi durable'],
  ['volontaire', 'Volontaire'],
  ['commentaire', 'Commentaire'],
] as const;

const ouiNon = (v: boolean | null | undefined) => (v == null ? '' : v ? 'oui' : 'non');

export const resolvers: Resolvers = {
  ...scalarResolvers('Date', 'DateTime', 'EmailAddress', 'PhoneNumber', 'PostalCode', 'CountryCode'),
  Query: {
    async parcours(_parent, args, ctx) {
      return parcoursVisible(ctx, parseId(args.id, 'id'));
    },
    async parcoursListe(_parent, args, ctx) {
      const { limit, after } = parsePageArgs(args);
      const filter = await ctx.stores.parcours.validateFilter(args.filtre);
      if (filter.departement) autoriserParcours(ctx.viewer, { departement: filter.departement });
      if (filter.mesParcours) {
        if (!ctx.viewer.referentId) {
          throw badUserInput("« filtre.mesParcours » vaut pour un référent : votre jeton ne porte pas d'identifiant de référent. Filtrez par « filtre.referentId ».", 'filtre.mesParcours');
        }
        filter.referentId = ctx.viewer.referentId;
      }
      filter.visibilite = visibilite(ctx.viewer, today(), 'p', { anciensReferents: false });
      const f = args.filtre;
      if (f?.alerte && f.alerte.length === 0) throw badUserInput('« filtre.alerte » ne peut pas être une liste vide : omettez-le pour toutes les alertes.', 'filtre.alerte');
      const calcul = { echeanceAvant: f?.echeanceAvant == null ? null : dateArg(f.echeanceAvant, 'filtre.echeanceAvant', { future: true }), alerte: f?.alerte ?? null, tri: args.tri ?? 'ORIENTATION_RECENTE' };
      if (besoinDesRegles(calcul)) return listeCalculee(ctx, await ctx.stores.parcours.tous(filter), calcul, limit, after);
      const [rows, total] = await Promise.all([ctx.stores.parcours.page(filter, limit, after), ctx.stores.parcours.count(filter)]);
      for (const row of rows) ctx.loaders.parcours.prime(row.id, row);
      return toConnection(rows, limit, total, parcoursCursorKey);
    },
    structures(_parent, args, ctx) {
      return ctx.stores.reference.structures(args.departement == null ? undefined : parseDepartement(args.departement, 'departement'));
    },
    sites(_parent, args, ctx) {
      return ctx.stores.reference.sites(args.departement == null ? undefined : parseDepartement(args.departement, 'departement'));
    },
    async alertes(_parent, args, ctx) {
      autoriser(ctx.viewer, 'ALERTES');
      const departement = parseDepartement(args.departement, 'departement');
      autoriserParcours(ctx.viewer, { departement });
      const siteId = args.siteId == null ? null : parseId(args.siteId, 'siteId');
      const options = optionsAlertes(args.joursSansActivite, args.joursAvantEcheance);
      const aujourdhui = jourPasse(args.date, 'date');
      // Who may see what is decided today; which parcours existed, on the day asked.
      const rows = (await ctx.stores.parcours.pourAlertes(departement, siteId, visibilite(ctx.viewer, today(), 'p', { anciensReferents: false }))).filter((r) => r.dateOrientation <= aujourdhui);
      for (const row of rows) ctx.loaders.parcours.prime(row.id, row);
      // Refusals count only while the contract binds the person: ask only for those parcours.
      const candidats = rows.filter((r) => r.statut === 'CONTRACTUALISE').map((r) => r.id);
      // The domains' own activity counts against the stale-file alert: asked for every parcours listed.
      const [{ refus, erreur }, activites] = await Promise.all([refusLogement(ctx, candidats), activitesDomaines(ctx, rows.map((r) => r.id), aujourdhui)]);
      const parParcours = await Promise.all(
        rows.map(async (p) => ({ p, alertes: await alertesParcours(ctx, p, refus ? (refus.get(p.id) ?? 0) : null, aujourdhui, options, activites.dates.get(p.id) ?? []) })),
      );
      // An alert says something of one person (a deadline missed, an exclusion possible): each
      // parcours listed is a read of `Parcours.alertes`, audited.
      const regle = ruleFor(fieldRules, 'Parcours', 'alertes')!;
      const acces = await ctx.loaders.acces.loadMany(parParcours.filter((x) => x.alertes.length > 0).map((x) => x.p.id));
      for (const a of acces) {
        if (!a || a instanceof Error) continue;
        const decision = decideAccess(ctx.viewer, regle, 'COORDINATION', a, aujourdhui);
        ctx.audit.recordRead({ parcoursId: a.parcoursId, field: 'Query.alertes', allowed: decision.allowed, via: decision.via, reason: decision.allowed ? null : decision.reason });
      }
      const alertes = parParcours
        .flatMap(({ p, alertes }) => alertes.map((a) => ({ parcours: p, ...a })))
        .sort((a, b) => a.dateEcheance.localeCompare(b.dateEcheance) || a.code.localeCompare(b.code) || a.parcours.id.localeCompare(b.parcours.id));
      return {
        departement,
        dateCalcul: aujourdhui,
        alertes,
        exclusionEvaluee: refus !== null,
        activiteDomainesEvaluee: activites.erreurs.length === 0,
        avertissements: [...(refus === null ? [`La règle d'exclusion (deux refus de logement) n'a pas pu être évaluée : ${erreur ?? 'Droits & Logement indisponible'}.`] : []), ...activites.erreurs],
      };
    },
    async fichesLiaison(_parent, args, ctx) {
      autoriser(ctx.viewer, 'LIRE_FICHES_LIAISON');
      const departement = parseDepartement(args.departement, 'departement');
      autoriserParcours(ctx.viewer, { departement });
      const rows = await ctx.stores.fiches.list(departement, args.statut ?? 'EN_ATTENTE');
      return Promise.all(rows.map((f) => present.fiche(ctx, f)));
    },
    async listingFichesLiaisonCsv(_parent, args, ctx) {
      autoriser(ctx.viewer, 'LIRE_FICHES_LIAISON');
      const departement = parseDepartement(args.departement, 'departement');
      autoriserParcours(ctx.viewer, { departement });
      if (args.mois != null && !/^\d{4}-(0[1-9]|1[0-2])$/.test(args.mois)) throw badUserInput(`« mois » doit être au format AAAA-MM (ex. 2025-03), reçu « ${args.mois} ».`, 'mois');
      const fiches = await ctx.stores.fiches.list(departement, 'EN_ATTENTE', args.mois);
      const personnes = await Promise.all(fiches.map((f) => present.beneficiaire(ctx, f.beneficiaireId)));
      // The listing hands over identities as text, past the field rules: the role and département
      // checked above are the fiches' rule (the AGIR team, the OFII); each fiche read is audited.
      const via = ctx.viewer.roles.includes('COORDINATION') ? 'COORDINATION' : 'OFII';
      for (const f of fiches) ctx.audit.recordRead({ parcoursId: null, subject: `fiche_liaison:${f.id}`, field: 'Query.listingFichesLiaisonCsv', allowed: true, via });
      const lignes = fiches.map((f, i) => {
        const b = personnes[i]!;
        return {
          reference: f.id,
          soumiseLe: f.soumiseLe,
          prescripteur: f.prescripteurNom,
          structure: f.prescripteurStructure,
          nom: b.nom,
          prenom: b.prenom,
          dateNaissance: b.dateNaissance,
          sexe: b.sexe,
          paysNaissance: b.paysNaissance ?? '',
          protection: b.protection ?? '',
          dateObtentionProtection: b.dateObtentionProtection ?? '',
          dateSignatureCir: f.dateSignatureCir ?? '',
          commune: b.communeNom ?? '',
          domicilie: ouiNon(f.domicilieDepartement),
          reside: ouiNon(f.resideDepartement),
          logementDurable: ouiNon(f.logementDurable),
          emploiDurable: ouiNon(f.emploiDurable),
          volontaire: ouiNon(f.volontaire),
          commentaire: f.commentaire ?? '',
        };
      });
      return stringify(lignes, { header: true, delimiter: ';', columns: CSV_COLONNES.map(([key, header]) => ({ key, header })) });
    },
    evaluerEligibilite(_parent, args) {
      const date = dateArg(args.date, 'date', { future: true });
      const r = evaluerEligibilite(personneDepuisInput(args.personne, 'personne'), date);
      return present.eligibilite({ resultat: r, dateEvaluation: date, bpi: null });
    },
    async ateliers(_parent, args, ctx) {
      const departement = parseDepartement(args.departement, 'departement');
      autoriserParcours(ctx.viewer, { departement });
      const rows = await ctx.stores.ateliers.list(departement, args.siteId == null ? null : parseId(args.siteId, 'siteId'));
      return Promise.all(rows.map((a) => present.atelier(ctx, a)));
    },
  },
  Mutation: mutations,
  EvenementParcours: evenementParcoursResolvers,
  Parcours: {
    async __resolveReference(reference, ctx) {
      const row = await parcoursVisible(ctx, reference.id);
      // Keep the fields the gateway passed for @requires (the domains' facts) next to the row.
      return { ...row, ...reference } as ParcoursRow;
    },
    // The identity carries its parcours, so that the field rules know whose data it is.
    beneficiaire: async (p, _args, ctx) => ({ ...(await present.beneficiaire(ctx, p.beneficiaireId)), parcoursId: p.id }),
    site: (p, _args, ctx) => present.site(ctx, p.siteId),
    referentDroitsLogement: (p, _args, ctx) => referent(ctx, p.referentDroitsLogementId),
    referentEmploiFormation: (p, _args, ctx) => referent(ctx, p.referentEmploiFormationId),
    dateFinContrat: (p) => p.dateFinContrat ?? null,
    dateReintegration: (p) => p.dateReintegration ?? null,
    referenceAccordPrefet: (p) => p.referenceAccordPrefet ?? null,
    referenceInstructionPrefet: (p) => p.referenceInstructionPrefet ?? null,
    motifFin: (p) => p.motifFin ?? null,
    motifExclusion: (p) => p.motifExclusion ?? null,
    situationEntree: (p) => present.situationEntree(p),
    async eligibilite(p, args, ctx) {
      const date = args.date == null ? p.dateOrientation : dateArg(args.date, 'date', { future: true });
      const b = await present.beneficiaire(ctx, p.beneficiaireId);
      const prefet = p.canalOrientation === 'PREFET' ? { reference: p.referenceInstructionPrefet ?? null, accordOfii: p.accordOfii ?? null } : null;
      return present.eligibilite(await calculerEligibilite(ctx, b, faitsDuParcours(p), date, prefet));
    },
    historique: async (p, _args, ctx) => (await ctx.loaders.historique.load(p.id)).map(present.transition),
    actionsPermises: (p) =>
      actionsPermises(p.statut, {
        aujourdhui: today(),
        dateContrat: p.dateContrat,
        dateFinContrat: p.dateFinContrat ?? null,
        dateReintegration: p.dateReintegration ?? null,
        dateSortie: p.dateSortie,
        dejaReintegre: p.dateReintegration != null,
        // Whether the exit criteria hold needs the domains: SORTIR is listed, its mutation checks them.
        criteresSortieRemplis: true,
      }),
    async convocation(p, _args, ctx) {
      const c = await ctx.loaders.convocation.load(p.id);
      return c ? { site: await present.site(ctx, c.siteId), date: c.dateRdv, heure: c.heure, contenu: c.contenu, remiseLe: c.remiseLe } : null;
    },
    async diagnostic(p, _args, ctx) {
      const d = await ctx.loaders.diagnostic.load(p.id);
      return d ? { date: d.dateDiagnostic, professionnel: d.professionnel, axes: d.axes, prioriteRecommandee: d.prioriteRecommandee, signeParBeneficiaire: d.signeParBeneficiaire } : null;
    },
    async commission(p, _args, ctx) {
      const c = await ctx.loaders.commission.load(p.id);
      if (!c) return null;
      const partenaires = await Promise.all(c.partenaireIds.map((id) => present.structure(ctx, id)));
      return { date: c.dateCommission, priorite: c.priorite, bassinDeVie: c.bassinDeVie, partenaires };
    },
    async contrat(p, _args, ctx) {
      const c = await ctx.loaders.contrat.load(p.id);
      return c ? { dateSignature: c.dateSignature, dateFin: p.dateFinContrat ?? c.dateFin, plan: c.plan } : null;
    },
    evaluations: async (p, _args, ctx) => (await ctx.loaders.evaluations.load(p.id)).map((e) => ({ id: e.id, type: e.type, date: e.dateEvaluation, axes: e.axes })),
    async suivis(p, _args, ctx) {
      const rows = await ctx.loaders.suivis.load(p.id);
      return rows.map((s) => ({
        echeance: s.echeance,
        datePrevue: p.dateSortie ? addMonths(p.dateSortie, s.echeance === 'TROIS_MOIS' ? 3 : 6) : s.dateEntretien,
        date: s.dateEntretien,
        resultat: s.resultat,
      }));
    },
    async ateliers(p, _args, ctx) {
      const participations = await ctx.loaders.participations.load(p.id);
      const rows = await Promise.all(participations.map((x) => required(ctx.loaders.atelier.load(x.atelierId), 'atelier', x.atelierId)));
      rows.sort((a, b) => a.dateAtelier.localeCompare(b.dateAtelier));
      return Promise.all(rows.map((a) => present.atelier(ctx, a)));
    },
    async ficheLiaison(p, _args, ctx) {
      const f = await ctx.loaders.ficheParParcours.load(p.id);
      return f ? present.fiche(ctx, f) : null;
    },
    echeances: (p, args, ctx) => echeancesParcours(ctx, p, jourDuParcours(args.date, p)),
    async criteresSortie(p, args, ctx) {
      const jour = jourDuParcours(args.date, p);
      // Today's facts come with the parcours (@requires); another day's are asked of the domains
      // for that day, through the gateway as the caller (@requires cannot pass the argument on).
      const f: FaitsExternes = args.date == null ? externes(p) : ((await faitsSortieLoader(ctx, jour).load(p.id)) ?? {});
      return criteresSortie({ logement: f.logementPourSortie ?? null, professionnel: f.situationPourSortie ?? null, aujourdhui: jour });
    },
    async chronologie(p, _args, ctx) {
      const f = externes(p);
      const [historique, convocation, evaluations, suivis, participations, anciens, acces, beneficiaire] = await Promise.all([
        ctx.loaders.historique.load(p.id),
        ctx.loaders.convocation.load(p.id),
        ctx.loaders.evaluations.load(p.id),
        ctx.loaders.suivis.load(p.id),
        ctx.loaders.participations.load(p.id),
        ctx.loaders.anciensReferents.load(p.id),
        ctx.loaders.acces.load(p.id),
        ctx.loaders.beneficiaire.load(p.beneficiaireId),
      ]);
      // The date of protection is a sensitive field of the identity: shown to whom may read that field.
      const regleProtection = ruleFor(fieldRules, 'Beneficiaire', 'dateObtentionProtection')!;
      const decision = acces ? decideAccess(ctx.viewer, regleProtection, 'COORDINATION', acces, today()) : null;
      const protection = decision?.allowed && beneficiaire?.dateObtentionProtection ? { type: beneficiaire.protection, date: beneficiaire.dateObtentionProtection } : null;
      if (protection) ctx.audit.recordRead({ parcoursId: p.id, field: 'Beneficiaire.dateObtentionProtection', allowed: true, via: decision!.via ?? null });
      const ateliers = await Promise.all(participations.map((x) => required(ctx.loaders.atelier.load(x.atelierId), 'atelier', x.atelierId)));
      const siteConvocation = convocation ? await present.site(ctx, convocation.siteId) : null;
      const propres = evenementsCoordination({
        ...p,
        dateReintegration: p.dateReintegration ?? null,
        convocation: convocation && siteConvocation ? { remiseLe: convocation.remiseLe, dateRdv: convocation.dateRdv, heure: convocation.heure, site: siteConvocation.nom } : null,
        evaluations: evaluations.map((e) => ({ type: e.type, date: e.dateEvaluation })),
        suivis: suivis.map((s) => ({ echeance: s.echeance, date: s.dateEntretien })),
        ateliers: ateliers.map((a) => ({ date: a.dateAtelier, theme: a.theme })),
        transitions: historique.map((t) => ({ action: t.action, statutApres: t.statutApres, date: t.dateEffet, motif: t.motif })),
        protection,
        changementsReferents: anciens.map((a) => ({ domaine: a.domaine, date: a.remplaceLe })),
      });
      return fusionnerChronologie(propres, f.evenementsDroitsLogement, f.evenementsEmploiFormation);
    },
    async alertes(p, args, ctx) {
      const f = externes(p);
      const refus = typeof f.refusPropositionsLogement === 'number' ? f.refusPropositionsLogement : null;
      const jour = jourDuParcours(args.date, p);
      // Today's activity comes with the parcours (@requires); another day's is asked for that day.
      const activites = args.date == null ? [f.derniereActiviteDroitsLogement, f.derniereActiviteEmploiFormation] : await activiteLoader(ctx, jour).load(p.id);
      return alertesParcours(ctx, p, refus, jour, optionsAlertes(args.joursSansActivite, args.joursAvantEcheance), activites);
    },
  },
  Beneficiaire: {
    communeResidence: (b) => (b.communeInsee && b.communeNom ? { codeInsee: b.communeInsee, nom: b.communeNom } : null),
    lienRejoignant: (b) => b.lienRejoignant ?? null,
    bpi: (b, _args, ctx) => (b.bpiBeneficiaireId ? ctx.loaders.beneficiaire.load(b.bpiBeneficiaireId) : null),
  },
  Structure: {
    conventions: async (s, _args, ctx) => (await ctx.loaders.conventions.load(s.id)).map((c) => present.convention(c, s)),
  },
  Site: {
    structure: (s, _args, ctx) => present.structure(ctx, s.structureId),
    commune: (s) => (s.communeInsee && s.communeNom ? { codeInsee: s.communeInsee, nom: s.communeNom } : null),
  },
  Referent: {
    structure: (r, _args, ctx) => present.structure(ctx, r.structureId),
  },
};

const { required } = present;

function optionsAlertes(joursSansActivite: number | null | undefined, joursAvantEcheance: number | null | undefined) {
  const jours = (v: number | null | undefined, defaut: number, field: string) => {
    if (v == null) return defaut;
    if (!Number.isInteger(v) || v < 0 || v > 3650) throw badUserInput(`« ${field} » doit être un nombre de jours entre 0 et 3650, reçu ${v}.`, field);
    return v;
  };
  return { joursSansActivite: jours(joursSansActivite, 60, 'joursSansActivite'), joursAvantEcheance: jours(joursAvantEcheance, 14, 'joursAvantEcheance') };
}
