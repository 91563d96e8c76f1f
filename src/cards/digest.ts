import { defineCard } from './define.js';
import type { RagView } from './views.js';

/** The committee digest (and `status`): the partnership's position, one section per family. */
export interface DigestItemData {
  readonly text: string;
  readonly rag?: RagView;
}

export interface DigestSectionData {
  readonly title: string;
  readonly summary: string;
  readonly rag?: RagView;
  readonly items: readonly DigestItemData[];
  /** `and 4 more: type kpi red`, when the section has more items than the card shows. */
  readonly more?: string;
}

export interface DigestCardData {
  readonly title: string;
  readonly subtitle: string;
  /** Runs missed while the service was not running, and sections that could not be read. */
  readonly notes: readonly string[];
  readonly sections: readonly DigestSectionData[];
  readonly footer: string;
}
export const digestCard = defineCard<DigestCardData>('digest');

/** One person's reminder: in their personal chat, or as a mention where the item was posted. */
export interface ReminderCardData {
  readonly partnershipName: string;
  /** The person mentioned, when the reminder is posted in a shared conversation. */
  readonly mention?: { readonly id: string; readonly name: string };
  /** The mention entities Teams needs beside the `<at>` text: the one person, or none. */
  readonly mentions: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly intro: string;
  readonly groups: ReadonlyArray<{ readonly heading: string; readonly items: readonly string[] }>;
  readonly footer: string;
}
export const reminderCard = defineCard<ReminderCardData>('reminder');
