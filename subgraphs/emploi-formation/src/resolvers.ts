import { offresEmploi } from './offres-emploi';
import { badUserInput, dernieresActivitesLisibles, enqueueEvent, notFound, parseId, requireDepartement, requireRole, ruleFor, scalarResolvers, today, rightOfAccessExport, journalView, verifierDateDuParcours, evenementParcoursResolvers } from '@agir/common';
import type { GraphQLError } from 'graphql';
import type { CandidatureRow, ContratTravailRow, DiplomeRow, FormationRow, SituationProfessionnelleRow } from './entities';
import { ecrirePourParcours } from './ecriture';
import { fieldRules, FREINS_SENSIBLES, peutLireSensible } from './field-rules';
import type { Resolvers, ResolversTypes, TypeFrein } from './generated/resolvers-types';
import type { EmploiFormationContext } from './loaders';
import {
  accompagnementVue,
  candidatureVue,
  contratVue,
  etapeVue,
  evenements,
  experienceVue,
  formationVue,
  idSansActivite,
  metier,
} from './presenters';
import {
  ActiviteInvalide,
  TYPES_CONTRAT,
  categorieActivite,
  estStabilisant,
  progression,
  progressionParcoursCir,
  rechercherMetiers,
  type Activite,
} from './rules';
import { activites, declareeStabilisante, situationAuJour, type SituationVue } from './rules/situation-courante';
import * as v from './validation';
import { indicateursEmploiFormation, indicateursResolvers, LECTEURS_QUERY } from './indicateurs';
import { profilFormation } from './profil-formation';
import { secretStatistiqueApplicable } from '@agir/common/src/statistical-secrecy';

const CATEGORIES = ['SANS_ACTIVITE', 'FORMATION_LINGUISTIQUE', 'FORMATION_PROFESSIONNELLE', 'ETUDES', 'EMPLOI_COURT', 'EMPLOI_DURABLE', 'ALTERNANCE', 'INSERTION_ACTIVITE_ECONOMIQUE', 'SERVICE_CIVIQUE'] as const;
const TYPES_FREIN = ['LANGUE', 'MOBILITE', 'GARDE_ENFANTS', 'SANTE', 'LOGEMENT', 'NUMERIQUE', 'RECONNAISSANCE_QUALIFICATIONS', 'AUTRE'] as const;
/** The programme's target: 60 % of BPI reach employment or training (seed 000, DESIGN.md §1.10). */
const OBJECTIF_ACCES = 0.6;

/** The situation of a parcours on `jour`, from its loaders (see rules/situation-courante.ts). */
async function situation(ctx: EmploiFormationContext, parcoursId: string, jour: string): Promise<SituationVue | null> {
  const [declarees, contrats, formations] = await Promise.all([
    ctx.loaders.historiqueProfessionnel.load(parcoursId),
    ctx.loaders.contrats.load(parcoursId),
    ctx.loaders.formations.load(parcoursId),
  ]);
  return situationAuJour(declarees, activites(contrats, formations), jour, (d) => idSansActivite(parcoursId, d));
}

function faitsSortie(s: SituationVue | null) {
  return s ? { parcoursId: s.parcoursId, categorie: s.categorie, stabilise: s.stabilisante, depuis: s.depuis } : null;
}

/** A barrier as the API shows it. */
const freinVue = (f: { parcoursId: string; type: TypeFrein; dateIdentification: string; dateLevee: string | null }) => ({
  parcoursId: f.parcoursId,
  type: f.type,
  dateIdentification: f.dateIdentification,
  leve: f.dateLevee !== null,
  dateLevee: f.dateLevee,
});


/** Category and stabilising flag of a contract or training, by the rules module (stored with the row for the indicators' SQL). */
function classer(activite: Activite, field: string): { categorie: ContratTravailRow['categorie']; stabilisant: boolean } {
  try {
    return { categorie: categorieActivite(activite), stabilisant: estStabilisant(activite) };
  } catch (error) {
    if (error instanceof ActiviteInvalide) throw badUserInput(error.message, field);
    throw error;
  }
}

