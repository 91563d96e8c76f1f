import { describe, expect, it } from 'vitest';
import { playgroundFor, screenshot, typeInChat, waitForText } from './stack.js';

describe('in the demo, a committee member', () => {
  const openPage = playgroundFor({ demo: true });

  it('types risk and sees the heat map with the one Red risk, above appetite, at likelihood 4 × impact 5', async () => {
    const page = await openPage();
    await typeInChat(page, 'risk');
    const body = await waitForText(page, 'Heat map: open risks by current score');
    expect(body).toContain('7 open risks: 1 Red, 4 Amber, 2 Green · 1 above appetite · 1 review overdue');
    expect(body).toMatch(/Impact 5\s+A\s+A\s+R\s+1 R\s+R/);
    expect(body).toContain('R-1 · Information management and data security, including cyber security');
    expect(body).toContain('Above appetite (6)');
    await page.getByText('Heat map: open risks by current score').last().scrollIntoViewIfNeeded();
    await screenshot(page, 'e2e-risk-register');
  });
});
