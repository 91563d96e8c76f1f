import { describe, expect, it } from 'vitest';
import { playgroundFor, screenshot, typeInChat, waitForText } from './stack.js';

describe('in the demo, a board member', () => {
  const openPage = playgroundFor({ demo: true });

  it('clicks Approve on the gateway card and sees it change to approved', async () => {
    const page = await openPage();
    await typeInChat(page, 'approval show A-2');
    const before = await waitForText(page, 'Waiting for an approval for CEC.');
    expect(before).toContain('Gateway: SOC partner procurement');
    expect(before).toContain('Pending');
    const approve = page.getByRole('button', { name: 'Approve' }).last();
    await approve.waitFor({ timeout: 20_000 });
    await screenshot(page, 'e2e-approval-before');
    await approve.click();
    // The click's answer, then the same card updated in place: approved, with who and when, and no buttons.
    const after = await waitForText(page, /Approved by Alex Morgan on \d+ \w+, \d\d:\d\d\./);
    expect(after).toContain('You approved on');
    expect(after).not.toContain('Waiting for an approval for CEC.');
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await screenshot(page, 'e2e-approval-after');
    await typeInChat(page, 'project list');
    const portfolio = await waitForText(page, 'Portfolio — Cheshire Shared ICT (demo)');
    expect(portfolio).toMatch(/SOC partner procurement \(P-5\)\s+Active/);
    await screenshot(page, 'e2e-portfolio');
  });
});
