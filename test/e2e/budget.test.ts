import { describe, expect, it } from 'vitest';
import { playgroundFor, screenshot, typeInChat, waitForText } from './stack.js';

describe('in the demo, the committee', () => {
  const openPage = playgroundFor({ demo: true });

  it('types budget and reads the forecast overspend of £845k, Red, with its drivers and council shares', async () => {
    const page = await openPage();
    await typeInChat(page, 'budget');
    const body = await waitForText(page, 'Forecast overspend £845k');
    expect(body).toContain('Budget forecast 2023/24');
    expect(body).toContain('£845,000 overspend');
    expect(body).toMatch(/Income from projects \(PROJINC\)[\s\S]*£1\.56m income shortfall/);
    expect(body).toMatch(/ICT staffing \(STAFF\)[\s\S]*£1\.04m underspend/);
    expect(body).toMatch(/CEC[\s\S]*£423k overspend[\s\S]*CWAC[\s\S]*£423k overspend/);
    expect(body).toContain('Income (money in): £1.89m income shortfall');
    await page.getByText('Forecast overspend £845k').last().scrollIntoViewIfNeeded();
    await screenshot(page, 'e2e-budget-forecast');
    await page.getByText('Budget against forecast').last().scrollIntoViewIfNeeded();
    await screenshot(page, 'e2e-budget-councils-and-bars');
  });
});
