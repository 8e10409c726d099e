// Finds the Chromium that Playwright should launch, in the order DEVELOPERS.md asks for:
// an explicit path (CHROMIUM_PATH), Debian's /usr/bin/chromium, then Playwright's own download.
import { existsSync } from 'node:fs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** @returns {Promise<{path: string | undefined, source: string}>} path undefined = Playwright's default. */
export async function findChromium() {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`CHROMIUM_PATH=${explicit} does not exist`);
    return { path: explicit, source: 'CHROMIUM_PATH' };
  }
  if (existsSync(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, source: "Debian's chromium" };
  try {
    const { chromium } = await import('@playwright/test');
    const own = chromium.executablePath();
    if (own && existsSync(own)) return { path: undefined, source: `Playwright's own Chromium (${own})` };
  } catch {
    // Playwright's registry lookup throws when no browser is installed; fall through.
  }
  return { path: undefined, source: 'none' };
}
