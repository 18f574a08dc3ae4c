import type { Viewer } from '../auth';
import { decideAccess, type Domain, type FieldRule, type ParcoursAccess, type RecordAccess } from '../field-rules';

const DL_REF = '11111111-1111-4111-8111-111111111111';
const EF_REF = '22222222-2222-4222-8222-222222222222';
const OFII = '33333333-3333-4333-8333-333333333333';

const access = (over: Partial<ParcoursAccess> = {}): ParcoursAccess => ({
  parcoursId: 'p',
  departement: '44',
  binome: { DROITS_LOGEMENT: DL_REF, EMPLOI_FORMATION: EF_REF },
  formerReferents: [],
  consent: { DROITS_LOGEMENT: true, EMPLOI_FORMATION: true },
  orientedBy: OFII,
  breakGlass: false,
  ...over,
});

const viewer = (over: Partial<Viewer>): Viewer => ({ userId: 'u', name: null, structureId: '00000000-0000-4000-8000-000000000000', roles: [], departements: ['44'], referentId: null, ...over });
const referentDL = viewer({ roles: ['REFERENT_DROITS_LOGEMENT'], referentId: DL_REF });
const referentEF = viewer({ roles: ['REFERENT_EMPLOI_FORMATION'], referentId: EF_REF });
const otherReferent = viewer({ roles: ['REFERENT_DROITS_LOGEMENT'], referentId: '44444444-4444-4444-8444-444444444444' });
const coordination = viewer({ roles: ['COORDINATION'] });
const coordination85 = viewer({ roles: ['COORDINATION'], departements: ['85'] });
const ofii = viewer({ roles: ['OFII'], structureId: OFII });
const analyst = viewer({ roles: ['ANALYSTE'] });
const admin = viewer({ roles: ['ADMIN'] });

const identity: FieldRule = { personal: true, readers: ['BINOME', 'COORDINATION', 'OFII'] };
const domainField: FieldRule = { personal: true, readers: ['DOMAIN_REFERENT', 'BINOME', 'COORDINATION'] };
const sensitive: FieldRule = { personal: true, sensitive: true, readers: ['DOMAIN_REFERENT', 'BINOME', 'COORDINATION'] };
const reference: FieldRule = { personal: false, readers: ['BINOME', 'COORDINATION', 'OFII', 'ADMIN'] };

const allowed = (v: Viewer, rule: FieldRule, domain: Domain, a = access(), today = '2025-06-01') => decideAccess(v, rule, domain, a, today).allowed;