/** Reads a row by id before a write to learn its parcours; NOT_FOUND when there is none. */
async function parcoursDe<R extends { parcoursId: string }>(
  lire: () => Promise<R | null>,
  entite: string,
  id: string,
): Promise<R> {
  const row = await lire();
  if (!row) throw notFound(entite, id);
  return row;
}

const parcoursRef = (id: string) =>
  // Fields are resolved one by one below; the generated types have no mapper for Parcours here.
  ({ id }) as unknown as ResolversTypes['Parcours'];

export const resolvers: Resolvers = {
  ...scalarResolvers('Date', 'DateTime'),
  Query: {
    metiersRome: (_root, { recherche }) => rechercherMetiers(recherche, 20).map((m) => ({ code: m.code, libelle: m.libelle })),
    derniereActiviteEmploiFormation(_root, args, ctx) {
      const jour = args.date == null ? today() : v.jour(args.date);
      const regle = ruleFor(fieldRules, 'Parcours', 'derniereActiviteEmploiFormation')!;
      return dernieresActivitesLisibles(ctx, ctx.loaders.acces, regle, 'EMPLOI_FORMATION', args.parcoursIds, 'derniereActiviteEmploiFormation', (ids) => ctx.loaders.store.dernieresActivites(ids, jour));
    },
    indicateursEmploiFormation: (_root, args, ctx) => indicateursEmploiFormation(ctx, args, { lecteurs: LECTEURS_QUERY, secret: secretStatistiqueApplicable(ctx.viewer.roles) }),
  },
  Indicateurs: {
    ...indicateursResolvers,
    profilFormation: (ref: Parameters<typeof profilFormation>[1], _args: unknown, ctx: EmploiFormationContext) => profilFormation(ctx, ref),
  } as unknown as Resolvers['Indicateurs'],
  EvenementParcours: evenementParcoursResolvers,
  Parcours: {
    /**
     * Any parcours id resolves, with empty domain fields when this domain does not follow it (yet):
     * the reference needs no SQL, each field batches its own read.
     */
    __resolveReference: (reference) => parcoursRef(reference.id),
    situationProfessionnelle: (p, _args, ctx) => situation(ctx, p.id, today()),
    async historiqueProfessionnel(p, _args, ctx) {
      const [declarees, contrats, formations] = await Promise.all([
        ctx.loaders.historiqueProfessionnel.load(p.id),
        ctx.loaders.contrats.load(p.id),
        ctx.loaders.formations.load(p.id),
      ]);
      const vues: SituationVue[] = [
        ...declarees.map((s) => ({ ...s, source: 'DECLAREE' as const, stabilisante: declareeStabilisante(s, s.dateDebut), depuis: null })),
        ...activites(contrats, formations).map((a) => ({
          id: a.row.id,
          parcoursId: a.row.parcoursId,
          categorie: a.row.categorie,
          dateDebut: a.dateDebut,
          dateFin: a.dateFin,
          source: 'CALCULEE' as const,
          stabilisante: a.row.stabilisant,
          depuis: null,
        })),
      ];
      return vues.sort((a, b) => (a.dateDebut < b.dateDebut ? -1 : a.dateDebut > b.dateDebut ? 1 : 0));
    },
    async langue(p, _args, ctx) {
      const evaluations = await ctx.loaders.evaluationsLangue.load(p.id);
      return evaluations[evaluations.length - 1] ?? null;
    },
    evaluationsLangue: (p, _args, ctx) => ctx.loaders.evaluationsLangue.load(p.id),
    certificationsLangue: (p, _args, ctx) => ctx.loaders.certificationsLangue.load(p.id),
    async diagnosticSocioProfessionnel(p, _args, ctx) {
      const [d, diplomes, experiences] = await Promise.all([ctx.loaders.diagnostic.load(p.id), ctx.loaders.diplomes.load(p.id), ctx.loaders.experiences.load(p.id)]);
      if (!d) return null;
      return { parcoursId: p.id, dateDiagnostic: d.dateDiagnostic, niveauFormation: d.niveauFormation, souhaits: d.souhaits, competences: d.competences, diplomes, experiences: experiences.map(experienceVue) };
    },
    async freins(p, _args, ctx) {
      // The health barrier is sensitive: a row shown only to whom may read sensitive data.
      const [freins, sensible] = await Promise.all([ctx.loaders.freins.load(p.id), peutLireSensible(ctx, p.id)]);
      return freins.filter((f) => sensible || !FREINS_SENSIBLES.has(f.type)).map(freinVue);
    },
    async projetProfessionnel(p, _args, ctx) {
      const [projet, etapes] = await Promise.all([ctx.loaders.projet.load(p.id), ctx.loaders.etapesProjet.load(p.id)]);
      if (!projet) return null;
      return { parcoursId: p.id, etat: projet.etat, metiersVises: projet.codesRome.map(metier), dateMiseAJour: projet.dateMiseAJour, etapes: etapes.map(etapeVue) };
    },
    async inscriptionFranceTravail(p, _args, ctx) {
      const i = await ctx.loaders.inscriptionFranceTravail.load(p.id);
      // The identifier's rule (SENSITIVE, field-rules.ts) decides who reads it.
      return i ? { parcoursId: i.parcoursId, dateInscription: i.dateInscription, identifiant: i.identifiant } : null;
    },
    accompagnementsExternes: async (p, _args, ctx) => (await ctx.loaders.accompagnementsExternes.load(p.id)).map(accompagnementVue),
    candidatures: async (p, _args, ctx) => (await ctx.loaders.candidatures.load(p.id)).map(candidatureVue),
    formations: async (p, _args, ctx) => (await ctx.loaders.formations.load(p.id)).map(formationVue),
    contratsTravail: async (p, _args, ctx) => (await ctx.loaders.contrats.load(p.id)).map(contratVue),
    situationPourSortie: async (p, args, ctx) => faitsSortie(await situation(ctx, p.id, args.date == null ? today() : v.jour(args.date))),
    derniereActiviteEmploiFormation: async (p, _args, ctx) => (await ctx.loaders.derniereActivite.load(p.id))?.date ?? null,
    situationProfessionnelleAu: async (p, args, ctx) => faitsSortie(await situation(ctx, p.id, v.jour(args.date))),
    async evenementsEmploiFormation(p, _args, ctx) {
      const l = ctx.loaders;
      const [diagnostic, inscription, evaluations, certifications, etapes, candidatures, formations, contrats, projet, journal, accompagnements] = await Promise.all([
        l.diagnostic.load(p.id),
        l.inscriptionFranceTravail.load(p.id),
        l.evaluationsLangue.load(p.id),
        l.certificationsLangue.load(p.id),
        l.etapesProjet.load(p.id),
        l.candidatures.load(p.id),
        l.formations.load(p.id),
        l.contrats.load(p.id),
        l.projet.load(p.id),
        l.journal.load(p.id),
        l.accompagnementsExternes.load(p.id),
      ]);
      // No event is made of a barrier (SANTE included) nor of free text (the journal gives only the
      // project's state, ROME codes and dates; an outside partner is named by its type): nothing
      // sensitive to filter here.
      return evenements(p.id, { diagnostic, inscription, evaluations, certifications, etapes, candidatures, formations, contrats, projet, journal, accompagnements });
    },
    // The whole journal is SENSITIVE (field-rules.ts): whoever reads it may read the SANTE barrier's
    // rows and the free text, so nothing is left out of it.
    journalEmploiFormation: async (p, _args, ctx) => (await ctx.loaders.journal.load(p.id)).map(journalView),
    offresEmploi: (p, args, ctx) => offresEmploi(p.id, args, ctx),
    donneesPersonnellesEmploiFormation: (p, _args, ctx) => rightOfAccessExport(ctx, 'EMPLOI_FORMATION', p.id),
  },
  SituationProfessionnelle: {
    // Declared rows read straight from the table (none today, but the mapper allows them) are DECLAREE.
    source: (s) => (s as Partial<SituationVue>).source ?? 'DECLAREE',
    stabilisante: (s) => (s as Partial<SituationVue>).stabilisante ?? declareeStabilisante(s, today()),
  },
  Langue: {
    async niveauEntree(e, _args, ctx) {
      const evaluations = await ctx.loaders.evaluationsLangue.load(e.parcoursId);
      return evaluations[0]?.niveauCecrl ?? e.niveauCecrl;
    },
    async niveauxGagnes(e, _args, ctx) {
      const evaluations = await ctx.loaders.evaluationsLangue.load(e.parcoursId);
      return progression(evaluations[0]?.niveauCecrl ?? e.niveauCecrl, e.niveauCecrl);
    },
    async parcoursCir(e, _args, ctx) {
      const cir = (await ctx.loaders.formations.load(e.parcoursId)).filter((f) => f.dispositifLinguistique === 'CIR').pop();
      if (!cir || cir.heuresPrevues === null) return null;
      const realisees = cir.heuresRealisees ?? 0;
      return { parcoursId: e.parcoursId, heuresPrescrites: cir.heuresPrevues, heuresRealisees: realisees, pourcentageRealise: progressionParcoursCir(cir.heuresPrevues, realisees) };
    },
  },
  Mutation: {
    enregistrerDiagnosticSocioProfessionnel: (_r, { parcoursId, input }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        (etat) => {
          verifierDateDuParcours(etat, v.jour(input.dateDiagnostic), 'input.dateDiagnostic', { evenement: true });
          const competences = (input.competences ?? []).map((c, i) => v.texte(c, `input.competences[${i}]`, 100));
          if (competences.length > 30) throw badUserInput(`30 compétences au plus (reçu ${competences.length}) : regroupez-les.`, 'input.competences');
          return {
            dateDiagnostic: v.jour(input.dateDiagnostic),
            niveauFormation: input.niveauFormation,
            souhaits: input.souhaits == null ? null : v.texte(input.souhaits, 'input.souhaits', 2000),
            competences,
          };
        },
        (d) => [d.dateDiagnostic],
        async (store, id, d) => {
          const row = await store.enregistrerDiagnostic({ parcoursId: id, ...d });
          return { ...row, diplomes: [], experiences: [] };
        },
      ),
    ajouterDiplome: (_r, { parcoursId, input }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        () => ({
          intitule: v.texte(input.intitule, 'input.intitule'),
          pays: v.pays(input.pays, 'input.pays'),
          annee: v.entierPositif(input.annee, 'input.annee', 2100),
          reconnaissance: input.reconnaissance,
        }),
        () => [],
        async (store, id, d) => {
          if (!(await store.diagnostic(id))) throw sansDiagnostic();
          return store.ajouterDiplome({ parcoursId: id, ...d });
        },
      ),
    async modifierReconnaissanceDiplome(_r, { diplomeId, reconnaissance }, ctx) {
      const id = parseId(diplomeId, 'diplomeId');
      const row = await parcoursDe(() => new EcrituresLecture(ctx).diplome(id), 'diplôme', id);
      return ecrirePourParcours(ctx, row.parcoursId, 'diplomeId', () => null, () => [], (store) => store.modifierDiplome(id, { reconnaissance }));
    },
    ajouterExperienceProfessionnelle: (_r, { parcoursId, input }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        () => ({ codeRome: v.codeRome(input.codeRome, 'input.codeRome'), pays: v.pays(input.pays, 'input.pays'), dureeMois: v.entierPositif(input.dureeMois, 'input.dureeMois', 600) }),
        () => [],
        async (store, id, d) => {
          if (!(await store.diagnostic(id))) throw sansDiagnostic();
          return experienceVue(await store.ajouterExperience({ parcoursId: id, ...d }));
        },
      ),
    signalerFrein: (_r, { parcoursId, type, dateIdentification }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        (etat) => verifierDateDuParcours(etat, v.jour(dateIdentification), 'dateIdentification', { evenement: true }),
        (d) => [d],
        async (store, id, d) => {
          if (await store.frein(id, type)) {
            throw badUserInput(`Un frein ${type} est déjà signalé pour ce parcours : levez-le avec leverFrein, ou corrigez le type.`, 'type');
          }
          return freinVue(await store.enregistrerFrein({ parcoursId: id, type, dateIdentification: d, dateLevee: null }));
        },
      ),
    leverFrein: (_r, { parcoursId, type, dateLevee }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        (etat) => verifierDateDuParcours(etat, v.jour(dateLevee), 'dateLevee', { evenement: true }),
        () => [],
        async (store, id, d) => {
          const f = await store.frein(id, type);
          if (!f) throw badUserInput(`Aucun frein ${type} n'est signalé pour ce parcours : signalez-le d'abord avec signalerFrein.`, 'type');
          if (d < f.dateIdentification) throw badUserInput(`Le frein ne peut pas être levé (${d}) avant d'avoir été repéré (${f.dateIdentification}).`, 'dateLevee');
          return freinVue(await store.enregistrerFrein({ ...f, dateLevee: d }));
        },
      ),
    evaluerNiveauLangue: (_r, { parcoursId, input }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        (etat) => ({
          niveauCecrl: input.niveauCecrl,
          dateEvaluation: verifierDateDuParcours(etat, v.jour(input.dateEvaluation), 'input.dateEvaluation', { evenement: true }),
          heuresParcoursCir: v.heuresCir(input.heuresParcoursCir, 'input.heuresParcoursCir'),
        }),
        (d) => [d.dateEvaluation],
        (store, id, d) => store.ajouterEvaluation({ parcoursId: id, ...d }),
      ),
    ajouterCertificationLangue: (_r, { parcoursId, input }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        (etat) => ({ type: input.type, niveauCecrl: input.niveauCecrl, dateObtention: verifierDateDuParcours(etat, v.jour(input.dateObtention), 'input.dateObtention', { evenement: false }) }),
        (d) => [d.dateObtention],
        (store, id, d) => store.ajouterCertification({ parcoursId: id, ...d }),
      ),
    definirProjetProfessionnel: (_r, { parcoursId, input }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        (etat) => {
          const codes = [...new Set(input.codesRome.map((c, i) => v.codeRome(c, `input.codesRome[${i}]`)))];
          if (codes.length > 5) throw badUserInput(`Cinq métiers visés au plus (reçu ${codes.length}) : gardez les plus avancés.`, 'input.codesRome');
          if (codes.length === 0 && input.etat !== 'A_CONSTRUIRE' && input.etat !== 'A_RETRAVAILLER') {
            throw badUserInput(`Un projet ${input.etat} vise au moins un métier : donnez son code ROME.`, 'input.codesRome');
          }
          return { etat: input.etat, codesRome: codes, dateMiseAJour: verifierDateDuParcours(etat, v.jour(input.dateMiseAJour), 'input.dateMiseAJour', { evenement: true }) };
        },
        (d) => [d.dateMiseAJour],
        async (store, id, d) => {
          const p = await store.definirProjet({ parcoursId: id, ...d });
          return { parcoursId: p.parcoursId, etat: p.etat, metiersVises: p.codesRome.map(metier), dateMiseAJour: p.dateMiseAJour, etapes: [] };
        },
      ),
    ajouterEtapeProjet: (_r, { parcoursId, input }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        (etat) => {
          // A step may be booked ahead (an immersion next month): planned, dated later.
          const dateDebut = verifierDateDuParcours(etat, v.jour(input.dateDebut), 'input.dateDebut', { evenement: true, prevu: true });
          const d = { type: input.type, codeRome: v.codeRomeOuNull(input.codeRome, 'input.codeRome'), dateDebut, dateFin: v.jourOuNull(input.dateFin) };
          v.periode(d.dateDebut, d.dateFin);
          return d;
        },
        (d) => [d.dateDebut],
        async (store, id, d) => {
          if (!(await store.projet(id))) throw badUserInput("Le projet professionnel n'est pas encore défini : définissez-le (definirProjetProfessionnel) avant d'y ajouter une étape.", 'parcoursId');
          return etapeVue(await store.ajouterEtape({ parcoursId: id, ...d }));
        },
      ),
    inscrireFranceTravail: (_r, { parcoursId, input }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        (etat) => ({ dateInscription: verifierDateDuParcours(etat, v.jour(input.dateInscription), 'input.dateInscription', { evenement: false }), identifiant: v.identifiantFranceTravail(input.identifiant) }),
        (d) => [d.dateInscription],
        async (store, id, d) => {
          const i = await store.inscrireFranceTravail({ parcoursId: id, ...d });
          return { parcoursId: i.parcoursId, dateInscription: i.dateInscription, identifiant: i.identifiant };
        },
      ),
    ajouterAccompagnementExterne: (_r, { parcoursId, input }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        (etat) => {
          const dateDebut = verifierDateDuParcours(etat, v.jour(input.dateDebut), 'input.dateDebut', { evenement: false });
          const d = { type: input.type, structure: v.texte(input.structure, 'input.structure'), dateDebut, dateFin: v.jourOuNull(input.dateFin) };
          v.periode(d.dateDebut, d.dateFin);
          return d;
        },
        (d) => [d.dateDebut],
        async (store, id, d) => accompagnementVue(await store.ajouterAccompagnement({ parcoursId: id, ...d })),
      ),
    ajouterCandidature: (_r, { parcoursId, input }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        (etat) => ({
          employeur: v.texte(input.employeur, 'input.employeur'),
          codeRome: v.codeRome(input.codeRome, 'input.codeRome'),
          dateCandidature: verifierDateDuParcours(etat, v.jour(input.dateCandidature), 'input.dateCandidature', { evenement: true }),
          canal: input.canal,
          resultat: input.resultat ?? 'EN_ATTENTE',
        }),
        (d) => [d.dateCandidature],
        async (store, id, d) => candidatureVue(await store.ajouterCandidature({ parcoursId: id, ...d })),
      ),
    async modifierResultatCandidature(_r, { candidatureId, resultat }, ctx) {
      const id = parseId(candidatureId, 'candidatureId');
      const row = await parcoursDe(() => new EcrituresLecture(ctx).candidature(id), 'candidature', id);
      return ecrirePourParcours(ctx, row.parcoursId, 'candidatureId', () => null, () => [], async (store) => candidatureVue(await store.modifierCandidature(id, { resultat })));
    },
    ajouterFormation: (_r, { parcoursId, input }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        (etat) => validerFormation({
          type: input.type,
          dispositifLinguistique: input.dispositifLinguistique ?? null,
          intitule: v.texte(input.intitule, 'input.intitule'),
          organisme: v.texte(input.organisme, 'input.organisme'),
          codeRome: v.codeRomeOuNull(input.codeRome, 'input.codeRome'),
          diplomante: input.diplomante ?? false,
          // A training may be booked ahead: planned, dated later.
          dateDebut: verifierDateDuParcours(etat, v.jour(input.dateDebut), 'input.dateDebut', { evenement: true, prevu: true }),
          dateFin: v.jourOuNull(input.dateFin),
          heuresPrevues: input.heuresPrevues ?? null,
          heuresRealisees: input.heuresRealisees ?? null,
          resultat: input.resultat ?? 'EN_COURS',
        }),
        (d) => [d.dateDebut],
        async (store, id, d) => formationVue(await store.ajouterFormation({ parcoursId: id, ...d })),
      ),
    async modifierFormation(_r, { formationId, input }, ctx) {
      const id = parseId(formationId, 'formationId');
      const actuelle = await parcoursDe(() => new EcrituresLecture(ctx).formation(id), 'formation', id);
      return ecrirePourParcours(
        ctx,
        actuelle.parcoursId,
        'formationId',
        () => {
          const { id: _id, parcoursId: _p, categorie: _c, stabilisant: _s, ...base } = actuelle;
          return validerFormation({
            ...base,
            dateFin: input.dateFin === undefined ? actuelle.dateFin : v.jourOuNull(input.dateFin),
            heuresRealisees: input.heuresRealisees === undefined ? actuelle.heuresRealisees : input.heuresRealisees,
            resultat: input.resultat ?? actuelle.resultat,
          });
        },
        () => [],
        async (store, _id, d) => formationVue(await store.modifierFormation(id, d)),
      );
    },
    ajouterContratTravail: (_r, { parcoursId, input }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        (etat) =>
          validerContrat({
            type: input.type,
            employeur: v.texte(input.employeur, 'input.employeur'),
            codeRome: v.codeRome(input.codeRome, 'input.codeRome'),
            // A job held at entry began before the orientation; a contract signed may start later.
            dateDebut: verifierDateDuParcours(etat, v.jour(input.dateDebut), 'input.dateDebut', { evenement: false, prevu: true }),
            dateFin: v.jourOuNull(input.dateFin),
            termeImprecis: input.termeImprecis ?? false,
            tempsTravail: input.tempsTravail,
            heuresHebdomadaires: input.heuresHebdomadaires ?? null,
          }),
        (d) => [d.dateDebut],
        async (store, id, d, em) => {
          const contrat = await store.ajouterContrat({ parcoursId: id, ...d });
          // CONTRAT_SIGNE in the same transaction; codes and dates only (not the employer's name).
          // Only the writer's structure hears of it: the writer is the binôme's E&F referent
          // (ecrirePourParcours), so that is the structure accompanying the person here.
          await enqueueEvent(em, {
            type: 'CONTRAT_SIGNE',
            parcoursId: id,
            structureIds: [ctx.viewer.structureId],
            payload: {
              parcoursId: id,
              contratId: contrat.id,
              type: contrat.type,
              codeRome: contrat.codeRome,
              categorie: contrat.categorie,
              stabilisant: contrat.stabilisant,
              tempsTravail: contrat.tempsTravail,
              dateDebut: contrat.dateDebut,
              dateFin: contrat.dateFin,
            },
          });
          return contratVue(contrat);
        },
      ),
    async terminerContratTravail(_r, { contratId, dateFin }, ctx) {
      const id = parseId(contratId, 'contratId');
      const actuel = await parcoursDe(() => new EcrituresLecture(ctx).contrat(id), 'contrat', id);
      return ecrirePourParcours(
        ctx,
        actuel.parcoursId,
        'contratId',
        () => {
          const { id: _id, parcoursId: _p, categorie: _c, stabilisant: _s, ...base } = actuel;
          return validerContrat({ ...base, dateFin: v.jour(dateFin) }, 'dateFin');
        },
        () => [],
        async (store, _id, d) => contratVue(await store.modifierContrat(id, d)),
      );
    },
    declarerSituationProfessionnelle: (_r, { parcoursId, input }, ctx) =>
      ecrirePourParcours(
        ctx,
        parcoursId,
        'parcoursId',
        (etat) => {
          const d = { categorie: input.categorie, dateDebut: verifierDateDuParcours(etat, v.jour(input.dateDebut), 'input.dateDebut', { evenement: false }), dateFin: v.jourOuNull(input.dateFin) };
          v.periode(d.dateDebut, d.dateFin);
          return d;
        },
        (d) => [d.dateDebut],
        async (store, id, d): Promise<SituationProfessionnelleRow> => {
          const row = await store.declarerSituation({ parcoursId: id, ...d });
          const vue: SituationVue = { ...row, source: 'DECLAREE', stabilisante: declareeStabilisante(row, today()), depuis: null };
          return vue;
        },
      ),
  },
};

