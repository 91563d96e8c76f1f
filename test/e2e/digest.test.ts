import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  openPlayground,
  postInChannel,
  screenshot,
  startStack,
  waitForText,
  type Stack,
} from './stack.js';

describe('in the demo, a committee officer', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ demo: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('posts the digest in the committee channel with digest now and reads it', async () => {
    const page = await openPlayground(browser, stack.playgroundUrl);
    await postInChannel(page, 'Programme Board', 'Governance Bot', 'digest now');
    const body = await waitForText(page, 'Digest — Cheshire Shared ICT (demo)');
    await waitForText(page, 'Type status for this overview at any time');
    expect(body).toContain('3 KPIs: 2 Green, 0 Amber, 1 Red.');
    expect(body).toMatch(/Red\s+First time fix \(FTF\)/);
    expect(body).toContain('KPI figures due and missing');
    expect(body).toContain('Changed in the last 7 days');
    await screenshot(page, 'e2e-digest-now');
  });
});
