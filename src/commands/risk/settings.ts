import {
  describeBands,
  reviewMonthsProblem,
  riskBandsProblem,
  RISK_CATEGORIES,
  type RiskCategory,
  type RiskSettings,
} from '../../domain/risk.js';
import { retryOnConflict } from '../../storage/errors.js';
import { auditOf } from '../audit-trail.js';
import { UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { done } from '../kit/replies.js';
import type { CommandRequest, Reply } from '../types.js';
import type { RiskKit } from './read.js';

/** The partnership's own bands, appetite per category and review intervals (admin). */

export function riskSettings(kit: RiskKit) {
  /** Reads the settings, applies `change` (which may refuse with a UsageError), and saves under the ETag read. */
  async function save(
    ctx: CommandRequest<unknown>,
    what: string,
    change: (settings: RiskSettings) => RiskSettings,
  ): Promise<RiskSettings> {
    return conflictAs(
      retryOnConflict(
        async () => {
          const { settings, etag } = await kit.risks.settings(ctx.partnership.id);
          const next = change(settings);
          await kit.risks.saveSettings(ctx.partnership.id, etag, next, auditOf(ctx, what, settings, next));
          return next;
        },
        { deadline: ctx.deadline },
      ),
    );
  }

  async function setBands(ctx: CommandRequest<{ amber?: number; red?: number }>): Promise<Reply> {
    const { amber, red } = ctx.args;
    const words = ['risk', 'bands'];
    if (amber === undefined && red === undefined) {
      throw new UsageError(
        'Give the lowest Amber score, the lowest Red one, or both: e.g. risk bands amber=5 red=15',
        words,
      );
    }
    const next = await save(ctx, 'risk bands', (settings) => {
      const bands = { amber: amber ?? settings.bands.amber, red: red ?? settings.bands.red };
      const problem = riskBandsProblem(bands);
      if (problem) throw new UsageError(`${problem}: e.g. risk bands amber=5 red=15`, words);
      return { ...settings, bands };
    });
    return done('Risk bands set', describeBands(next.bands), {
      hint: 'Every risk is banded by these from now on; review dates follow the new bands.',
    });
  }

  async function setAppetite(ctx: CommandRequest<Partial<Record<RiskCategory, number>>>): Promise<Reply> {
    const given = Object.fromEntries(Object.entries(ctx.args).filter(([, v]) => v !== undefined));
    const next = await save(ctx, 'risk appetite', (settings) => ({
      ...settings,
      appetite: { ...settings.appetite, ...given },
    }));
    return done('Risk appetite set', RISK_CATEGORIES.map((c) => `${c} ${next.appetite[c]}`).join(', '), {
      hint: 'A risk whose current score is above its category’s appetite is flagged on every card.',
    });
  }

  async function setIntervals(ctx: CommandRequest<{ red?: number; amber?: number; green?: number }>): Promise<Reply> {
    const { red, amber, green } = ctx.args;
    const words = ['risk', 'intervals'];
    if (red === undefined && amber === undefined && green === undefined) {
      throw new UsageError(
        'Give the months between reviews for a band: e.g. risk intervals red=1 amber=3 green=6',
        words,
      );
    }
    const next = await save(ctx, 'risk review intervals', (settings) => {
      const months = {
        Red: red ?? settings.reviewMonths.Red,
        Amber: amber ?? settings.reviewMonths.Amber,
        Green: green ?? settings.reviewMonths.Green,
      };
      const problem = reviewMonthsProblem(months);
      if (problem) throw new UsageError(`${problem}: e.g. risk intervals red=1 amber=3 green=6`, words);
      return { ...settings, reviewMonths: months };
    });
    const m = next.reviewMonths;
    return done('Review intervals set', `Red every ${m.Red}, Amber every ${m.Amber}, Green every ${m.Green} months.`, {
      hint: 'Each risk’s next review is worked out from its last review with these.',
    });
  }

  return { setBands, setAppetite, setIntervals };
}