/** Reads a contract or training by id outside a transaction, to learn its parcours before the guard. */
class EcrituresLecture {
  constructor(private readonly ctx: EmploiFormationContext) {}
  formation(id: string): Promise<FormationRow | null> {
    return this.ctx.dataSource.getRepository<FormationRow>('Formation').findOneBy({ id });
  }
  contrat(id: string): Promise<ContratTravailRow | null> {
    return this.ctx.dataSource.getRepository<ContratTravailRow>('ContratTravail').findOneBy({ id });
  }
  candidature(id: string): Promise<CandidatureRow | null> {
    return this.ctx.dataSource.getRepository<CandidatureRow>('Candidature').findOneBy({ id });
  }
  diplome(id: string): Promise<DiplomeRow | null> {
    return this.ctx.dataSource.getRepository<DiplomeRow>('Diplome').findOneBy({ id });
  }
}

function sansDiagnostic(): GraphQLError {
  return badUserInput("Le diagnostic socio-professionnel n'est pas encore enregistré : enregistrez-le (enregistrerDiagnosticSocioProfessionnel) avant d'y ajouter diplômes et expériences.", 'parcoursId');
}

type FormationSaisie = Omit<FormationRow, 'id' | 'parcoursId' | 'categorie' | 'stabilisant'>;

