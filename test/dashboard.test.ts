import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, watch } from './support/browser';
import { loadDemoData } from '../scripts/demo';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';

/**
 * The dashboard and the explorer in a real (headless) Chromium, over the real hub loaded with the
 * demo data: the page reads /graphql with the token typed in, and its charts hold the numbers a
 * direct GraphQL query gives. CI installs /usr/bin/chromium (.ci/run); no browser is downloaded.
 */

// The callbacks given to page.evaluate run in the browser; the project compiles without the DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const sessionStorage: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

const TODAY = '2025-06-30';
const PERIODE = { departement: '44', du: '2024-07-01', au: TODAY };
const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');

let hub: TestHub;
let browser: Browser;
let base: string;
let token: string;

beforeAll(async () => {
  hub = await startTestHub({ seed: (dbs) => loadDemoData(dbs, { parcours: 200, today: TODAY }).then(() => undefined), consent: false });
  base = hub.gatewayUrl.replace(/\/graphql$/, '');
  token = await hub.token(COORDINATOR);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});


describe('static pages', () => {
  test('answer without a token, under a strict Content-Security-Policy, and serve only the listed files', async () => {
    for (const url of ['/dashboard', '/explorer', '/assets/dashboard.js', '/vendor/chart.umd.min.js', '/vendor/graphiql.min.js', '/vendor/graphiql.min.css', '/vendor/react.production.min.js', '/vendor/react-dom.production.min.js']) {
      const response = await fetch(base + url);
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
    }
    expect((await fetch(`${base}/vendor/package.json`)).status).toBe(404);
    expect((await fetch(`${base}/vendor/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${base}/assets/..%2Fsrc%2Fstatic.ts`)).status).toBe(404);
    const html = await (await fetch(`${base}/dashboard`)).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/https?:\/\//); // nothing from elsewhere
    // The data still needs a token.
    expect((await fetch(hub.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).status).toBe(401);
  });
});

describe('dashboard', () => {
  test('draws the demo data with the numbers the API gives', async () => {
    type Compte = { nombre: number | null };
    const expected = await hub.query<{
      indicateurs: {
        effectifs: { orientes: number; diagnostiques: number; signataires: number; enAccompagnementFin: number };
        orientationsParCanal: (Compte & { canal: string })[];
        sortiesParMotif: (Compte & { motif: string })[];
        delaiDiagnostic: { medianeJours: number | null };
        delaiContractualisation: { medianeJours: number | null };
        parMois: { mois: string; orientes: number }[];
        profil: { population: number; parTrancheAge: Compte[]; parCommuneResidence: (Compte & { commune: { codeInsee: string; nom: string } | null })[] };
        droitsLogement: { accesLogement: { numerateur: number; denominateur: number }; situationsEntree: Compte[] };
        emploiFormation: { accesEmploiFormation: { numerateur: number; denominateur: number } };
        profilFormation: { parNiveau: Compte[] };
      };
    }>(
      `query($dep: String!, $du: Date!, $au: Date!) {
        indicateurs(departement: $dep, du: $du, au: $au) {
          effectifs { orientes diagnostiques signataires enAccompagnementFin }
          orientationsParCanal { canal nombre }
          sortiesParMotif { motif nombre }
          delaiDiagnostic { medianeJours }
          delaiContractualisation { medianeJours }
          parMois { mois orientes }
          profil { population parTrancheAge { nombre } parCommuneResidence { commune { codeInsee nom } nombre } }
          droitsLogement { accesLogement { numerateur denominateur } situationsEntree { nombre } }
          emploiFormation { accesEmploiFormation { numerateur denominateur } }
          profilFormation { parNiveau { nombre } }
        }
      }`,
      { dep: PERIODE.departement, du: PERIODE.du, au: PERIODE.au },
    );
    expect(expected.errors).toBeUndefined();
    const e = expected.data!.indicateurs;
    expect(e.effectifs.orientes).toBeGreaterThan(0);
    expect(e.profil.population).toBeGreaterThan(0);
    expect(e.emploiFormation.accesEmploiFormation.denominateur).toBeGreaterThan(0);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems = watch(page, base);
    await page.goto(`${base}/dashboard?${new URLSearchParams(PERIODE)}`);
    await page.fill('#token', token);
    await page.click('#afficher');
    await page.waitForSelector('body[data-etat="pret"], body[data-etat="erreur"]', { timeout: 30_000 });
    expect({ erreur: await page.locator('#erreur').textContent(), avertissement: await page.locator('#avertissement').textContent() }).toEqual({ erreur: '', avertissement: '' });
    expect(await page.locator('#erreur').isHidden()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('agir.token'))).toBe(token);

    const charts = await page.evaluate(() => {
      const out: Record<string, { data: (number | null)[][]; labels: unknown[]; drawn: boolean }> = {};
      for (const canvas of Array.from(document.querySelectorAll('canvas')) as any[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
        const chart = window.Chart.getChart(canvas);
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let drawn = false;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) { drawn = true; break; }
        out[canvas.id] = chart ? { data: chart.data.datasets.map((d: { data: (number | null)[] }) => d.data), labels: chart.data.labels, drawn } : { data: [], labels: [], drawn };
      }
      return out;
    });
    expect(Object.keys(charts).sort()).toEqual(['chart-ages', 'chart-canaux', 'chart-delais', 'chart-etapes', 'chart-formation', 'chart-logement-entree', 'chart-mois', 'chart-resultats']);
    for (const [id, chart] of Object.entries(charts)) expect({ id, drawn: chart.drawn, datasets: chart.data.length > 0 }).toEqual({ id, drawn: true, datasets: true });

    // Each chart holds the numbers of the one federated query.
    const sortis = e.sortiesParMotif.find((m) => m.motif === 'SORTIE')!.nombre;
    expect(charts['chart-etapes']!.data[0]).toEqual([e.effectifs.orientes, e.effectifs.diagnostiques, e.effectifs.signataires, e.effectifs.enAccompagnementFin, sortis]);
    expect(charts['chart-canaux']!.data[0]).toEqual(e.orientationsParCanal.map((c) => c.nombre));
    expect(charts['chart-delais']!.data[0]!.slice(0, 2)).toEqual([e.delaiDiagnostic.medianeJours, e.delaiContractualisation.medianeJours]);
    expect(charts['chart-delais']!.data[2]).toEqual([30, 21, null]);
    const pct = (n: number, d: number) => (d ? Math.round((1000 * n) / d) / 10 : null);
    expect(charts['chart-resultats']!.data[0]).toEqual([
      pct(e.droitsLogement.accesLogement.numerateur, e.droitsLogement.accesLogement.denominateur),
      pct(e.emploiFormation.accesEmploiFormation.numerateur, e.emploiFormation.accesEmploiFormation.denominateur),
    ]);
    expect(charts['chart-resultats']!.data[1]).toEqual([60, 60]);
    expect(charts['chart-logement-entree']!.data[0]).toEqual(e.droitsLogement.situationsEntree.map((s) => s.nombre));
    expect(charts['chart-ages']!.data[0]).toEqual(e.profil.parTrancheAge.map((t) => t.nombre));
    expect(charts['chart-formation']!.data[0]).toEqual(e.profilFormation.parNiveau.map((n) => n.nombre));
    // Twelve months, July 2024 to June 2025.
    expect(charts['chart-mois']!.labels).toEqual(e.parMois.map((m) => m.mois));
    expect(charts['chart-mois']!.labels).toHaveLength(12);
    expect(charts['chart-mois']!.data[0]).toEqual(e.parMois.map((m) => m.orientes));
    // The table by commune of residence: the 15 communes with the most people, named from the
    // referential, then one row for the others; every person counted once.
    const rows = await page.locator('#table-communes tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from((tr as any).cells).map((td: any) => td.textContent as string))); // eslint-disable-line @typescript-eslint/no-explicit-any
    const connues = e.profil.parCommuneResidence.filter((c) => c.commune);
    expect(connues.length).toBeGreaterThan(15);
    expect(rows.slice(0, 15).map((r) => [r[0], r[1], r[2]])).toEqual(connues.slice(0, 15).map((c) => [c.commune!.nom, c.commune!.codeInsee, String(c.nombre)]));
    expect(rows).toHaveLength(16);
    expect(rows[15]![0]).toBe(`Autres communes (${connues.length - 15}) ou non renseignée`);
    expect(rows.reduce((n, r) => n + Number(r[2]), 0)).toBe(e.profil.population);
    expect(rows.length).toBeGreaterThan(1);
    expect(problems).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-test.png'), fullPage: true });

    problems.length = 0;
    // The explorer, in the same tab: GraphiQL loads, with the dashboard's token in its headers, and runs a query.
    await page.goto(`${base}/explorer`);
    await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => /totalCount/.test(document.querySelector('.graphiql-response')?.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(await page.locator('.graphiql-response').textContent()).not.toContain('UNAUTHENTICATED');
    // Outside development the gateway refuses introspection (400): GraphiQL then has no docs, queries still run.
    expect(problems.filter((p) => !/^HTTP 400: .*\/graphql$|status of 400/.test(p))).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-test.png') });
    await page.close();
  });

  test('says what is wrong when the token is refused, and draws nothing', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/dashboard?${new URLSearchParams(PERIODE)}`);
    await page.fill('#token', 'not-a-token');
    await page.click('#afficher');
    await page.waitForSelector('body[data-etat="erreur"]', { timeout: 30_000 });
    expect(await page.locator('#erreur').textContent()).toContain('UNAUTHENTICATED');
    expect(await page.evaluate(() => document.querySelectorAll('canvas').length)).toBe(8);
    expect(await page.evaluate(() => window.Chart.getChart(document.querySelector('#chart-etapes')) === undefined)).toBe(true);
    await page.close();
  });
});
