import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Real Chromium for the page specs: Debian's /usr/bin/chromium driven by playwright-core (which
 * never downloads a browser). One browser per spec file, a fresh context (cookies, locale) per
 * test. `.ci/run` installs the browser with apt-get when it is missing; here a missing browser
 * fails the specs with a message that says so, it never skips them.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-results', 'screenshots');
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the page specs need a real browser. ` +
        'Install it with `apt-get install -y chromium` (Debian; .ci/run does this) or set ' +
        'CHROMIUM_PATH. These specs never download a browser and are never skipped.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}

/** What a page did wrong while a test used it: console errors (CSP reports too), failed loads. */
export interface PageProblems {
  console: string[];
  failedRequests: string[];
}

export interface BrowserSession {
  /** A new page in a fresh context (own cookies) speaking `locale`; closed after the test. */
  newPage(options?: {
    locale?: string;
    viewport?: { width: number; height: number };
    /** false: the page must work with no JavaScript at all (axe cannot run then). */
    javaScriptEnabled?: boolean;
  }): Promise<Page>;
  /** Console errors and failed requests of the given page so far. */
  problemsOf(page: Page): PageProblems;
}

/**
 * Launches Chromium before the spec file's tests and closes it after; closes each test's
 * contexts after the test. Call at the top of a describe block.
 */
export function useBrowser(): BrowserSession {
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  const problems = new WeakMap<Page, PageProblems>();

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
  });
  afterAll(async () => {
    await browser?.close();
  });

  return {
    async newPage(options = {}) {
      if (!browser) throw new Error('the browser did not start (see the beforeAll error)');
      const context = await browser.newContext({
        locale: options.locale ?? 'en-GB',
        viewport: options.viewport ?? PHONE,
        javaScriptEnabled: options.javaScriptEnabled ?? true,
      });
      contexts.push(context);
      const page = await context.newPage();
      const found: PageProblems = { console: [], failedRequests: [] };
      problems.set(page, found);
      page.on('console', (message) => {
        if (message.type() === 'error') found.console.push(message.text());
      });
      page.on('requestfailed', (request) =>
        found.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`),
      );
      return page;
    },
    problemsOf(page) {
      return problems.get(page) ?? { console: [], failedRequests: [] };
    },
  };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

let axeSource: string | undefined;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * Runs axe-core (from node_modules, injected through the DevTools protocol, so the page's CSP
 * does not have to allow it) on the page as it is, and fails on serious or critical violations,
 * listing each with the elements concerned.
 */
export async function checkA11y(page: Page): Promise<void> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Strings, not functions: the spec files are compiled without the DOM's types.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(axeSource);
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} } })
      .then((result) => result.violations)`,
  );
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length > 0) {
    const lines = serious.flatMap((v) => [
      `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
      ...v.nodes.slice(0, 5).map((n) => `    at ${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
    ]);
    throw new Error(`Accessibility violations on ${page.url()}:\n${lines.join('\n')}`);
  }
}

/**
 * Full-page screenshots at phone (390×844) and desktop (1280×800) widths, as
 * test-results/screenshots/{name}-phone.png and {name}-desktop.png; the viewport is put back.
 */
export async function screenshot(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize();
  const files: string[] = [];
  for (const [label, size] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(size);
    const file = join(SCREENSHOT_DIR, `${name}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  if (before) await page.setViewportSize(before);
  return files;
}
