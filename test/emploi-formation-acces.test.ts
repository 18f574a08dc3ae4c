import { accesFixture, accesTokens, IDENTIFIANT_FT, seedAcces, SOUHAITS, type Caller } from './support/emploi-formation-acces';
import { startTestHub, type GraphQLResult, type TestHub } from './support/hub';

/**
 * Who reads what of Emploi & Formation, through the real gateway: a matrix of callers against
 * kinds of fields, decided by the subgraph's own table (subgraphs/emploi-formation/src/field-rules.ts)
 * on the access facts Coordination gives. A refusal is a FORBIDDEN error naming the field, and the
 * refused data is absent from the answer. Reads are audited in the domain's own database and the
 * change journal says who changed what, when, from what.
 */

/** A kind of field: what to select, what an allowed reader gets, and what a refusal names. */
interface Kind {
  select: string;
  /** The answer of a reader allowed everything. */
  ok: Record<string, unknown>;
  /** The field (or fields) of Parcours refused to a reader who may not read the domain. */
  outer: string[];
  /** The nested field refused to a reader of the domain who may not read sensitive data. */
  inner?: { field: string; value: Record<string, unknown> };
  /** The refused data: its text must not appear anywhere in a refused answer. */
  secret: string;
}

const KINDS = {
  ordinaire: {
    select: 'situationProfessionnelle { categorie } langue { niveauCecrl }',
    ok: { situationProfessionnelle: { categorie: 'SANS_ACTIVITE' }, langue: { niveauCecrl: 'A2' } },
    outer: ['Parcours.situationProfessionnelle', 'Parcours.langue'],
    secret: 'SANS_ACTIVITE',
  },
  texteLibre: {
    select: 'diagnosticSocioProfessionnel { niveauFormation souhaits }',
    ok: { diagnosticSocioProfessionnel: { niveauFormation: 'SECONDAIRE_DIPLOME', souhaits: SOUHAITS } },
    outer: ['Parcours.diagnosticSocioProfessionnel'],
    inner: { field: 'DiagnosticSocioProfessionnel.souhaits', value: { diagnosticSocioProfessionnel: { niveauFormation: 'SECONDAIRE_DIPLOME', souhaits: null } } },
    secret: 'cuisine',
  },
  // The SANTE barrier is a row: hidden (no error) from a reader of the domain who may not read sensitive data.
  sante: {
    select: 'freins { type }',
    ok: { freins: [{ type: 'LANGUE' }, { type: 'SANTE' }] },
    outer: ['Parcours.freins'],
    secret: 'SANTE',
  },
  identifiant: {
    select: 'inscriptionFranceTravail { dateInscription identifiant }',
    ok: { inscriptionFranceTravail: { dateInscription: '2024-01-20', identifiant: IDENTIFIANT_FT } },
    outer: ['Parcours.inscriptionFranceTravail'],
    inner: { field: 'InscriptionFranceTravail.identifiant', value: { inscriptionFranceTravail: { dateInscription: '2024-01-20', identifiant: null } } },
    secret: IDENTIFIANT_FT,
  },
  sortie: {
    select: 'situationPourSortie { categorie stabilise }',
    ok: { situationPourSortie: { categorie: 'SANS_ACTIVITE', stabilise: false } },
    outer: ['Parcours.situationPourSortie'],
    secret: 'SANS_ACTIVITE',
  },
  journal: {
    select: 'journalEmploiFormation { action }',
    ok: { journalEmploiFormation: expect.arrayContaining([{ action: 'insert inscription_france_travail' }, { action: 'insert frein_emploi' }]) },
    outer: ['Parcours.journalEmploiFormation'],
    secret: 'frein_emploi',
  },
} satisfies Record<string, Kind>;
type KindName = keyof typeof KINDS;

/**
 * One cell: `ok` (everything), `masque` (the domain without its sensitive data: the nested field
 * refused, or the SANTE row left out), `refuse` (the domain refuses the field), `hors` (Coordination
 * refuses the whole parcours: the domain is not even asked through the gateway; asked directly, it
 * refuses each field too).
 */
type Cell = 'ok' | 'masque' | 'refuse' | 'hors';
const ORDER: KindName[] = ['ordinaire', 'texteLibre', 'sante', 'identifiant', 'sortie', 'journal'];
const row = (...cells: Cell[]): Record<KindName, Cell> => Object.fromEntries(ORDER.map((k, i) => [k, cells[i]!])) as Record<KindName, Cell>;
const all = (cell: Cell) => row(cell, cell, cell, cell, cell, cell);

const f = accesFixture();

function forbiddenFields(r: GraphQLResult): string[] {
  return (r.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.extensions?.field as string).filter(Boolean);
}

