import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, watch } from './support/browser';
import { loadDemoData, VIGNETTES } from '../scripts/demo';
import { demoUsers } from '../scripts/demo/users';
import { FIXTURE, seedFixture } from './support/fixtures';
import { COORDINATOR, startTestHub, type TestHub } from './support/hub';

/**
 * The console (/console) in a real (headless) Chromium over the real hub loaded with the demo
 * data: the alerts to handle, a parcours's page from one federated query, an action recorded
 * through the existing mutations, a referent's narrower view, a domain that is down, and
 * axe-core's accessibility audit of each view. CI installs /usr/bin/chromium; no browser is
 * downloaded. Timeouts are guards against a hang, not measures: the machine may be slow.
 */

// The callbacks given to page.evaluate run in the browser; the project compiles without the DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const sessionStorage: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The day the demo data describes, and the day the console judges alerts, deadlines and criteria on. */
const TODAY = '2025-06-30';
const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const AXE = require.resolve('axe-core/axe.min.js');
const GUARD = 60_000;

/** The order of the rules in the schema's CodeAlerte, which the console groups by. */
const ORDRE_REGLES = ['DIAGNOSTIC', 'CONTRACTUALISATION', 'EVALUATION_MI_PARCOURS', 'FIN_ACCOMPAGNEMENT', 'SUIVI_3_MOIS', 'SUIVI_6_MOIS', 'BINOME_NON_DESIGNE', 'SANS_ACTIVITE', 'EXCLUSION_POSSIBLE'];

interface AlerteApi {
  code: string;
  niveau: string;
  dateEcheance: string;
  parcours: { id: string; site: { id: string; nom: string }; referentDroitsLogement: { id: string; nom: string; prenom: string } | null; referentEmploiFormation: { id: string; nom: string; prenom: string } | null };
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, GUARD);

afterAll(async () => {
  await browser?.close();
});


/** Waits for the view to have finished loading (ready or failed). */
async function vuePrete(page: Page, vue: string): Promise<void> {
  await page.waitForSelector(`body[data-vue="${vue}"][data-etat="pret"], body[data-etat="erreur"]`, { timeout: GUARD });
  expect({ vue, erreur: await page.locator('#erreur').textContent() }).toEqual({ vue, erreur: '' });
}

/** Logs in through the console's own form: the token is pasted, then kept in the tab's sessionStorage. */
async function connecter(page: Page, base: string, token: string, query: string): Promise<void> {
  await page.goto(`${base}/console?${query}`);
  await page.fill('#token', token);
  await page.click('#ouvrir');
}

/**
 * axe-core in the page: the serious and critical violations, with the nodes at fault. The page must
 * be opened with `bypassCSP`: the gateway's Content-Security-Policy (rightly) refuses the injected
 * script, and axe-core is not served by the gateway.
 */
async function violations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await page.addScriptTag({ path: AXE });
  const found = (await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }))) as {
    violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
  };
  return found.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

