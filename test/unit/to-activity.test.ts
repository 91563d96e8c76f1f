/**
 * How a reply becomes the Teams message: its card (with the plain text as the card's fallback and
 * the first line as the message summary), or its plain text when there is no card or the card is
 * too large for Teams to show.
 */
import { describe, expect, it } from 'vitest';
import { ADAPTIVE_CARD, toActivity, toInvokeResponse } from '../../src/bot/governance-bot.js';
import { noticeCard } from '../../src/cards/core.js';
import { kpiFormCard } from '../../src/cards/kpi.js';
import { CARD_BYTE_LIMIT, renderCard } from '../../src/cards/render.js';
import { cardReply, type Reply } from '../../src/commands/types.js';

const notice = (message: string, text = `Recorded\n${message}`): Reply =>
  cardReply(noticeCard, { tone: 'good', title: 'Recorded', message, facts: [] }, text);

describe('a reply as a Teams message', () => {
  it('sends a card with its plain text as the fallback and its first line as the summary', () => {
    const activity = toActivity(notice('First time fix: 81% for Oct 2026 is Green'));
    expect(activity.type).toBe('message');
    expect(activity.summary).toBe('Recorded');
    expect(activity.attachments).toHaveLength(1);
    const [attachment] = activity.attachments!;
    expect(attachment!.contentType).toBe(ADAPTIVE_CARD);
    expect(attachment!.content).toMatchObject({
      type: 'AdaptiveCard',
      fallbackText: 'Recorded\nFirst time fix: 81% for Oct 2026 is Green',
    });
  });

  it('sends a reply without a card as plain text', () => {
    expect(toActivity({ text: 'Hello <there>' })).toEqual({
      type: 'message',
      text: 'Hello <there>',
      textFormat: 'plain',
    });
  });

  it(`sends a card over ${CARD_BYTE_LIMIT} bytes as its plain text instead, which Teams would refuse`, () => {
    // 15,000 characters: short enough as text, but twice in the card (its text and its fallback).
    const reply = notice('x'.repeat(15_000));
    expect(
      Buffer.byteLength(JSON.stringify(renderCard(noticeCard, reply.card!.data as never, reply.text)), 'utf8'),
    ).toBeGreaterThan(CARD_BYTE_LIMIT);
    const activity = toActivity(reply);
    expect(activity.attachments).toBeUndefined();
    expect(activity).toMatchObject({ type: 'message', textFormat: 'plain', text: reply.text });
  });

  it('sends a card just under the limit as a card', () => {
    const card = renderCard(noticeCard, { tone: 'good', title: 'Recorded', message: '', facts: [] }, 'Recorded\n');
    const room = CARD_BYTE_LIMIT - Buffer.byteLength(JSON.stringify(card), 'utf8');
    // The message goes into the card twice (its text and its fallback), so half the room, less a little.
    const message = 'x'.repeat(Math.floor(room / 2) - 100);
    expect(toActivity(notice(message)).attachments).toHaveLength(1);
  });

  it('answers a card button with the replacing card when it fits, and with its text when it does not', () => {
    const fits = toInvokeResponse(notice('done'));
    expect(fits.body).toMatchObject({ statusCode: 200, type: ADAPTIVE_CARD, value: { type: 'AdaptiveCard' } });
    const tooLarge = toInvokeResponse(notice('x'.repeat(15_000)));
    expect(tooLarge.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect((tooLarge.body as { value: string }).value).toContain('x'.repeat(100));
  });

  it('cuts plain text over 20,000 characters short and says so', () => {
    const activity = toActivity({ text: 'y'.repeat(25_000) });
    expect(activity.text).toBe(`${'y'.repeat(20_000)}\n… (cut short)`);
  });
});

describe('typed text on a card', () => {
  const shownMessage = (message: string) => {
    const card = renderCard(noticeCard, { tone: 'good', title: 'Recorded', message, facts: [] });
    return JSON.stringify(card);
  };

  it('shows a Markdown link typed into commentary as text, never as a link', () => {
    const shown = shownMessage('see [the portal](https://evil.example/login)');
    expect(shown).not.toContain('](https://');
    expect(shown).toContain('[the portal]\u200b(https:\u2215\u2215evil\u2024example/login)');
  });

  it('shows angle brackets as look-alikes, which Teams does not take for markup', () => {
    expect(shownMessage('target <80%> for CEC')).toContain('target ‹80%› for CEC');
  });
});

describe('raw input values on a form', () => {
  const form = (values: Record<string, string>, errors: string[] = []) =>
    JSON.stringify(
      renderCard(kpiFormCard, {
        errors,
        hasErrors: errors.length > 0,
        values,
        unitChoices: [],
        polarityChoices: [],
        frequencyChoices: [],
        councilChoices: [],
      }),
    );

  it('puts what was typed back into the inputs as typed, because the template declares them as inputs', () => {
    expect(form({ name: 'Calls <5 min> [fast](x)' })).toContain('"value":"Calls <5 min> [fast](x)"');
  });

  it('still escapes every other text on the form, such as the problems listed', () => {
    const shown = form({}, ['name <b>bold</b> [x](https://evil.example)']);
    expect(shown).toContain('name ‹b›bold‹/b›');
    expect(shown).not.toContain('](https://');
  });
});
