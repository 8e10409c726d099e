import { type Browser, chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';

/** The same Chromium the e2e suite launches (scripts/chromium.mjs), headless. */
export async function launchBrowser(): Promise<Browser> {
  const found = await findChromium();
  return chromium.launch({ executablePath: found.path, args: CHROMIUM_ARGS, headless: true });
}
