import { defaultFieldResolver, GraphQLError, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Viewer } from './auth';
import { badUserInput, ErrorCode } from './errors';
import { parseId } from './ids';
import { markAudited, type ReadEntry } from './audit';
import { parcoursIdOf } from './access-loader';
import { daysBetween, today, type IsoDate } from './calendar';

/** The three domains of the programme; each subgraph owns one. */
export type Domain = 'COORDINATION' | 'DROITS_LOGEMENT' | 'EMPLOI_FORMATION';

/**
 * Who may read a field:
 * - DOMAIN_REFERENT: the referent of the field's own domain in the parcours's binôme;
 * - BINOME: either referent of the binôme (for another domain's fields, with the person's consent
 *   to share that domain; never a sensitive field of the other domain);
 * - COORDINATION: the coordinating structure, in its départements (domain fields with consent,
 *   never sensitive ones);
 * - OFII: the OFII, for the people it oriented (and, while a fiche de liaison awaits its answer,
 *   the people it is asked to orient, in its départements);
 * - PRESCRIPTEUR: the partner who submitted a fiche de liaison, for the person it submitted;
 * - ADMIN: the hub's administrators (reference data).
 */
export type Reader = 'DOMAIN_REFERENT' | 'BINOME' | 'COORDINATION' | 'OFII' | 'PRESCRIPTEUR' | 'ADMIN';

export interface FieldRule {
  /** The field holds personal data: every read is audited and a rule is mandatory. */
  personal: boolean;
  /** Legal status details, family situation, care orientation, free-text observations. */
  sensitive?: boolean;
  /**
   * A fact the programme's own rules need (exit criteria, exclusion alert): readable by the
   * coordination and the binôme without the person's consent to share the domain's details.
   */
  withoutConsent?: boolean;
  readers: readonly Reader[];
}

/**
 * One declarative table per subgraph: `Type.field` → rule, or `Type.*` for every field of a type
 * that has no rule of its own.
 */
export type FieldRules = Record<string, FieldRule>;

/** The rule of a field: its own, else its type's `*` rule. */
export function ruleFor(rules: FieldRules, typeName: string, fieldName: string): FieldRule | undefined {
  return rules[`${typeName}.${fieldName}`] ?? rules[`${typeName}.*`];
}

/** What a subgraph knows about a parcours that decides access to it. */
export interface ParcoursAccess {
  parcoursId: string;
  departement: string;
  binome: { DROITS_LOGEMENT: string | null; EMPLOI_FORMATION: string | null };
  /** Referents replaced in the binôme, with the day they were replaced. */
  formerReferents: { referentId: string; until: IsoDate }[];
  /** The person's consent to share each domain's data with the consortium's other associations. */
  consent: { DROITS_LOGEMENT: boolean; EMPLOI_FORMATION: boolean };
  /** The structure that oriented the person (OFII reads what it oriented). */
  orientedBy: string | null;
  /** The viewer holds a time-boxed "break the glass" grant for this parcours. */
  breakGlass: boolean;
}

/**
 * The access facts of any record of personal data: a parcours's, or those of a record not (yet)
 * in a parcours, a fiche de liaison awaiting the OFII's answer, whose `parcoursId` is null,
 * `subject` names it, and `submittedBy` and `awaitingOrientation` say who handles it.
 */
export interface RecordAccess extends Omit<ParcoursAccess, 'parcoursId'> {
  parcoursId: string | null;
  /** What the audit trail names when it is not a parcours, e.g. `fiche_liaison:<id>`. */
  subject?: string | null;
  /** The user who submitted the fiche de liaison holding the record. */
  submittedBy?: string | null;
  /** The record awaits the OFII's orientation (a fiche de liaison not yet answered). */
  awaitingOrientation?: boolean;
}

/** A former referent keeps read access for this many days after the binôme changes. */
export const FORMER_REFERENT_GRACE_DAYS = 30;

export interface AccessDecision {
  allowed: boolean;
  /** How access was granted (for the audit trail), or why it was refused (for the error). */
  via: Reader | 'BREAK_GLASS' | null;
  reason: string;
}