/** A training's coherence; returns it with the category and stabilising flag of the rules. */
function validerFormation(f: FormationSaisie): Omit<FormationRow, 'id' | 'parcoursId'> {
  v.periode(f.dateDebut, f.dateFin);
  if (f.type === 'LINGUISTIQUE' && f.dispositifLinguistique === null) {
    throw badUserInput('Une formation linguistique précise son dispositif (CIR, FLE, FRANCAIS_VISEE_PROFESSIONNELLE, OEPRE, AUTRE).', 'input.dispositifLinguistique');
  }
  if (f.type !== 'LINGUISTIQUE' && f.dispositifLinguistique !== null) {
    throw badUserInput(`Le dispositif linguistique ne vaut que pour une formation LINGUISTIQUE (reçu pour ${f.type}) : retirez-le.`, 'input.dispositifLinguistique');
  }
  v.heuresFormation(f.dispositifLinguistique === 'CIR', f.heuresPrevues, f.heuresRealisees);
  return { ...f, ...classer({ type: f.type, dateDebut: f.dateDebut, dateFin: f.dateFin, diplomante: f.diplomante }, 'input.type') };
}

type ContratSaisi = Omit<ContratTravailRow, 'id' | 'parcoursId' | 'categorie' | 'stabilisant'>;

/** Types whose end date is always known when the contract is signed. */
const FIN_OBLIGATOIRE: ReadonlySet<ContratTravailRow['type']> = new Set(['INTERIM', 'IAE_ETTI', 'SERVICE_CIVIQUE']);

