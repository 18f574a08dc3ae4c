import { seedBulkParcours } from './support/bulk';
import { FIXTURE } from './support/fixtures';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';
import { sampleMemory } from './support/memory';
import { pseudonyme } from '../subgraphs/coordination/src/analyse';

const N = 50_000;

const HEADER = 'pseudonyme;departement;site_id;site_nom;statut;canal_orientation;mois_orientation;tranche_age;sexe;pays_naissance;duree_accompagnement_jours;motif_fin;motif_exclusion;generalise';

/**
 * The CSV export of analyseParcours through the real gateway: headers, exact first rows,
 * refusals, and a 50,000-row export whose memory stays bounded (the hub runs in this process).
 */
describe('GET /export/analyse-parcours.csv', () => {
  let hub: TestHub;
  let analyste: string;
  let exportUrl: string;
  beforeAll(async () => {
    hub = await startTestHub({
      consent: false,
      seed: (dbs) => seedBulkParcours(dbs, N),
    });
    // Valid for the whole file: on a loaded machine the 50,000-row export alone can take minutes, and
    // a token expiring mid-export would cut it (each page is a request of its own, checked anew).
    analyste = await hub.token({ ...COORDINATOR, sub: 'analyste-export', roles: ['ANALYSTE'], departements: ['44'] }, { expiresIn: '2h' });
    exportUrl = new URL('/export/analyse-parcours.csv', hub.gatewayUrl).toString();
  }, 600_000);
  afterAll(() => hub?.stop());

  const get = (query: string, token: string | null = analyste) => fetch(`${exportUrl}?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers the header and the first rows exactly, with CSV headers', async () => {
    const response = await get('departement=44&orientationDu=2025-01-01');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="analyse-parcours-44-\d{4}-\d{2}-\d{2}\.csv"$/);
    const raw = Buffer.from(await response.arrayBuffer());
    // A UTF-8 byte order mark first, so that spreadsheet software reads the accents right.
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.subarray(3).toString('utf8');
    // The fixture's two 2025 parcours in 44, most recent orientation first (karim, then amina). Each
    // is the only parcours of its site and month: k-anonymity generalises both rows for an analyst
    // (no age band, sex or country), and says so in the last column.
    const lines = text.split(/\r?\n/);
    expect(lines[0]).toBe(HEADER);
    expect(lines[1]).toBe(`${pseudonyme(FIXTURE.karim.parcours)};44;${FIXTURE.site44};Centre 1 AGIR – Rezé;ORIENTE;OFII;2025-03;;;;;;;oui`);
    expect(lines[2]).toMatch(new RegExp(`^${pseudonyme(FIXTURE.amina.parcours)};44;${FIXTURE.site44};Centre 1 AGIR – Rezé;CONTRACTUALISE;OFII;2025-01;;;;\\d+;;;oui$`));
    expect(lines.slice(3)).toEqual(['']);
    expect(text).not.toMatch(/Haidari|Amina|1994-03-12|2025-01-10/);
    // The coordination exports the same rows complete.
    const coordination = await hub.token({ ...COORDINATOR, sub: 'coordination-export', departements: ['44'] });
    const complete = (await (await get('departement=44&orientationDu=2025-01-01', coordination)).text()).replace(/^\uFEFF/, '').split(/\r?\n/);
    expect(complete[1]).toBe(`${pseudonyme(FIXTURE.karim.parcours)};44;${FIXTURE.site44};Centre 1 AGIR – Rezé;ORIENTE;OFII;2025-03;AGE_26_35;HOMME;AF;;;;non`);
  });

  it('refuses without a token (401), a bad filter (400 JSON), another département (403)', async () => {
    const anonymous = await get('departement=44', null);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');

    const bad = await get('departement=4&statut=ORIENTE,PERDU&orientationDu=2025-13-01&couleur=bleu');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await bad.json()) as { errors: { message: string; extensions: { code: string; field: string } }[] };
    expect(body.errors.map((e) => e.extensions)).toEqual(
      expect.arrayContaining([
        { code: 'BAD_USER_INPUT', field: 'departement' },
        { code: 'BAD_USER_INPUT', field: 'statut' },
        { code: 'BAD_USER_INPUT', field: 'orientationDu' },
        { code: 'BAD_USER_INPUT', field: 'couleur' },
      ]),
    );
    expect(body.errors.find((e) => e.extensions.field === 'statut')!.message).toContain('PERDU');

    const missing = await get('statut=ORIENTE');
    expect(missing.status).toBe(400);

    const other = await get('departement=85');
    expect(other.status).toBe(403);
    expect(((await other.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('FORBIDDEN');

    const referent = await hub.token({ ...COORDINATOR, roles: ['REFERENT_DROITS_LOGEMENT'], departements: ['44'] });
    expect((await get('departement=44', referent)).status).toBe(403);
  });

  it('streams 50,000 rows with bounded memory, and applies back-pressure', async () => {
    // Once a second is enough to see a growth that holding 50,000 rows would cause (it would last
    // the whole download).
    const memoire = sampleMemory(1000);
    const statementsAtStart = hub.subgraphs.coordination.counter.total;
    try {
      const response = await get('departement=44&orientationAu=2024-12-31');
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let bytes = 0;
      let lines = 0;
      let generalisees = 0;
      let partial = '';
      let head = '';
      let tail = '';
      let paused = false;
      let statementsWhilePaused = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        const text = decoder.decode(value, { stream: true });
        if (head.length < 2000) head += text;
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
        const complete = (partial + text).split('\n');
        partial = complete.pop()!;
        for (const line of complete) if (/;oui\r?$/.test(line)) generalisees += 1;
        tail = (tail + text).slice(-500);
        if (!paused) {
          // Stop reading for a second: with back-pressure the gateway stops paging (it cannot get ahead
          // by more than the socket buffers), so Coordination is asked for only a fraction of the pages.
          paused = true;
          await new Promise((resolve) => setTimeout(resolve, 1000));
          statementsWhilePaused = hub.subgraphs.coordination.counter.total - statementsAtStart;
        }
      }
      const statementsInAll = hub.subgraphs.coordination.counter.total - statementsAtStart;
      const { heapGrowth, rssGrowth } = memoire.stop();
      expect(head.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe(HEADER);
      expect(lines).toBe(N + 1); // the header and every row, the last one ending with a line break
      expect(tail).toMatch(/;ORIENTE;OFII;2019-\d{2};AGE_[0-9_PLUS]+;(FEMME|HOMME);[A-Z]{2};;;;non\r?\n$|;CONTRACTUALISE;OFII;2019-\d{2};AGE_[0-9_PLUS]+;(FEMME|HOMME);[A-Z]{2};\d+;;;non\r?\n$/);
      // Every class of the bulk population (site, month, age band, sex, country) holds 5 parcours or
      // more: no row is generalised, though each page computed its sites' and months' classes.
      expect(generalisees).toBe(0);
      expect(bytes).toBeGreaterThan(5 * 2 ** 20);
      // Bounded memory: the test process holds the whole hub (gateway, subgraphs, this reader), and its
      // live heap (after a full GC, sampled every second during the download) grows by less than
      // 100 MB; RSS, which V8 gives back lazily, by less than 400 MB. The exact figures, against the
      // export's targets, are measured by `npm run bench` on a quiet machine, not here.
      expect(heapGrowth).toBeLessThan(100 * 2 ** 20);
      expect(rssGrowth).toBeLessThan(400 * 2 ** 20);
      // Streaming with back-pressure, the structural proof that the gateway does not hold the export:
      // while the client did not read, fewer than half the pages had been asked for.
      expect(statementsWhilePaused).toBeLessThan(statementsInAll / 2);
    } finally {
      memoire.stop();
    }
    // Generous: on a loaded machine the 50 pages through the gateway take minutes; speed is not what
    // this test measures (benchmarks do that), memory is.
  }, 900_000);
});