/** The page overflows horizontally (at 200 % zoom, text must reflow instead). */
async function deborde(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/** The rows of the À traiter view: [rule, parcours id, due date]. */
async function lignesATraiter(page: Page): Promise<[string, string, string][]> {
  return page.locator('#groupes-alertes tr[data-parcours]').evaluateAll((trs) =>
    trs.map((tr: any) => [tr.dataset.code, tr.dataset.parcours, tr.querySelector('time').getAttribute('datetime')] as [string, string, string]), // eslint-disable-line @typescript-eslint/no-explicit-any
  );
}

/** The alerts as the API gives them, in the console's order: by rule, then by due date. */
function ordreConsole(alertes: AlerteApi[]): [string, string, string][] {
  return alertes
    .map((a, i) => ({ a, i }))
    .sort((x, y) => ORDRE_REGLES.indexOf(x.a.code) - ORDRE_REGLES.indexOf(y.a.code) || x.a.dateEcheance.localeCompare(y.a.dateEcheance) || x.i - y.i)
    .map(({ a }) => [a.code, a.parcours.id, a.dateEcheance]);
}

/** Sorted within each rule and day, so that two alerts due the same day may come in either order. */
function parRegleEtJour(rows: [string, string, string][]): string[] {
  return rows.map((r) => r.join(' ')).sort();
}

describe('console over the demo data', () => {
  let hub: TestHub;
  let base: string;
  let coordination: string;
  const referentClaims = demoUsers().REFERENT_DROITS_LOGEMENT;
  let referent: string;

  const ALERTES = `query($dep: String!, $date: Date) { alertes(departement: $dep, date: $date) { alertes { code niveau dateEcheance
    parcours { id site { id nom } referentDroitsLogement { id nom prenom } referentEmploiFormation { id nom prenom } } } } }`;
  const alertesApi = async (token: string) => {
    const r = await hub.query<{ alertes: { alertes: AlerteApi[] } }>(ALERTES, { dep: '44', date: TODAY }, { token });
    expect(r.errors).toBeUndefined();
    return r.data!.alertes.alertes;
  };

  beforeAll(async () => {
    hub = await startTestHub({ seed: (dbs) => loadDemoData(dbs, { parcours: 200, today: TODAY }).then(() => undefined), consent: false });
    base = hub.gatewayUrl.replace(/\/graphql$/, '');
    coordination = await hub.token(COORDINATOR, { expiresIn: '1h' });
    referent = await hub.token(referentClaims, { expiresIn: '1h' });
  }, 180_000);

  afterAll(async () => {
    await hub?.stop();
  });

  test('answers without a token, under the strict Content-Security-Policy, with no inline script', async () => {
    for (const url of ['/console', '/assets/console.js', '/assets/console.css']) {
      const response = await fetch(base + url);
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
    }
    const html = await (await fetch(`${base}/console`)).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  test('coordination: the alerts of the API by rule; a row opens the parcours, whose chronologie is the federated query\'s; a diagnostic recorded, its alert is gone', async () => {
    const expected = await alertesApi(coordination);
    const diagnostics = expected.filter((a) => a.code === 'DIAGNOSTIC');
    expect(diagnostics.length).toBeGreaterThan(0);

    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    const problems = watch(page, base);
    await connecter(page, base, coordination, new URLSearchParams({ date: TODAY, departement: '44' }).toString());
    await vuePrete(page, 'a-traiter');
    expect(await page.evaluate(() => sessionStorage.getItem('agir.token'))).toBe(coordination);

    // Every alert, grouped by rule in the schema's order, by due date within a rule.
    const rows = await lignesATraiter(page);
    const attendu = ordreConsole(expected);
    expect(parRegleEtJour(rows)).toEqual(parRegleEtJour(attendu));
    expect(rows.map((r) => `${r[0]} ${r[2]}`)).toEqual(attendu.map((r) => `${r[0]} ${r[2]}`));
    const groupes = await page.locator('#groupes-alertes section[data-regle]').evaluateAll((s) => s.map((x: any) => x.dataset.regle)); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(groupes).toEqual(ORDRE_REGLES.filter((r) => expected.some((a) => a.code === r)));

    // Filters: by rule, by site, by referent; the URL keeps them.
    await page.selectOption('#filtre-regle', 'DIAGNOSTIC');
    expect((await lignesATraiter(page)).map((r) => r[1]).sort()).toEqual(diagnostics.map((a) => a.parcours.id).sort());
    expect(page.url()).toContain('regle=DIAGNOSTIC');
    await page.selectOption('#filtre-regle', '');
    const site = expected[0]!.parcours.site;
    await page.selectOption('#filtre-site', site.id);
    expect((await lignesATraiter(page)).map((r) => r[1]).sort()).toEqual(expected.filter((a) => a.parcours.site.id === site.id).map((a) => a.parcours.id).sort());
    await page.selectOption('#filtre-site', '');
    const unReferent = expected.find((a) => a.parcours.referentDroitsLogement)!.parcours.referentDroitsLogement!;
    await page.selectOption('#filtre-referent', unReferent.id);
    const duReferent = expected.filter((a) => a.parcours.referentDroitsLogement?.id === unReferent.id || a.parcours.referentEmploiFormation?.id === unReferent.id);
    expect((await lignesATraiter(page)).map((r) => r[1]).sort()).toEqual(duReferent.map((a) => a.parcours.id).sort());
    await page.selectOption('#filtre-referent', '');
    await page.selectOption('#filtre-regle', 'DIAGNOSTIC');

    // With the keyboard: the row's link opens the parcours, and the focus goes to its title.
    const cible = diagnostics[0]!.parcours.id;
    await page.focus(`#groupes-alertes tr[data-parcours="${cible}"] a`);
    await page.keyboard.press('Enter');
    await vuePrete(page, 'parcours');
    expect(await page.evaluate(() => document.activeElement.id)).toBe('titre-parcours');
    expect(page.url()).toContain(`parcours=${cible}`);
    expect(await page.locator('#alertes-parcours [data-code="DIAGNOSTIC"]').count()).toBe(1);

    // The chronologie the page shows is the one of the same federated query, made directly.
    const requete = (await page.evaluate(() => window.AgirConsole.REQUETE_PARCOURS)) as string;
    type Evenement = { date: string; domaine: string; type: string; libelle: string };
    const direct = await hub.query<{ parcours: { statut: string; chronologie: Evenement[] } }>(requete, { id: cible, jour: TODAY }, { token: coordination });
    expect(direct.data?.parcours.statut).toBe('CONVOQUE');
    const chronologie = async () =>
      page.locator('#chronologie tr[data-date]').evaluateAll((trs) =>
        trs.map((tr: any) => ({ date: tr.dataset.date, domaine: tr.dataset.domaine, type: tr.dataset.type, libelle: tr.cells[2].textContent, marque: tr.cells[1].textContent })), // eslint-disable-line @typescript-eslint/no-explicit-any
      );
    const NOMS = { COORDINATION: 'Coordination', DROITS_LOGEMENT: 'Droits & Logement', EMPLOI_FORMATION: 'Emploi & Formation' } as Record<string, string>;
    expect(await chronologie()).toEqual(direct.data!.parcours.chronologie.map((e) => ({ ...e, marque: NOMS[e.domaine] })));

    // The hub's refusal goes next to the field it names, and nothing is written.
    await page.click('details[data-action="REALISER_DIAGNOSTIC"] summary');
    const form = page.locator('form[data-action="REALISER_DIAGNOSTIC"]');
    await form.locator('[data-chemin="diagnostic.date"] input').fill('2020-01-02');
    await form.locator('[data-chemin="diagnostic.professionnel"] input').fill('Inès Garnier (AGIR)');
    for (const axe of ['DROITS', 'LOGEMENT', 'EMPLOI', 'FORMATION']) await form.locator(`textarea[data-axe="${axe}"]`).fill(`Observations ${axe.toLowerCase()} de l'entretien.`);
    await form.locator('[data-chemin="diagnostic.prioriteRecommandee"] select').selectOption('LES_DEUX');
    await form.locator('[data-chemin="diagnostic.signeParBeneficiaire"] input').check();
    await form.locator('button[type=submit]').click();
    const erreurDate = form.locator('[data-chemin="diagnostic.date"] .erreur-champ');
    await erreurDate.waitFor({ state: 'visible', timeout: GUARD });
    expect(await erreurDate.textContent()).toMatch(/2020-01-02/);
    expect(await form.locator('[data-chemin="diagnostic.date"] input').getAttribute('aria-invalid')).toBe('true');
    expect((await hub.query<{ parcours: { statut: string } }>(`{ parcours(id: "${cible}") { statut } }`, {}, { token: coordination })).data?.parcours.statut).toBe('CONVOQUE');

    // The right day: recorded, the page says so and shows the new statut, the alert is gone.
    await form.locator('[data-chemin="diagnostic.date"] input').fill(TODAY);
    await form.locator('button[type=submit]').click();
    await page.waitForSelector('#statut-parcours [data-statut="DIAGNOSTIC_REALISE"]', { timeout: GUARD });
    expect(await page.locator('#statut').textContent()).toContain('enregistré');
    expect(await page.locator('#alertes-parcours [data-code="DIAGNOSTIC"]').count()).toBe(0);
    const apres = await hub.query<{ parcours: { statut: string; chronologie: Evenement[] } }>(requete, { id: cible, jour: TODAY }, { token: coordination });
    expect(await chronologie()).toEqual(apres.data!.parcours.chronologie.map((e) => ({ ...e, marque: NOMS[e.domaine] })));
    expect(apres.data!.parcours.chronologie.some((e) => e.type === 'DIAGNOSTIC' && e.date === TODAY)).toBe(true);

    // The commission is next: its binôme is chosen from the referents directory of the département, with each one's caseload.
    await page.click('details[data-action="TENIR_COMMISSION"] summary');
    const choix = page.locator('form[data-action="TENIR_COMMISSION"] select[data-domaine="DROITS_LOGEMENT"] option[value]:not([value=""])');
    await choix.first().waitFor({ state: 'attached', timeout: GUARD });
    const annuaire = await hub.query<{ referents: { id: string; parcoursEnCours: number }[] }>(`{ referents(departement: "44", domaine: DROITS_LOGEMENT) { id parcoursEnCours } }`, {}, { token: coordination });
    expect(await choix.evaluateAll((os) => os.map((o: any) => o.value))).toEqual(annuaire.data!.referents.map((r) => r.id)); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(await choix.first().textContent()).toContain(`${annuaire.data!.referents[0]!.parcoursEnCours} parcours en cours`);

    // Back to the list: the diagnostic alert of that parcours has gone, the others stay.
    await page.click('#lien-a-traiter');
    await vuePrete(page, 'a-traiter');
    const restantes = await lignesATraiter(page);
    expect(restantes.filter((r) => r[0] === 'DIAGNOSTIC').map((r) => r[1]).sort()).toEqual(diagnostics.slice(1).map((a) => a.parcours.id).sort());
    expect(restantes.length).toBe(expected.length - 1);
    expect((await alertesApi(coordination)).some((a) => a.code === 'DIAGNOSTIC' && a.parcours.id === cible)).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);

  test('a vignette\'s parcours: identity, deadlines, exit criteria with their source, and the chronologie of the three domains, each marked', async () => {
    const id = VIGNETTES.madameB.parcoursId;
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    const problems = watch(page, base);
    await connecter(page, base, coordination, new URLSearchParams({ date: TODAY, parcours: id }).toString());
    await vuePrete(page, 'parcours');
    const requete = (await page.evaluate(() => window.AgirConsole.REQUETE_PARCOURS)) as string;
    const direct = await hub.query<{ parcours: { statut: string; chronologie: { date: string; domaine: string; libelle: string }[]; echeances: { code: string; etat: string }[]; criteresSortie: { criteres: { critere: string; statut: string; source: string }[] } } }>(
      requete, { id, jour: TODAY }, { token: coordination });
    expect(direct.errors).toBeUndefined();
    const p = direct.data!.parcours;
    expect(await page.locator('#titre-parcours').textContent()).toContain('BANGOURA Mariama');
    const rows = await page.locator('#chronologie tr[data-date]').evaluateAll((trs) => trs.map((tr: any) => ({ date: tr.dataset.date, domaine: tr.dataset.domaine, libelle: tr.cells[2].textContent }))); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(rows).toEqual(p.chronologie.map((e) => ({ date: e.date, domaine: e.domaine, libelle: e.libelle })));
    expect(new Set(rows.map((r) => r.domaine))).toEqual(new Set(['COORDINATION', 'DROITS_LOGEMENT', 'EMPLOI_FORMATION']));
    expect(await page.locator('#echeances tr[data-code]').evaluateAll((trs) => trs.map((tr: any) => [tr.dataset.code, tr.dataset.etat]))).toEqual(p.echeances.map((e) => [e.code, e.etat])); // eslint-disable-line @typescript-eslint/no-explicit-any
    const criteres = await page.locator('#criteres tr[data-critere]').evaluateAll((trs) => trs.map((tr: any) => [tr.dataset.critere, tr.dataset.statut, tr.cells[2].textContent])); // eslint-disable-line @typescript-eslint/no-explicit-any
    const NOMS = { DROITS_LOGEMENT: 'Droits & Logement', EMPLOI_FORMATION: 'Emploi & Formation' } as Record<string, string>;
    expect(criteres).toEqual(p.criteresSortie.criteres.map((c) => [c.critere, c.statut, NOMS[c.source]]));
    // The exit criteria on another day: the same query with that day.
    await page.fill('#jour-criteres', '2023-06-30');
    await page.click('#form-jour-criteres button');
    await page.waitForSelector('#criteres-titre:has-text("30/06/2023")', { timeout: GUARD });
    await vuePrete(page, 'parcours');
    const avant = await hub.query<{ parcours: { criteresSortie: { criteres: { critere: string; statut: string }[] } } }>(requete, { id, jour: '2023-06-30' }, { token: coordination });
    expect(await page.locator('#criteres tr[data-critere]').evaluateAll((trs) => trs.map((tr: any) => [tr.dataset.critere, tr.dataset.statut]))).toEqual( // eslint-disable-line @typescript-eslint/no-explicit-any
      avant.data!.parcours.criteresSortie.criteres.map((c) => [c.critere, c.statut]));
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  test('what the person did not consent to share is shown as hidden, never as empty', async () => {
    const id = VIGNETTES.monsieurJ.parcoursId;
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    await connecter(page, base, coordination, new URLSearchParams({ date: TODAY, parcours: id }).toString());
    await vuePrete(page, 'parcours');
    const requete = (await page.evaluate(() => window.AgirConsole.REQUETE_PARCOURS)) as string;
    const direct = await hub.query(requete, { id, jour: TODAY }, { token: coordination });
    // The hub answers the refused fields null, with FORBIDDEN at their paths: the page renders from those.
    const refuses = (direct.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path!.join('.'));
    expect(refuses).toEqual(expect.arrayContaining(['parcours.situationProfessionnelle', 'parcours.langue', 'parcours.evenementsEmploiFormation']));
    for (const champ of ['situationProfessionnelle', 'langue', 'formations', 'contratsTravail']) {
      expect({ champ, texte: await page.locator(`#emploi-formation [data-champ="${champ}"]`).textContent() }).toEqual({ champ, texte: 'masqué : pas de consentement' });
    }
    expect(await page.locator('#chronologie .masque[data-domaine="EMPLOI_FORMATION"]').textContent()).toBe('Emploi & Formation : masqué : pas de consentement.');
    expect(await page.locator('#chronologie tr[data-domaine="EMPLOI_FORMATION"]').count()).toBe(0);
    expect(await page.locator('#chronologie tr[data-domaine="DROITS_LOGEMENT"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#droits-logement .masque').count()).toBe(0);
    await page.close();
  }, 120_000);

  test('a referent sees only its own parcours, and no action of the coordination', async () => {
    const propres = await alertesApi(referent);
    const toutes = await alertesApi(coordination);
    expect(propres.length).toBeGreaterThan(0);
    expect(propres.length).toBeLessThan(toutes.length);
    for (const a of propres) expect([a.parcours.referentDroitsLogement?.id, a.parcours.referentEmploiFormation?.id]).toContain(referentClaims.referent);

    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    const problems = watch(page, base);
    await connecter(page, base, referent, new URLSearchParams({ date: TODAY }).toString());
    await vuePrete(page, 'a-traiter');
    const rows = await lignesATraiter(page);
    expect(parRegleEtJour(rows)).toEqual(parRegleEtJour(ordreConsole(propres)));
    const nom = `${referentClaims.name}`;
    const binomes = await page.locator('#groupes-alertes tr[data-parcours] td:nth-child(6)').allTextContents();
    for (const b of binomes) expect(b).toContain(nom);

    // Its parcours opens, without the coordination's forms.
    await page.click(`#groupes-alertes tr[data-parcours="${propres[0]!.parcours.id}"] a`);
    await vuePrete(page, 'parcours');
    expect(await page.locator('#actions form').count()).toBe(0);
    expect(await page.locator('#actions').textContent()).toContain('votre rôle ne permet aucune action');

    // Someone else's parcours: the hub refuses it, and the page says so.
    const autre = toutes.find((a) => !propres.some((p) => p.parcours.id === a.parcours.id) && a.parcours.referentDroitsLogement?.id !== referentClaims.referent && a.parcours.referentEmploiFormation?.id !== referentClaims.referent)!;
    await page.goto(`${base}/console?${new URLSearchParams({ date: TODAY, parcours: autre.parcours.id })}`);
    await vuePrete(page, 'parcours');
    expect(await page.locator('#titre-parcours').textContent()).toBe('Parcours introuvable');
    expect(await page.locator('#parcours-contenu').textContent()).toMatch(/FORBIDDEN|NOT_FOUND/);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  test('each count of the dashboard\'s À traiter card opens the console\'s list behind it', async () => {
    const expected = await alertesApi(coordination);
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    await page.goto(`${base}/dashboard?${new URLSearchParams({ departement: '44', du: '2024-07-01', au: TODAY })}`);
    await page.fill('#token', coordination);
    await page.click('#afficher');
    await page.waitForSelector('body[data-etat="pret"], body[data-etat="erreur"]', { timeout: GUARD });
    const liens = await page.locator('#table-a-traiter a').evaluateAll((as) => as.map((a: any) => ({ href: a.getAttribute('href'), regle: a.dataset.regle, niveau: a.dataset.niveau, nombre: Number(a.textContent) }))); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(liens.length).toBeGreaterThan(0);
    for (const l of liens) {
      expect(l.href).toBe(`/console?${new URLSearchParams({ departement: '44', date: TODAY, regle: l.regle, niveau: l.niveau })}`);
      expect(l.nombre).toBe(new Set(expected.filter((a) => a.code === l.regle && a.niveau === l.niveau).map((a) => a.parcours.id)).size);
    }
    const diagnostic = liens.find((l) => l.regle === 'DIAGNOSTIC') ?? liens[0]!;
    await page.click(`#table-a-traiter a[data-regle="${diagnostic.regle}"][data-niveau="${diagnostic.niveau}"]`);
    await vuePrete(page, 'a-traiter');
    const rows = await page.locator('#groupes-alertes tr[data-parcours]').evaluateAll((trs) => trs.map((tr: any) => [tr.dataset.code, tr.dataset.niveau])); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(rows).toHaveLength(diagnostic.nombre);
    for (const r of rows) expect(r).toEqual([diagnostic.regle, diagnostic.niveau]);

    await page.close();

    // An analyst sees no one: no card, no link (a new tab, so that no other token is in its sessionStorage).
    const analyste = await hub.token(demoUsers().ANALYSTE);
    const autre = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    await autre.goto(`${base}/dashboard?${new URLSearchParams({ departement: '44', du: '2024-07-01', au: TODAY })}`);
    await autre.fill('#token', analyste);
    await autre.click('#afficher');
    await autre.waitForSelector('body[data-etat="pret"], body[data-etat="erreur"]', { timeout: GUARD });
    expect(await autre.locator('#carte-a-traiter').isHidden()).toBe(true);
    expect(await autre.locator('#table-a-traiter a').count()).toBe(0);
    await autre.close();
  }, 120_000);

  test('the three views pass axe-core without a serious or critical violation, and reflow at 200 % zoom', async () => {
    // 200 % zoom of a 1280-pixel-wide window is a 640-pixel-wide layout.
    for (const viewport of [{ width: 1300, height: 1000 }, { width: 640, height: 900 }]) {
      const page = await browser.newPage({ viewport, bypassCSP: true });
      await connecter(page, base, coordination, new URLSearchParams({ date: TODAY, departement: '44' }).toString());
      await vuePrete(page, 'a-traiter');
      expect({ vue: 'à traiter', viewport, violations: await violations(page) }).toEqual({ vue: 'à traiter', viewport, violations: [] });
      expect({ vue: 'à traiter', viewport, deborde: await deborde(page) }).toEqual({ vue: 'à traiter', viewport, deborde: false });

      await page.click('#lien-recherche');
      await vuePrete(page, 'recherche');
      expect({ vue: 'recherche', viewport, violations: await violations(page) }).toEqual({ vue: 'recherche', viewport, violations: [] });
      expect({ vue: 'recherche', viewport, deborde: await deborde(page) }).toEqual({ vue: 'recherche', viewport, deborde: false });

      await page.goto(`${base}/console?${new URLSearchParams({ date: TODAY, parcours: VIGNETTES.monsieurJ.parcoursId })}`);
      await vuePrete(page, 'parcours');
      // Every form open, so that each control is audited.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d: any) => { d.open = true; })); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect({ vue: 'parcours', viewport, violations: await violations(page) }).toEqual({ vue: 'parcours', viewport, violations: [] });
      expect({ vue: 'parcours', viewport, deborde: await deborde(page) }).toEqual({ vue: 'parcours', viewport, deborde: false });
      if (viewport.width > 1000) {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, 'console-test.png'), fullPage: true });
      }
      await page.close();
    }
  }, 240_000);
});

/** The person search (`rechercherBeneficiaires`) and each person's likely duplicates (`Beneficiaire.doublonsProbables`). */
describe('console: the person search', () => {
  let hub: TestHub;
  let base: string;
  let coordination: string;

  beforeAll(async () => {
    hub = await startTestHub({ seed: (dbs) => loadDemoData(dbs, { parcours: 200, today: TODAY }).then(() => undefined), consent: false });
    base = hub.gatewayUrl.replace(/\/graphql$/, '');
    coordination = await hub.token(COORDINATOR, { expiresIn: '1h' });
  }, 180_000);

  afterAll(async () => {
    await hub?.stop();
  });

  test('finds a vignette\'s person by a misspelled name, with the likely duplicates beside, and opens the parcours', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 }, bypassCSP: true });
    const problems = watch(page, base);
    await connecter(page, base, coordination, new URLSearchParams({ date: TODAY, vue: 'recherche' }).toString());
    await vuePrete(page, 'recherche');
    await page.fill('#recherche-texte', 'Mariama Bangora');
    await page.click('#form-recherche button[type=submit]');
    await page.waitForSelector('#resultats-recherche li.resultat', { timeout: GUARD });
    await vuePrete(page, 'recherche');
    const direct = await hub.query<{ rechercherBeneficiaires: { beneficiaire: { id: string; doublonsProbables: { beneficiaire: { id: string } }[] | null } }[] }>(
      (await page.evaluate(() => window.AgirConsole.RECHERCHE)) as string, { texte: 'Mariama Bangora', dateNaissance: null, numeroDossierOfii: null, departement: null }, { token: coordination });
    expect(direct.errors).toBeUndefined();
    const trouvees = direct.data!.rechercherBeneficiaires;
    const rang = trouvees.findIndex((t) => t.beneficiaire.id === VIGNETTES.madameB.beneficiaireId);
    expect(rang).toBeGreaterThanOrEqual(0);
    expect(await page.locator('#resultats-recherche > li.resultat').evaluateAll((lis) => lis.map((li: any) => li.dataset.beneficiaire))).toEqual(trouvees.map((t) => t.beneficiaire.id)); // eslint-disable-line @typescript-eslint/no-explicit-any
    const madameB = page.locator(`#resultats-recherche > li.resultat[data-beneficiaire="${VIGNETTES.madameB.beneficiaireId}"]`);
    expect(await madameB.locator('.doublon').evaluateAll((ds) => ds.map((d: any) => d.dataset.beneficiaire))).toEqual((trouvees[rang]!.beneficiaire.doublonsProbables ?? []).map((d) => d.beneficiaire.id)); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect({ violations: await violations(page) }).toEqual({ violations: [] });
    await madameB.locator(`.personne a[data-parcours="${VIGNETTES.madameB.parcoursId}"]`).click();
    await vuePrete(page, 'parcours');
    expect(await page.locator('#titre-parcours').textContent()).toContain('BANGOURA Mariama');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('console with the Emploi & Formation subgraph stopped', () => {
  let hub: TestHub;
  let base: string;

  beforeAll(async () => {
    hub = await startTestHub({ seed: seedFixture, subgraphTimeoutMs: 30_000 });
    base = hub.gatewayUrl.replace(/\/graphql$/, '');
    await hub.stopSubgraph('emploi-formation');
  }, 180_000);

  afterAll(async () => {
    await hub?.stop();
  });

  test('the parcours page renders Coordination and Droits & Logement, and names the missing domain', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 }, bypassCSP: true });
    const token = await hub.token(COORDINATOR);
    await connecter(page, base, token, new URLSearchParams({ parcours: FIXTURE.amina.parcours }).toString());
    await vuePrete(page, 'parcours');
    expect(await page.locator('#titre-parcours').textContent()).toContain('HAIDARI Amina');
    expect(await page.locator('#avertissements-parcours').textContent()).toContain('Emploi & Formation indisponible');
    for (const champ of ['situationProfessionnelle', 'langue', 'formations']) {
      expect({ champ, texte: await page.locator(`#emploi-formation [data-champ="${champ}"]`).textContent() }).toEqual({ champ, texte: 'Emploi & Formation indisponible' });
    }
    expect(await page.locator('#chronologie .indisponible[data-domaine="EMPLOI_FORMATION"]').count()).toBe(1);
    // The rest renders: housing, rights procedures, and the other domains' events.
    expect(await page.locator('#droits-logement [data-champ="situationLogement"]').textContent()).toContain('Résidence sociale');
    expect(await page.locator('#droits-logement .indisponible, #droits-logement .masque').count()).toBe(0);
    expect(await page.locator('#chronologie tr[data-domaine="DROITS_LOGEMENT"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#chronologie tr[data-domaine="COORDINATION"]').count()).toBeGreaterThan(0);
    expect({ violations: await violations(page) }).toEqual({ violations: [] });
    await page.close();
  }, 120_000);
});
