import { statusOf } from './errors.js';
import { escapeKey } from './keys.js';
import { getOrUndefined } from './rows.js';
import type { Tables } from './tables.js';

/**
 * Who gets reminders and where, in the `schedule` table:
 *   people|<tenant>    <user id>                            the person's personal chat with the bot, reminders on/off
 *   reminded|<pid>     week|<person>|<ISO week>             a weekly reminder sent (or being sent)
 *                      approval|<person>|<approval>|<due>   the reminder of one approval sent
 * A reminder is claimed by inserting its row before it is sent, so it goes once whichever
 * instance sends it; a send that fails gives the claim back for the next run.
 */
export interface PersonSettings {
  readonly userId: string;
  readonly name: string;
  /** The person's 1:1 chat with the bot, when the bot has seen one. */
  readonly personalChatId: string | undefined;
  readonly reminders: 'on' | 'off';
  readonly updatedAt: string;
}

type PersonEntity = {
  partitionKey: string;
  rowKey: string;
  name: string;
  personalChatId: string;
  reminders: string;
  updatedAt: string;
};

const peoplePartition = (tenantId: string) => `people|${escapeKey(tenantId)}`;
const remindedPartition = (partnershipId: string) => `reminded|${escapeKey(partnershipId)}`;

export class ReminderStore {
  constructor(private readonly tables: Tables) {}

  async person(tenantId: string, userId: string): Promise<PersonSettings | undefined> {
    const e = await getOrUndefined<PersonEntity>(this.tables.schedule, peoplePartition(tenantId), escapeKey(userId));
    return (
      e && {
        userId,
        name: e.name,
        personalChatId: e.personalChatId || undefined,
        reminders: e.reminders === 'off' ? 'off' : 'on',
        updatedAt: e.updatedAt,
      }
    );
  }

  /** Remembers the person's personal chat with the bot (found when they write to it, or when it is installed). */
  async rememberPersonalChat(
    tenantId: string,
    person: { id: string; name: string },
    conversationId: string,
    at: Date,
  ): Promise<void> {
    await this.tables.schedule.upsertEntity<Omit<PersonEntity, 'reminders'>>(
      {
        partitionKey: peoplePartition(tenantId),
        rowKey: escapeKey(person.id),
        name: person.name,
        personalChatId: conversationId,
        updatedAt: at.toISOString(),
      },
      'Merge',
    );
  }

  /** `reminders on` / `reminders off`, said in the person's personal chat (which is remembered too). */
  async setReminders(
    tenantId: string,
    person: { id: string; name: string },
    personalChatId: string,
    reminders: 'on' | 'off',
    at: Date,
  ): Promise<void> {
    await this.tables.schedule.upsertEntity<PersonEntity>(
      {
        partitionKey: peoplePartition(tenantId),
        rowKey: escapeKey(person.id),
        name: person.name,
        personalChatId,
        reminders,
        updatedAt: at.toISOString(),
      },
      'Merge',
    );
  }

  /** Claims a reminder for sending; false when it was sent (or is being sent) already. */
  async claimReminder(partnershipId: string, key: string, at: Date): Promise<boolean> {
    try {
      await this.tables.schedule.createEntity({
        partitionKey: remindedPartition(partnershipId),
        rowKey: escapeKey(key),
        at: at.toISOString(),
      });
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  }

  /** Gives a claim back after a send that failed, so the next run tries again. */
  async releaseReminder(partnershipId: string, key: string): Promise<void> {
    try {
      await this.tables.schedule.deleteEntity(remindedPartition(partnershipId), escapeKey(key));
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
}