/** A contract's coherence; returns it with the category and stabilising flag of the rules. */
function validerContrat(c: ContratSaisi, champFin = 'input.dateFin'): Omit<ContratTravailRow, 'id' | 'parcoursId'> {
  v.periode(c.dateDebut, c.dateFin, champFin);
  if (c.type === 'CDD' && c.dateFin === null && !c.termeImprecis) {
    throw badUserInput(
      'Un CDD a une date de fin : donnez-la (dateFin), ou indiquez termeImprecis: true pour un CDD à terme imprécis (remplacement, saison) dont la fin n’est pas connue.',
      champFin,
    );
  }
  if (c.termeImprecis && c.type !== 'CDD') throw badUserInput(`Seul un CDD peut être à terme imprécis (reçu pour ${c.type}) : retirez termeImprecis.`, 'input.termeImprecis');
  if (FIN_OBLIGATOIRE.has(c.type) && c.dateFin === null) {
    throw badUserInput(`Un contrat ${c.type} a toujours une date de fin : donnez-la (dateFin).`, champFin);
  }
  if (c.tempsTravail === 'TEMPS_PARTIEL') {
    if (c.heuresHebdomadaires === null || !(c.heuresHebdomadaires > 0 && c.heuresHebdomadaires < 35)) {
      throw badUserInput(`Un temps partiel indique sa durée hebdomadaire, entre 0 et 35 heures exclues (reçu ${String(c.heuresHebdomadaires)}).`, 'input.heuresHebdomadaires');
    }
  } else if (c.heuresHebdomadaires !== null && !(c.heuresHebdomadaires >= 35 && c.heuresHebdomadaires <= 48)) {
    throw badUserInput(`Un temps plein compte de 35 à 48 heures par semaine (reçu ${c.heuresHebdomadaires}) : corrigez la durée, ou indiquez TEMPS_PARTIEL.`, 'input.heuresHebdomadaires');
  }
  return { ...c, ...classer({ type: c.type, dateDebut: c.dateDebut, dateFin: c.dateFin }, 'input.type') };
}

