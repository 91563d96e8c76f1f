import { describe, expect, it } from 'vitest';
import { playgroundFor, postInChannel, screenshot, waitForText } from './stack.js';

describe('in the demo, a committee officer', () => {
  const openPage = playgroundFor({ demo: true });

  it('posts the digest in the committee channel with digest now and reads it', async () => {
    const page = await openPage();
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
