import { describe, expect, it } from 'vitest';
import { periodsAt, shortLabel } from '../../src/domain/periods.js';
import { pasteInPersonalChat, playgroundFor, postInChannel, screenshot, typeInChat, waitForText } from './stack.js';

describe('in the Agents Playground, a new user', () => {
  const openPage = playgroundFor({ demo: false });

  it('is welcomed once and sees the help card', async () => {
    const page = await openPage();
    await waitForText(page, 'Getting started');
    await typeInChat(page, 'help');
    const body = await waitForText(page, 'Type help ‹command› for its grammar and examples');
    expect(body).toContain('setup partnership');
    expect(body).toContain('kpi record');
    expect(body.split("I keep the shared ICT service's KPIs").length - 1).toBe(1);
    await screenshot(page, 'e2e-help');
  });

  it('sets up a partnership and sees its councils with setup show', async () => {
    const page = await openPage();
    await typeInChat(page, 'setup partnership "Cheshire ICT Shared Service" councils=CEC:50,CWAC:50');
    await waitForText(page, 'Cheshire ICT Shared Service is set up');
    await typeInChat(page, 'setup show');
    const body = await waitForText(page, 'Councils and cost shares');
    expect(body).toMatch(/CEC\s+50%/);
    expect(body).toMatch(/CWAC\s+50%/);
    expect(body).toContain('Your roles');
    await screenshot(page, 'e2e-setup-show');
  });
});

describe('in the demo, an officer', () => {
  const openPage = playgroundFor({ demo: true });

  it('types kpi and reads 2 Green, 0 Amber, 1 Red from the card', async () => {
    const page = await openPage({ height: 1300 });
    await typeInChat(page, 'kpi');
    const body = await waitForText(page, 'KPIs — Cheshire Shared ICT (demo)');
    expect(body).toContain('3 KPIs: 2 Green, 0 Amber, 1 Red');
    expect(body).toMatch(/2\s+Green\s+0\s+Amber\s+1\s+Red\s+0\s+No data/);
    expect(body.indexOf('First time fix (FTF)')).toBeLessThan(body.indexOf('Major incidents (MI)'));
    await screenshot(page, 'e2e-kpi-summary');
  });

  it('opens one KPI and sees major incidents this year against the same months last year', async () => {
    const page = await openPage({ height: 1450 });
    await typeInChat(page, 'kpi MI');
    const body = await waitForText(page, 'Recent readings');
    // The demo's history ends with the last complete month, so the months counted depend on today.
    const ytd = /Year to date\s+(\d+) over (\d+) months?, against (\d+) over the same months last year/.exec(body);
    expect(ytd, body).not.toBeNull();
    expect(Number(ytd![1])).toBeLessThan(Number(ytd![3]));
    await screenshot(page, 'e2e-kpi-detail');
  });

  it('asks in a channel with an @mention and gets the Red KPIs', async () => {
    const page = await openPage();
    await postInChannel(page, 'Programme Board', 'Governance Bot', 'kpi red');
    const body = await waitForText(page, 'Red only');
    expect(body).toContain('First time fix (FTF)');
    expect(body).not.toContain('Major incidents (MI)');
    await screenshot(page, 'e2e-channel-kpi-red');
  });

  it('pastes a three-line table under kpi record and reads the three readings on one card', async () => {
    const page = await openPage();
    // The month in progress: the demo's history ends with the month before, so nothing is replaced.
    const month = periodsAt(new Date()).current.monthly;
    await pasteInPersonalChat(page, [`kpi record period=${month.label}`, 'FTF\t74.1', 'MI\t1', 'PTCS\t69.2']);
    const body = await waitForText(page, '3 readings recorded');
    expect(body).toContain(`74.1% for ${shortLabel(month)}`);
    expect(body).toContain(`1 for ${shortLabel(month)}`);
    expect(body).toContain(`69.2% for ${shortLabel(month)}`);
    await screenshot(page, 'e2e-kpi-table');
    // The detail card lists the reading for the month in progress too, under the one of the table card.
    await typeInChat(page, 'kpi FTF');
    const detail = await waitForText(page, 'Recent readings');
    expect(detail.split('74.1%').length - 1).toBeGreaterThanOrEqual(2);
  });

  it('adds a KPI with the form card and its button', async () => {
    const page = await openPage();
    await typeInChat(page, 'kpi add');
    await waitForText(page, 'Add a KPI');
    await page.getByLabel('Name').last().fill('Password resets within 1 hour');
    await page.getByLabel('Target').last().fill('95');
    await page.getByRole('button', { name: 'Add KPI' }).last().click();
    const body = await waitForText(page, 'KPI added: Password resets within 1 hour');
    expect(body).toContain('≥ 95%');
    await screenshot(page, 'e2e-kpi-form');
  });
});
