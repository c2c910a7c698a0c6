import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); playwright-core downloads nothing. */
export const CHROMIUM = '/usr/bin/chromium';

export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/viewer/', import.meta.url));

/**
 * Whether the browser tests run: yes with Chromium; without it they are
 * skipped with a message, except under CI=true, where they fail.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium); under CI=true the browser tests fail instead of skipping`);
  console.warn(`browser tests skipped: Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`);
  return false;
}

export interface TestBrowser {
  context: BrowserContext;
  /** Console errors and uncaught exceptions of every page so far. */
  problems: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile; every console error and page error is collected. */
export async function launchBrowser(): Promise<TestBrowser> {
  // A fresh profile each time (playwright's own way of passing --user-data-dir).
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'jobgraph-chromium-')), {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
  });
  const problems: string[] = [];
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    problems,
    async newPage() {
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
      return page;
    },
    async close() {
      await context.close();
    },
  };
}
