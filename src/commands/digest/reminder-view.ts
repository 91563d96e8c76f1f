import { clipped } from '../../cards/views.js';
import { reminderCard, type ReminderCardData } from '../../cards/digest.js';
import { cardReply, type Reply, type ReminderItem } from '../types.js';
import { whenShort } from './views.js';

/** One person's reminder: everything they owe, grouped, in one message. */

const HEADINGS: Readonly<Record<ReminderItem['kind'], string>> = {
  approval: 'Decisions due within a day',
  review: 'Risk reviews overdue',
  figure: 'KPI figures to record',
};

function itemText(item: ReminderItem): string {
  const text = clipped(item.text, 300);
  return item.kind === 'approval' && item.due ? `${text} (due ${whenShort(item.due)})` : text;
}

export function reminderReply(
  partnershipName: string,
  person: { id: string; name: string },
  items: readonly ReminderItem[],
  where: 'personal' | 'mention',
): Reply {
  const groups = (Object.keys(HEADINGS) as Array<ReminderItem['kind']>)
    .map((kind) => ({ heading: HEADINGS[kind], items: items.filter((i) => i.kind === kind).map(itemText) }))
    .filter((g) => g.items.length > 0);
  const mention = where === 'mention' ? { id: person.id, name: person.name } : undefined;
  const data: ReminderCardData = {
    partnershipName,
    ...(mention ? { mention } : {}),
    mentions: mention ? [mention] : [],
    intro:
      where === 'personal'
        ? `${person.name}, here is what you owe ${partnershipName}.`
        : `This needs your decision within a day.`,
    groups,
    footer:
      where === 'personal'
        ? 'Type reminders off to stop these reminders.'
        : 'Say reminders on in your personal chat with me to have reminders there instead.',
  };
  const text = [
    mention ? `${person.name}, a reminder from ${partnershipName}` : `A reminder from ${partnershipName}`,
    data.intro,
    ...groups.flatMap((g) => [g.heading, ...g.items.map((i) => `• ${i}`)]),
    data.footer,
  ].join('\n');
  return cardReply(reminderCard, data, text);
}
