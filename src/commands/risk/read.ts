import { londonDate } from '../../domain/calendar.js';
import { councilLabel } from '../../domain/partnership.js';
import { describeBands, listRisks, RISK_CATEGORIES, type RiskCategory, type RiskFilters } from '../../domain/risk.js';
import type { ApprovalRepository } from '../../storage/approvals.js';
import type { IssueRepository } from '../../storage/issues.js';
import type { ProjectRepository } from '../../storage/projects.js';
import { registerEntry } from '../../storage/risk-rows.js';
import type { RiskRepository, StoredRisk } from '../../storage/risks.js';
import type { Services } from '../services.js';
import { NotFound } from '../errors.js';
import { notice } from '../kit/replies.js';
import { parseArgs } from '../router.js';
import type { BoundContext, CommandRequest, Reply, UserRef } from '../types.js';
import { categoryOf, filterWords, type WordFilters } from './fields.js';
import { detailReply, registerReply } from './views.js';
import { plural } from '../../domain/vocabulary.js';

/** Reading the register: the list (from the summary row), one risk in detail, the next page, the settings. */

export interface RiskKit {
  readonly services: Services;
  readonly risks: RiskRepository;
  readonly issues: IssueRepository;
  /** Approvals that concern a risk (a risk acceptance), shown on `risk show`. */
  readonly approvals: ApprovalRepository;
  /** The portfolio, for the project a risk threatens. */
  readonly projects: ProjectRepository;
}

/** The risk a person names by its id, or NotFound saying how to see the ids there are. */
export async function findRisk(ctx: BoundContext, kit: RiskKit, id: string): Promise<StoredRisk> {
  const stored = await kit.risks.get(ctx.partnership.id, id);
  if (stored) return stored;
  throw new NotFound(
    `There is no risk ${id} in ${ctx.partnership.name}.`,
    [],
    'Type risk list to see every open risk with its id, or risk list all for closed ones too.',
  );
}

export interface ListRequest {
  readonly words: WordFilters;
  readonly council?: string | undefined;
  readonly owner?: Pick<UserRef, 'id' | 'name'> | undefined;
  readonly category?: RiskCategory | undefined;
}

/** The filter words again, for the "Show more" button to send back. */
function wordsOf(words: WordFilters): string {
  return [
    ...words.bands.map((b) => b.toLowerCase()),
    ...(words.overdue ? ['overdue'] : []),
    ...(words.aboveAppetite ? ['above-appetite'] : []),
    ...(words.status && words.status !== 'open' ? [words.status] : []),
  ].join(' ');
}