function referentRelation(viewer: Viewer, access: RecordAccess, today: IsoDate): Domain | 'FORMER' | null {
  if (!viewer.referentId) return null;
  if (access.binome.DROITS_LOGEMENT === viewer.referentId && viewer.roles.includes('REFERENT_DROITS_LOGEMENT')) return 'DROITS_LOGEMENT';
  if (access.binome.EMPLOI_FORMATION === viewer.referentId && viewer.roles.includes('REFERENT_EMPLOI_FORMATION')) return 'EMPLOI_FORMATION';
  const former = access.formerReferents.find((f) => f.referentId === viewer.referentId);
  if (former && daysBetween(former.until, today) <= FORMER_REFERENT_GRACE_DAYS) return 'FORMER';
  return null;
}

/**
 * Decides whether `viewer` may read a field of `domain` under `rule` for this parcours. Pure, so
 * that the matrix of roles and fields is tested on its own as well as through the gateway.
 */
export function decideAccess(viewer: Viewer, rule: FieldRule, domain: Domain, access: RecordAccess, today: IsoDate): AccessDecision {
  const inScope = viewer.departements.includes(access.departement);
  const relation = referentRelation(viewer, access, today);
  const referentDomain = relation === 'FORMER' ? null : relation;
  const consented = domain === 'COORDINATION' || rule.withoutConsent === true || access.consent[domain];
  for (const reader of rule.readers) {
    switch (reader) {
      case 'DOMAIN_REFERENT':
        if (domain !== 'COORDINATION' && referentDomain === domain) return { allowed: true, via: reader, reason: 'référent du domaine dans le binôme' };
        if (domain !== 'COORDINATION' && relation === 'FORMER' && viewer.roles.includes(domain === 'DROITS_LOGEMENT' ? 'REFERENT_DROITS_LOGEMENT' : 'REFERENT_EMPLOI_FORMATION')) {
          return { allowed: true, via: reader, reason: `ancien référent (moins de ${FORMER_REFERENT_GRACE_DAYS} jours)` };
        }
        break;
      case 'BINOME':
        if (relation !== null && (referentDomain === domain || (!rule.sensitive && consented))) {
          return { allowed: true, via: reader, reason: relation === 'FORMER' ? `ancien référent (moins de ${FORMER_REFERENT_GRACE_DAYS} jours)` : 'référent du binôme' };
        }
        break;
      case 'COORDINATION':
        // The coordination reads its own domain's sensitive fields (it holds them for eligibility),
        // not the other domains' ones.
        if (viewer.roles.includes('COORDINATION') && (!rule.sensitive || domain === 'COORDINATION') && consented) {
          if (inScope) return { allowed: true, via: reader, reason: 'coordination du département' };
          if (access.breakGlass) return { allowed: true, via: 'BREAK_GLASS', reason: 'accès exceptionnel motivé et limité dans le temps' };
        }
        break;
      case 'OFII':
        if (viewer.roles.includes('OFII') && inScope && access.orientedBy === viewer.structureId) return { allowed: true, via: reader, reason: 'OFII ayant orienté la personne' };
        if (viewer.roles.includes('OFII') && inScope && access.awaitingOrientation === true) return { allowed: true, via: reader, reason: "OFII saisi de la fiche de liaison" };
        break;
      case 'PRESCRIPTEUR':
        if (viewer.roles.includes('PRESCRIPTEUR') && inScope && access.submittedBy != null && access.submittedBy === viewer.userId) {
          return { allowed: true, via: reader, reason: 'prescripteur ayant soumis la fiche de liaison' };
        }
        break;
      case 'ADMIN':
        if (viewer.roles.includes('ADMIN')) return { allowed: true, via: reader, reason: 'administration' };
        break;
    }
  }
  let reason = 'votre rôle ne donne pas accès à ce champ pour ce parcours';
  if (!inScope && !access.breakGlass) reason = `le parcours relève du département ${access.departement}, hors de votre périmètre`;
  else if (rule.sensitive) reason = 'donnée sensible, réservée au référent du domaine';
  else if (!consented) reason = "la personne n'a pas consenti au partage des données de ce domaine";
  return { allowed: false, via: null, reason };
}

/** The refusal of one field: a typed error that names the field and says why, and leaks nothing. */
export function fieldForbidden(coordinate: string, reason: string): GraphQLError {
  return new GraphQLError(`Accès refusé à ${coordinate} : ${reason}.`, { extensions: { code: ErrorCode.FORBIDDEN, field: coordinate } });
}