describe('decideAccess: the table of roles and fields', () => {
  it.each([
    ['référent D&L', referentDL, [true, true, true, false, false]],
    ['référent E&F', referentEF, [true, true, true, true, false]],
    ['another referent', otherReferent, [false, false, false, false, false]],
    ['coordination of 44', coordination, [true, true, true, false, false]],
    ['coordination of 85', coordination85, [false, false, false, false, false]],
    ['OFII that oriented', ofii, [true, false, false, false, false]],
    ['analyst', analyst, [false, false, false, false, false]],
    ['admin', admin, [false, false, false, false, true]],
  ] as const)('%s', (_name, v, [id, dl, ef, efSensitive, ref]) => {
    expect([
      allowed(v, identity, 'COORDINATION'),
      allowed(v, domainField, 'DROITS_LOGEMENT'),
      allowed(v, domainField, 'EMPLOI_FORMATION'),
      allowed(v, sensitive, 'EMPLOI_FORMATION'),
      allowed(v, { ...reference, readers: ['ADMIN'] }, 'COORDINATION'),
    ]).toEqual([id, dl, ef, efSensitive, ref]);
  });

  it('shows a sensitive field to its own domain referent only', () => {
    expect(allowed(referentDL, sensitive, 'DROITS_LOGEMENT')).toBe(true);
    expect(allowed(referentEF, sensitive, 'DROITS_LOGEMENT')).toBe(false);
    expect(allowed(coordination, sensitive, 'DROITS_LOGEMENT')).toBe(false);
    expect(decideAccess(coordination, sensitive, 'DROITS_LOGEMENT', access(), '2025-06-01').reason).toContain('donnée sensible');
  });

  it("lets the coordination read its own domain's sensitive fields, and the referents not", () => {
    expect(allowed(coordination, sensitive, 'COORDINATION')).toBe(true);
    expect(allowed(referentDL, sensitive, 'COORDINATION')).toBe(false);
    expect(allowed(referentEF, sensitive, 'COORDINATION')).toBe(false);
  });

  it('without consent, answers a domain only to its own referent', () => {
    const noConsent = access({ consent: { DROITS_LOGEMENT: false, EMPLOI_FORMATION: true } });
    expect(allowed(referentDL, domainField, 'DROITS_LOGEMENT', noConsent)).toBe(true);
    expect(allowed(referentEF, domainField, 'DROITS_LOGEMENT', noConsent)).toBe(false);
    expect(allowed(coordination, domainField, 'DROITS_LOGEMENT', noConsent)).toBe(false);
    expect(decideAccess(coordination, domainField, 'DROITS_LOGEMENT', noConsent, '2025-06-01').reason).toContain('consenti');
    expect(allowed(coordination, identity, 'COORDINATION', noConsent)).toBe(true);
  });

  it('lets a former referent read for 30 days after the binôme changed, then not', () => {
    const replaced = access({ binome: { DROITS_LOGEMENT: '55555555-5555-4555-8555-555555555555', EMPLOI_FORMATION: EF_REF }, formerReferents: [{ referentId: DL_REF, until: '2025-05-01' }] });
    expect(allowed(referentDL, identity, 'COORDINATION', replaced, '2025-05-31')).toBe(true);
    expect(allowed(referentDL, domainField, 'DROITS_LOGEMENT', replaced, '2025-05-31')).toBe(true);
    expect(allowed(referentDL, identity, 'COORDINATION', replaced, '2025-06-01')).toBe(false);
    expect(allowed(referentDL, domainField, 'DROITS_LOGEMENT', replaced, '2025-06-01')).toBe(false);
  });

  it('lets a coordinator break the glass outside its départements, flagged as such', () => {
    const grant = access({ departement: '85', breakGlass: true });
    expect(decideAccess(coordination, identity, 'COORDINATION', grant, '2025-06-01')).toMatchObject({ allowed: true, via: 'BREAK_GLASS' });
    expect(allowed(coordination, sensitive, 'DROITS_LOGEMENT', grant)).toBe(false);
    expect(allowed(coordination, identity, 'COORDINATION', access({ departement: '85' }))).toBe(false);
  });

  it('lets OFII read only the people it oriented, in its départements', () => {
    expect(allowed(ofii, identity, 'COORDINATION', access({ orientedBy: null }))).toBe(false);
    expect(allowed(ofii, identity, 'COORDINATION', access({ departement: '85' }))).toBe(false);
  });

  it('requires the referent role matching the binôme seat, not just the id', () => {
    const impostor = viewer({ roles: ['REFERENT_EMPLOI_FORMATION'], referentId: DL_REF });
    expect(allowed(impostor, domainField, 'DROITS_LOGEMENT')).toBe(false);
  });
});

describe('decideAccess: a record not yet in a parcours (a fiche de liaison)', () => {
  const fiche = (over: Partial<RecordAccess> = {}): RecordAccess => ({
    ...access({ binome: { DROITS_LOGEMENT: null, EMPLOI_FORMATION: null }, orientedBy: null }),
    parcoursId: null,
    subject: 'fiche_liaison:f',
    submittedBy: 'cada-nantes',
    awaitingOrientation: true,
    ...over,
  });
  const identityOfFiche: FieldRule = { personal: true, readers: ['BINOME', 'COORDINATION', 'OFII', 'PRESCRIPTEUR'] };
  const prescripteur = viewer({ userId: 'cada-nantes', roles: ['PRESCRIPTEUR'] });

  it.each([
    ['the prescripteur who submitted it', prescripteur, true],
    ['another prescripteur of the département', viewer({ userId: 'autre', roles: ['PRESCRIPTEUR'] }), false],
    ['the same prescripteur, in another département', viewer({ userId: 'cada-nantes', roles: ['PRESCRIPTEUR'], departements: ['85'] }), false],
    ['the OFII of the département, which answers it', viewer({ roles: ['OFII'] }), true],
    ['the OFII of another département', viewer({ roles: ['OFII'], departements: ['85'] }), false],
    ['the coordination of the département', coordination, true],
    ['a referent', referentDL, false],
    ['an administrator', viewer({ roles: ['ADMIN'] }), false],
  ])('decides the identity of %s', (_who, v, expected) => {
    expect(decideAccess(v, identityOfFiche, 'COORDINATION', fiche(), '2025-06-01').allowed).toBe(expected);
  });

  it('never lets the prescripteur read a sensitive field, nor a parcours it did not submit', () => {
    expect(decideAccess(prescripteur, { personal: true, sensitive: true, readers: ['COORDINATION', 'OFII'] }, 'COORDINATION', fiche(), '2025-06-01')).toEqual({
      allowed: false,
      via: null,
      reason: 'donnée sensible, réservée au référent du domaine',
    });
    expect(allowed(prescripteur, identityOfFiche, 'COORDINATION', access())).toBe(false);
  });
});
