import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { freePort, stopChild, waitForPort } from '../../scripts/azurite.js';
import { fromRoot, projectRoot } from '../../src/project-root.js';

/** The whole local stack as a person starts it (`npm start` / `npm run demo`), on free ports and a fresh data folder. */
export interface Stack {
  readonly botUrl: string;
  readonly playgroundUrl: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startStack(options: { demo: boolean }): Promise<Stack> {
  const [port, playgroundPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'governance-e2e-'));
  const args = [fromRoot('dist', 'scripts', 'dev.js'), ...(options.demo ? ['--demo'] : [])];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: String(port),
      PLAYGROUND_PORT: String(playgroundPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      STORAGE_CONNECTION_STRING: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const ready = async () => {
    const deadline = Date.now() + 90_000;
    while (!output.includes('Press Ctrl-C to stop.')) {
      if (child.exitCode !== null) throw new Error(`the stack exited with code ${child.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`the stack did not start within 90 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await waitForPort(playgroundPort, 30_000);
  };
  await ready();
  return {
    botUrl: `http://127.0.0.1:${port}`,
    playgroundUrl: `http://localhost:${playgroundPort}/`,
    output: () => output,
    async stop() {
      child.kill('SIGINT');
      await stopChild(child, 15_000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The Playground in a new page; a taller window shows a long card whole, for a screenshot. */
export async function openPlayground(browser: Browser, url: string, size: { height?: number } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: size.height ?? 1100 } });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.locator('[contenteditable="true"]').first().waitFor({ timeout: 30_000 });
  return page;
}

/**
 * Starts the stack and a browser for the suite it is called in and stops both after it;
 * what it gives opens the Playground in a new page.
 */
export function playgroundFor(options: { demo: boolean }): (size?: { height?: number }) => Promise<Page> {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(options), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  return async (size = {}) => {
    if (!stack || !browser) throw new Error('The stack did not start; see the first failure above.');
    return openPlayground(browser, stack.playgroundUrl, size);
  };
}

/** Waits until the page shows `text` (as many times as `count`), polling what a person sees. */
export async function waitForText(page: Page, text: string | RegExp, timeoutMs = 20_000, count = 1): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let body = '';
  while (Date.now() < deadline) {
    body = await page.locator('body').innerText();
    const hits =
      typeof text === 'string'
        ? body.split(text).length - 1
        : (body.match(new RegExp(text.source, `${text.flags.replace('g', '')}g`)) ?? []).length;
    if (hits >= count) return body;
    await page.waitForTimeout(250);
  }
  throw new Error(
    `"${String(text)}" did not appear ${count} time(s) within ${timeoutMs} ms. The page shows:\n${body.slice(-3000)}`,
  );
}

/** Types a command into the chat's message box and sends it. */
export async function typeInChat(page: Page, text: string): Promise<void> {
  const box = page.locator('[contenteditable="true"]').first();
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

/**
 * Sends a message of several lines to the personal chat, as a range pasted from Excel arrives from
 * Teams (a line a row, tabs between cells). The Playground's message box cannot: it sends only the
 * text of its lines, joined, without line breaks or tabs. So the message is posted the way the
 * Playground's own page posts what is typed, and the bot's answer shows in the page as any other.
 */
export async function pasteInPersonalChat(page: Page, lines: readonly string[]): Promise<void> {
  const config = parseYaml(readFileSync(fromRoot('.m365agentsplayground.yml'), 'utf8')) as {
    personalChat: { id: string };
    currentUser: { id: string };
  };
  const status = await page.evaluate(
    async ({ conversationId, userId, text }) => {
      const response = await fetch(`/_conversation/v1/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'text', text, textFormat: 'plain', from: { id: userId } }),
      });
      return response.status;
    },
    { conversationId: config.personalChat.id, userId: config.currentUser.id, text: lines.join('\n') },
  );
  if (status >= 300) throw new Error(`the Playground refused the message: HTTP ${status}`);
}

/** Posts a command in a channel: a new post that @mentions the bot, as Teams requires. */
export async function postInChannel(page: Page, channelName: string, botName: string, command: string): Promise<void> {
  await page.getByText(channelName, { exact: true }).first().click();
  await page.waitForTimeout(1000);
  const box = page.locator('[contenteditable="true"]').first();
  await box.click();
  await box.pressSequentially(`@${botName.slice(0, 6)}`, { delay: 50 });
  await page.locator('[role="listbox"], [role="option"]').filter({ hasText: botName }).first().click();
  await box.pressSequentially(` ${command}`, { delay: 20 });
  await page.getByRole('button', { name: 'Post' }).click();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = fromRoot('test-results', `${name}.png`);
  // The Playground's log panel names files of the machine it runs on: the picture stops short of it.
  const log = await page
    .getByText('Log Panel', { exact: true })
    .first()
    .boundingBox({ timeout: 1_000 })
    .catch(() => null);
  const viewport = page.viewportSize();
  const clip = log && viewport ? { x: 0, y: 0, width: Math.max(400, log.x - 16), height: viewport.height } : undefined;
  await page.screenshot({ path, fullPage: false, ...(clip ? { clip } : {}) });
  return path;
}