export interface ProtectedFieldHooks<Ctx> {
  domain: Domain;
  /**
   * The access facts of the parcours a parent object belongs to (through a per-request loader):
   * `undefined` for an object that belongs to no parcours (reference data: the rule's roles
   * alone decide), `null` for a parcours the viewer may not see at all.
   */
  accessOf(parent: unknown, ctx: Ctx, typeName: string): Promise<RecordAccess | null | undefined>;
  viewerOf(ctx: Ctx): Viewer;
  /** Records a personal-data read or refusal (buffered per request, written once). */
  audit(ctx: Ctx, entry: ReadEntry): void;
  /** Which record a parent object is, for the audit of a refusal when `accessOf` gave null. */
  recordOf?(parent: unknown, ctx: Ctx, typeName: string): { parcoursId: string | null; subject?: string | null } | Promise<{ parcoursId: string | null; subject?: string | null }>;
  today(): IsoDate;
}

/** Marks the wrapped resolvers, so that a test can check that a type's every field is guarded. */
export const FIELD_RULE = Symbol.for('agir.fieldRule');

/** Whether a field's resolver goes through the field rules (applyFieldRules wrapped it). */
export function isProtectedField(field: { resolve?: unknown }): boolean {
  return Boolean(field.resolve && (field.resolve as { [FIELD_RULE]?: boolean })[FIELD_RULE]);
}

/**
 * Wraps the resolver of every field the table lists with its rule: the field answers only when
 * the rule allows it (a typed FORBIDDEN error otherwise, the field null), and every read of
 * personal data is handed to the audit trail, refusals with their reason. Fails when a type's
 * fields are declared personal in part but a field has no rule, so that no personal field goes out
 * unguarded: `personalTypes` lists the types every field of which must have a rule. An object of
 * a personal type whose record cannot be found is refused (fail closed), however it was reached.
 */
export function applyFieldRules<Ctx>(schema: GraphQLSchema, rules: FieldRules, personalTypes: string[], hooks: ProtectedFieldHooks<Ctx>): void {
  const missing: string[] = [];
  for (const typeName of personalTypes) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) {
      missing.push(`${typeName} (type absent du schéma)`);
      continue;
    }
    // The key and Federation's own fields carry no personal data.
    for (const field of Object.keys(type.getFields())) if (field !== 'id' && !field.startsWith('_') && !ruleFor(rules, typeName, field)) missing.push(`${typeName}.${field}`);
  }
  for (const coordinate of Object.keys(rules)) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const type = schema.getType(typeName);
    if (!isObjectType(type) || (fieldName !== '*' && !type.getFields()[fieldName])) missing.push(`${coordinate} (règle pour un champ inexistant)`);
  }
  if (missing.length > 0) throw new Error(`Field rules incomplete: every field of personal data needs a rule. Missing or stale: ${missing.join(', ')}`);

  const typeNames = new Set(Object.keys(rules).map((c) => c.split('.')[0] as string));
  for (const typeName of typeNames) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    for (const [fieldName, field] of Object.entries(type.getFields())) {
      const rule = fieldName === 'id' || fieldName.startsWith('_') ? undefined : ruleFor(rules, typeName, fieldName);
      if (rule) protect(typeName, fieldName, field, rule, personalTypes.includes(typeName));
    }
  }

  function protect(typeName: string, fieldName: string, field: import('graphql').GraphQLField<unknown, Ctx>, rule: FieldRule, personalType: boolean): void {
    const coordinate = `${typeName}.${fieldName}`;
    const resolve: GraphQLFieldResolver<unknown, Ctx> = field.resolve ?? defaultFieldResolver;
    const refuse = (ctx: Ctx, record: { parcoursId: string | null; subject?: string | null }, reason: string) => {
      hooks.audit(ctx, { parcoursId: record.parcoursId, subject: record.subject ?? null, field: coordinate, allowed: false, via: null, reason });
      return markAudited(fieldForbidden(coordinate, reason));
    };
    const guarded: GraphQLFieldResolver<unknown, Ctx> = async (parent, args, ctx, info) => {
      const access = await hooks.accessOf(parent, ctx, typeName);
      if (access === null) throw refuse(ctx, (await hooks.recordOf?.(parent, ctx, typeName)) ?? { parcoursId: null }, 'ce parcours est hors de votre périmètre');
      if (access === undefined && personalType) throw refuse(ctx, { parcoursId: null, subject: typeName }, 'donnée personnelle sans dossier de rattachement connu');
      if (access) {
        const decision = decideAccess(hooks.viewerOf(ctx), rule, hooks.domain, access, hooks.today());
        if (!decision.allowed) throw refuse(ctx, access, decision.reason);
        if (rule.personal) hooks.audit(ctx, { parcoursId: access.parcoursId, subject: access.subject ?? null, field: coordinate, allowed: true, via: decision.via });
      }
      return resolve(parent, args, ctx, info);
    };
    Object.defineProperty(guarded, FIELD_RULE, { value: true });
    field.resolve = guarded;
  }
}

