import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (scripts/test.sh installs it), or LOADCTL_CHROMIUM. Missing is a failure. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.LOADCTL_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath} for the browser tests. Install Debian's chromium (scripts/test.sh does) or set LOADCTL_CHROMIUM.`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    // This machine has no internet: keep Chromium from trying to reach Google at start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
