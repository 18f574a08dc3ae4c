/**
 * `npm run screenshot`: starts the hub with the demo data (on DATABASE_URL, a superuser URL, or on
 * a throwaway embedded PostgreSQL), opens the dashboard in headless Chromium (/usr/bin/chromium,
 * or CHROMIUM_PATH) with a coordinator's token, writes artifacts/dashboard.png (and explorer.png,
 * and console.png: the console's page of a vignette's parcours, console-a-traiter.png: its alerts),
 * and stops everything. Databases are made under a throwaway prefix and dropped afterwards.
 */
import { mkdirSync, mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDemoData, VIGNETTES } from './demo';
import { freePort, startEmbeddedPostgres, type EmbeddedCluster } from './embedded-postgres';
import { ROOT } from './supergraph';
import { launchChromium } from '../test/support/browser';
import { COORDINATOR, startTestHub, type TestHub } from '../test/support/hub';



async function main(): Promise<void> {
  let embedded: EmbeddedCluster | undefined;
  let hub: TestHub | undefined;
  const browser = await launchChromium();
  try {
    if (!process.env.DATABASE_URL) {
      const parent = mkdtempSync(path.join(tmpdir(), 'agir-screenshot-pg-'));
      chmodSync(parent, 0o755); // as root, PostgreSQL runs as `postgres` and must reach its data directory
      embedded = await startEmbeddedPostgres({ dataDir: path.join(parent, 'data'), port: await freePort(), persistent: false });
      process.env.DATABASE_URL = embedded.adminUrl;
    }
    const today = process.env.DEMO_TODAY ?? '2025-06-30';
    hub = await startTestHub({ seed: async (dbs) => void (await loadDemoData(dbs, { parcours: 320, today })), consent: false });
    const base = hub.gatewayUrl.replace(/\/graphql$/, '');
    const token = await hub.token(COORDINATOR);
    const du = `${Number(today.slice(0, 4)) - 1}-${today.slice(5, 7)}-01`;
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/dashboard?${new URLSearchParams({ departement: '44', du, au: today })}`);
    await page.fill('#token', token);
    await page.click('#afficher');
    await page.waitForSelector('body[data-etat="pret"], body[data-etat="erreur"]', { timeout: 60_000 });
    const erreur = await page.locator('#erreur').textContent();
    const dir = path.join(ROOT, 'artifacts');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, 'dashboard.png'), fullPage: true });
    await page.goto(`${base}/explorer`);
    await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
    await page.screenshot({ path: path.join(dir, 'explorer.png') });
    // The console: the alerts of the day, then the page of Monsieur J.'s parcours (seed 002).
    await page.goto(`${base}/console?${new URLSearchParams({ departement: '44', date: today })}`);
    await page.fill('#token', token);
    await page.click('#ouvrir');
    await page.waitForSelector('body[data-vue="a-traiter"][data-etat="pret"], body[data-etat="erreur"]', { timeout: 60_000 });
    const erreurAlertes = await page.locator('#erreur').textContent();
    await page.screenshot({ path: path.join(dir, 'console-a-traiter.png'), fullPage: true });
    await page.goto(`${base}/console?${new URLSearchParams({ date: today, parcours: VIGNETTES.monsieurJ.parcoursId })}`);
    await page.waitForSelector('body[data-vue="parcours"][data-etat="pret"], body[data-etat="erreur"]', { timeout: 60_000 });
    const erreurParcours = await page.locator('#erreur').textContent();
    await page.screenshot({ path: path.join(dir, 'console.png'), fullPage: true });
    const erreurs = [erreur, erreurAlertes, erreurParcours].filter(Boolean).join(' ; ');
    process.stdout.write(`Wrote ${path.join(dir, 'dashboard.png')}, explorer.png, console.png and console-a-traiter.png${erreurs ? ` (the pages reported: ${erreurs})` : ''}\n`);
    if (erreurs) process.exitCode = 1;
  } finally {
    await browser.close();
    await hub?.stop();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run screenshot failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