/**
 * The hooks every subgraph uses: the access facts come from the request's `acces` loader (a
 * DataLoader of the parcours's facts: local in Coordination, asked of Coordination through the
 * gateway in the domains), the object's parcours from `parcoursIdOf`, reads go to the request's
 * audit trail, and "today" is the programme's (Europe/Paris).
 */
export function standardFieldRuleHooks<Ctx extends { viewer: Viewer; audit: { recordRead(e: ReadEntry): void }; loaders: { acces: { load(id: string): Promise<ParcoursAccess | null> } } }>(
  domain: Domain,
): ProtectedFieldHooks<Ctx> {
  return {
    domain,
    // An object that belongs to no parcours (reference data, a fiche de liaison) follows its own role checks.
    accessOf: (parent, ctx, typeName) => {
      const id = parcoursIdOf(parent, typeName);
      return id ? ctx.loaders.acces.load(id) : Promise.resolve(undefined);
    },
    viewerOf: (ctx) => ctx.viewer,
    audit: (ctx, entry) => ctx.audit.recordRead(entry),
    recordOf: (parent, _ctx, typeName) => ({ parcoursId: parcoursIdOf(parent, typeName) }),
    today: () => today(),
  };
}

/**
 * The ids of a batch read (a root query taking many parcours ids, as Coordination reads the
 * domains' facts for a whole alert list) that the caller may read under one field's rule: each id
 * is decided as the field itself would be, and written to the audit trail, read or refused, under
 * `auditField`. The others are left out of the answer, as if unknown.
 */
export async function parcoursLisibles(
  ctx: { viewer: Viewer; audit: { recordRead(entry: { parcoursId: string; field: string; allowed: boolean; via: string | null; reason: string | null }): void } },
  acces: { loadMany(ids: readonly string[]): Promise<(ParcoursAccess | null | Error)[]> },
  rule: FieldRule,
  domain: Domain,
  ids: readonly string[],
  auditField: string,
): Promise<Set<string>> {
  const lus = await acces.loadMany(ids);
  const aujourdhui = today();
  return new Set(
    ids.filter((parcoursId, i) => {
      const a = lus[i];
      if (a instanceof Error) throw a;
      const decision = a ? decideAccess(ctx.viewer, rule, domain, a, aujourdhui) : { allowed: false, via: null, reason: 'ce parcours est hors de votre périmètre' };
      ctx.audit.recordRead({ parcoursId, field: auditField, allowed: decision.allowed, via: decision.via ?? null, reason: decision.allowed ? null : (decision.reason ?? null) });
      return decision.allowed;
    }),
  );
}

/** The most parcours ids a batch read of the domains' last activity takes at once. */
export const MAX_PARCOURS_ACTIVITE = 500;

/**
 * A domain's answer to `derniereActivite…(parcoursIds, date)`: the date of the latest event of
 * each parcours the caller may read under the Parcours field `field` (in the order asked, null
 * without event), read by `lire` in one statement; the other ids are left out and audited refused.
 */
export async function dernieresActivitesLisibles(
  ctx: Parameters<typeof parcoursLisibles>[0],
  acces: Parameters<typeof parcoursLisibles>[1],
  rule: FieldRule,
  domain: Domain,
  parcoursIds: readonly string[],
  field: string,
  lire: (ids: string[]) => Promise<{ parcoursId: string; date: string }[]>,
): Promise<{ parcoursId: string; date: string | null }[]> {
  if (parcoursIds.length > MAX_PARCOURS_ACTIVITE) {
    throw badUserInput(`Au plus ${MAX_PARCOURS_ACTIVITE} identifiants de parcours par requête, reçu ${parcoursIds.length} : découpez la liste.`, 'parcoursIds');
  }
  const demandes = parcoursIds.map((id) => parseId(id, 'parcoursIds'));
  const lisibles = await parcoursLisibles(ctx, acces, rule, domain, [...new Set(demandes)], `Query.${field}`);
  if (lisibles.size === 0) return [];
  const parId = new Map((await lire([...lisibles])).map((r) => [r.parcoursId, r.date]));
  return demandes.filter((id) => lisibles.has(id)).map((parcoursId) => ({ parcoursId, date: parId.get(parcoursId) ?? null }));
}
