export default async function globalTeardown(): Promise<void> {
  await globalThis.__AGIR_DATABASE__?.stop();
}