async function checkCell(hub: TestHub, tokens: Record<Caller, string>, caller: Caller, parcoursId: string, kindName: KindName, cell: Cell): Promise<void> {
  const kind: Kind = KINDS[kindName];
  const query = `query($id: ID!) { parcours(id: $id) { id ${kind.select} } }`;
  const r = await hub.query<{ parcours: Record<string, unknown> | null }>(query, { id: parcoursId }, { token: tokens[caller] });
  const context = `${caller} × ${kindName} (${cell})`;
  const sortFreins = (p: Record<string, unknown> | null | undefined) =>
    p && Array.isArray(p.freins) ? { ...p, freins: [...(p.freins as { type: string }[])].sort((a, b) => a.type.localeCompare(b.type)) } : p;
  switch (cell) {
    case 'ok':
      expect({ context, errors: r.errors, parcours: sortFreins(r.data?.parcours) }).toEqual({ context, errors: undefined, parcours: { id: parcoursId, ...kind.ok } });
      return;
    case 'masque':
      if (kind.inner) {
        expect({ context, fields: forbiddenFields(r), parcours: r.data?.parcours }).toEqual({ context, fields: [kind.inner.field], parcours: { id: parcoursId, ...kind.inner.value } });
      } else {
        expect({ context, errors: r.errors, parcours: r.data?.parcours }).toEqual({ context, errors: undefined, parcours: { id: parcoursId, freins: [{ type: 'LANGUE' }] } });
      }
      break;
    case 'refuse':
      expect({ context, fields: forbiddenFields(r).sort() }).toEqual({ context, fields: [...kind.outer].sort() });
      for (const e of r.errors ?? []) expect(e.message).toContain(e.extensions?.field as string);
      // A nullable field is null; a non-null one nulls the parcours: either way nothing of it.
      for (const field of kind.outer) expect(r.data?.parcours?.[field.split('.')[1]!] ?? null).toBeNull();
      break;
    case 'hors': {
      expect({ context, data: r.data, codes: r.errors?.map((e) => e.extensions?.code) }).toEqual({ context, data: { parcours: null }, codes: ['FORBIDDEN'] });
      // The domain does not rely on Coordination having refused: asked as the gateway asks it, it
      // refuses each field of a parcours out of the caller's reach.
      const direct = await hub.query<{ _entities: (Record<string, unknown> | null)[] }>(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Parcours { ${kind.select} } } }`,
        { r: [{ __typename: 'Parcours', id: parcoursId }] },
        { token: tokens[caller], url: hub.subgraphs['emploi-formation'].url, headers: { 'x-agir-gateway-key': hub.gatewaySecret } },
      );
      expect({ context, fields: forbiddenFields(direct).sort() }).toEqual({ context, fields: [...kind.outer].sort() });
      expect(JSON.stringify(direct.data ?? null)).not.toContain(kind.secret);
      break;
    }
  }
  expect({ context, leak: JSON.stringify(r.data ?? null).includes(kind.secret) }).toEqual({ context, leak: false });
}

describe('with the person’s consent to share the domain', () => {
  let hub: TestHub;
  let tokens: Record<Caller, string>;
  beforeAll(async () => {
    hub = await startTestHub({ seed: (dbs) => seedAcces(dbs, f) });
    tokens = await accesTokens(hub, f);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  //                                    ordinaire texteLibre sante     identifiant sortie   journal
  const MATRIX: [Caller, Record<KindName, Cell>][] = [
    ['referentEF', all('ok')],
    ['referentDL', row('ok', 'masque', 'masque', 'masque', 'ok', 'refuse')],
    ['autreReferentEF', all('hors')],
    ['coordination44', row('ok', 'masque', 'masque', 'masque', 'ok', 'refuse')],
    ['coordination85', all('hors')],
    ['ofii', all('refuse')],
    ['prescripteur', all('hors')],
    ['analyste', all('hors')],
    ['admin', all('hors')],
  ];

  it.each(MATRIX)('%s', async (caller, cells) => {
    for (const kind of ORDER) await checkCell(hub, tokens, caller, f.P, kind, cells[kind]);
  });

  it('lets a former referent read for 30 days after the binôme changed, then not', async () => {
    for (const kind of ORDER) await checkCell(hub, tokens, 'ancienRecent', f.R, kind, 'ok');
    for (const kind of ORDER) await checkCell(hub, tokens, 'ancienVieux', f.R, kind, 'hors');
    // The referent who took the seat reads it whole.
    for (const kind of ORDER) await checkCell(hub, tokens, 'autreReferentEF', f.R, kind, 'ok');
  });

  it('keeps the role checks of the root queries', async () => {
    const q = `query { indicateursEmploiFormation(departement: "44", du: "2024-01-01", au: "2024-12-31") { parcoursSuivis } }`;
    expect((await hub.query(q, {}, { token: tokens.coordination44 })).data).toEqual({ indicateursEmploiFormation: { parcoursSuivis: 2 } });
    expect((await hub.query(q, {}, { token: tokens.prescripteur })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const rome = await hub.query<{ metiersRome: unknown[] }>(`query { metiersRome(recherche: "cuisine") { code } }`, {}, { token: tokens.analyste });
    expect(rome.errors).toBeUndefined();
    expect(rome.data?.metiersRome.length).toBeGreaterThan(0);
  });

  it('writes one audit row in its own database for one read of a parcours, and records refusals', async () => {
    const db = hub.subgraphs['emploi-formation'].dataSource;
    const reads = async (parcoursId: string) =>
      (await db.query(`SELECT user_id, allowed, via, fields FROM audit_log WHERE operation = 'READ' AND parcours_id = $1 ORDER BY id`, [parcoursId])) as {
        user_id: string; allowed: boolean; via: string; fields: string[];
      }[];
    const [beforeP, beforeR] = [await reads(f.P), await reads(f.R)];
    const r = await hub.query(
      `query($id: ID!) { parcours(id: $id) { langue { niveauCecrl } freins { type dateIdentification } inscriptionFranceTravail { identifiant } diagnosticSocioProfessionnel { souhaits } } }`,
      { id: f.P },
      { token: tokens.referentEF },
    );
    expect(r.errors).toBeUndefined();
    const afterP = await reads(f.P);
    expect(afterP.slice(beforeP.length)).toEqual([
      {
        user_id: 'ref-ef',
        allowed: true,
        via: 'DOMAIN_REFERENT',
        fields: expect.arrayContaining(['Parcours.langue', 'Langue.niveauCecrl', 'Parcours.freins', 'FreinEmploi.type', 'InscriptionFranceTravail.identifiant', 'DiagnosticSocioProfessionnel.souhaits']),
      },
    ]);
    expect(await reads(f.R)).toHaveLength(beforeR.length);

    // A refused read is in the trail too, as refused.
    await hub.query(`query($id: ID!) { parcours(id: $id) { inscriptionFranceTravail { identifiant } } }`, { id: f.P }, { token: tokens.coordination44 });
    expect((await reads(f.P)).slice(afterP.length)).toEqual([
      { user_id: 'coord-44', allowed: true, via: 'COORDINATION', fields: ['Parcours.inscriptionFranceTravail'] },
      { user_id: 'coord-44', allowed: false, via: null, fields: ['InscriptionFranceTravail.identifiant'] },
    ]);
  });

  it('journals a change with its author, time and before/after values, for the domain referent', async () => {
    const started = Date.now();
    const w = await hub.query(
      `mutation($p: ID!) { inscrireFranceTravail(parcoursId: $p, input: { dateInscription: "2024-01-20", identifiant: "7654321B" }) { identifiant } }`,
      { p: f.R },
      { token: tokens.autreReferentEF },
    );
    expect(w).toEqual({ data: { inscrireFranceTravail: { identifiant: '7654321B' } } });
    const r = await hub.query<{ parcours: { journalEmploiFormation: { date: string; auteur: string; nomAuteur: string | null; roles: string[]; action: string; champs: { champ: string; avant: string | null; apres: string | null }[] }[] } }>(
      `query($id: ID!) { parcours(id: $id) { journalEmploiFormation { date auteur nomAuteur roles action champs { champ avant apres } } } }`,
      { id: f.R },
      { token: tokens.autreReferentEF },
    );
    expect(r.errors).toBeUndefined();
    const journal = r.data!.parcours.journalEmploiFormation;
    const change = journal.find((e) => e.champs.some((c) => c.champ === 'identifiant' && c.apres === '"7654321B"'));
    expect(change).toMatchObject({
      auteur: 'ref-ef-autre',
      nomAuteur: 'ref-ef-autre',
      roles: ['REFERENT_EMPLOI_FORMATION'],
      action: 'update inscription_france_travail',
      champs: [{ champ: 'identifiant', avant: JSON.stringify(IDENTIFIANT_FT), apres: '"7654321B"' }],
    });
    expect(Date.parse(change!.date)).toBeGreaterThanOrEqual(started - 5_000);
    expect(Date.parse(change!.date)).toBeLessThanOrEqual(Date.now() + 5_000);
    // Most recent first.
    expect(journal[0]).toBe(change);
  });
});

describe('without the person’s consent to share the domain', () => {
  let hub: TestHub;
  let tokens: Record<Caller, string>;
  beforeAll(async () => {
    hub = await startTestHub({ seed: (dbs) => seedAcces(dbs, f), consent: false });
    tokens = await accesTokens(hub, f);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  // Only the domain's own referent reads the domain; the programme fact stays readable.
  const MATRIX: [Caller, Record<KindName, Cell>][] = [
    ['referentEF', all('ok')],
    ['referentDL', row('refuse', 'refuse', 'refuse', 'refuse', 'ok', 'refuse')],
    ['coordination44', row('refuse', 'refuse', 'refuse', 'refuse', 'ok', 'refuse')],
    ['ofii', all('refuse')],
    ['analyste', all('hors')],
  ];

  it.each(MATRIX)('%s', async (caller, cells) => {
    for (const kind of ORDER) await checkCell(hub, tokens, caller, f.P, kind, cells[kind]);
  });

  it('says why: no consent', async () => {
    const r = await hub.query(`query($id: ID!) { parcours(id: $id) { langue { niveauCecrl } } }`, { id: f.P }, { token: tokens.coordination44 });
    expect(r.errors?.[0]?.message).toContain('consenti');
  });
});