function scopeOf(request: ListRequest): string {
  const { words } = request;
  return [
    words.bands.join(' or '),
    words.overdue ? 'review overdue' : '',
    words.aboveAppetite ? 'above appetite' : '',
    words.status === 'closed' ? 'closed' : words.status === 'all' ? 'open or closed' : '',
    request.council ? `council ${councilLabel(request.council)}` : '',
    request.owner ? `owner ${request.owner.name}` : '',
    request.category ? `category ${request.category}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

export function riskReading(kit: RiskKit) {
  async function list(ctx: BoundContext, request: ListRequest, offset: number): Promise<Reply> {
    const [entries, { settings }] = await Promise.all([
      kit.risks.list(ctx.partnership.id),
      kit.risks.settings(ctx.partnership.id),
    ]);
    const today = londonDate(ctx.now);
    const all = entries.map((e) => registerEntry(e, settings));
    const { words } = request;
    const filters: RiskFilters = {
      bands: words.bands,
      ...(words.overdue ? { overdue: true } : {}),
      ...(words.aboveAppetite ? { aboveAppetite: true } : {}),
      ...(words.status ? { status: words.status } : {}),
      ...(request.council ? { council: request.council } : {}),
      ...(request.owner ? { ownerId: request.owner.id } : {}),
      ...(request.category ? { category: request.category } : {}),
    };
    const open = listRisks(all, {}, settings, today);
    // `risk list` alone shows the open register: assessed and sorted once, not twice.
    const narrowed =
      words.bands.length === 0 && Object.keys(filters).length === 1 ? open : listRisks(all, filters, settings, today);
    return registerReply(ctx.partnership, open, narrowed, settings, {
      offset,
      now: ctx.now,
      scope: scopeOf(request),
      showHeatMap: words.status !== 'closed',
      page: {
        filters: wordsOf(words),
        council: request.council ?? '',
        ownerId: request.owner?.id ?? '',
        ownerName: request.owner?.name ?? '',
        category: request.category ?? '',
      },
    });
  }

  /** `risk` and `risk list` with their filters; `risk R-3` shows one risk. */
  async function registerCommand(
    ctx: CommandRequest<Omit<ListRequest, 'words'> & { query?: WordFilters | { show: string } }>,
  ): Promise<Reply> {
    const { query, ...rest } = ctx.args;
    if (query && 'show' in query) return show(ctx, query.show);
    return list(ctx, { ...rest, words: query ?? { bands: [] } }, 0);
  }

  async function show(ctx: BoundContext, id: string): Promise<Reply> {
    const [stored, detail, issues, { settings }, approvals, projects] = await Promise.all([
      findRisk(ctx, kit, id),
      kit.risks.detail(ctx.partnership.id, id),
      kit.issues.list(ctx.partnership.id),
      kit.risks.settings(ctx.partnership.id),
      kit.approvals.list(ctx.partnership.id, ctx.now),
      kit.projects.list(ctx.partnership.id),
    ]);
    return detailReply(
      {
        stored,
        history: detail.history,
        controls: detail.controls,
        actions: detail.actions.map((a) => a.action),
        issues: issues.filter((i) => i.linkedRisk === id),
        approvals: approvals.filter((a) => a.concerns === stored.risk.id),
        project: projects.find((p) => p.id === stored.risk.project),
      },
      settings,
      londonDate(ctx.now),
    );
  }

  /** `risk show R-3`. */
  async function showRisk(ctx: CommandRequest<{ id: string }>): Promise<Reply> {
    return show(ctx, ctx.args.id);
  }

  /** The "Show more" button: the next page of the same list. */
  async function page(
    ctx: CommandRequest<{
      offset: number;
      filters: string;
      council: string;
      ownerId: string;
      ownerName: string;
      category: string;
    }>,
  ): Promise<Reply> {
    const { offset, filters, council, ownerId, ownerName, category } = ctx.args;
    const words = parseArgs(filterWords(), ctx, filters, ['risk', 'list']);
    return list(
      ctx,
      {
        words,
        ...(council ? { council } : {}),
        ...(ownerId ? { owner: { id: ownerId, name: ownerName } } : {}),
        ...(category ? { category: categoryOf(category) } : {}),
      },
      offset,
    );
  }

  /** `risk settings`: bands, appetite and review intervals, for anyone to read. */
  async function showSettings(ctx: CommandRequest<Record<string, never>>): Promise<Reply> {
    const { settings } = await kit.risks.settings(ctx.partnership.id);
    const months = (n: number) => `${plural(n, 'month')}`;
    return notice(
      'accent',
      `Risk settings — ${ctx.partnership.name}`,
      'How scores are banded, the highest score accepted in each category, and how often each band is reviewed.',
      {
        facts: [
          { title: 'Bands', value: describeBands(settings.bands) },
          { title: 'Appetite', value: RISK_CATEGORIES.map((c) => `${c} ${settings.appetite[c]}`).join(', ') },
          {
            title: 'Reviews',
            value: `Red every ${months(settings.reviewMonths.Red)}, Amber every ${months(settings.reviewMonths.Amber)}, Green every ${months(settings.reviewMonths.Green)}`,
          },
        ],
        hint: 'An admin changes them with: risk bands amber=5 red=15 · risk appetite cyber=6 financial=12 · risk intervals red=1 amber=3 green=6',
      },
    );
  }

  return { registerCommand, showRisk, page, showSettings };
}
