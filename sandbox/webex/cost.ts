/**
 * Cost-based rate limiting, as the Webex Events SDKs see it (their request specs and retry code): a per-second and a
 * per-day cost budget per token, reported in `X-Secondly-Call-Limit` / `X-Daily-Call-Limit`.
 *
 * Assumed cost model (the real formula is not published): 1 per request plus the page size (`first`,
 * or the default page size) of every `...Connection` field selected, so a 100-attendee page costs 101.
 */
import {
  GraphQLInt,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { SimClock } from '../sim-kit';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface QueryCost {
  cost: number;
  /** The largest page one connection field asks for (0 when there is none). */
  largestPage: number;
}

export function queryCost(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  defaultPageSize: number,
): QueryCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const result: QueryCost = { cost: 1, largestPage: 0 };
  const visit = (selectionSet: SelectionSetNode, seen: Set<string>): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.endsWith('Connection')) {
          const firstArg = selection.arguments?.find((argument) => argument.name.value === 'first');
          const first: unknown = firstArg ? valueFromAST(firstArg.value, GraphQLInt, variables) : undefined;
          const page = typeof first === 'number' ? Math.max(0, first) : defaultPageSize;
          result.cost += page;
          result.largestPage = Math.max(result.largestPage, page);
        }
        if (selection.selectionSet) visit(selection.selectionSet, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          visit(fragment.selectionSet, new Set([...seen, fragment.name.value]));
        }
      }
    }
  };
  visit(operation.selectionSet, new Set());
  return result;
}

export type BudgetDecision =
  | { admitted: true; headers: Record<string, string> }
  | { admitted: false; headers: Record<string, string>; body: MaxCostExceededBody };

export interface MaxCostExceededBody {
  message: string;
  extensions: {
    code: 'MAX_COST_EXCEEDED';
    cost: number;
    availableCost: number;
    threshold: number;
    dailyThreshold: number;
    dailyAvailableCost: number;
  };
}

interface Usage {
  second: number;
  secondUsed: number;
  day: number;
  dayUsed: number;
}

/**
 * Fixed windows on the simulator clock: each whole second, each UTC day. A query is admitted while
 * any budget is left (at least 1) and is then charged in full, so the last query of a window may
 * overdraw it; the next one is refused with `availableCost: 0` (or `dailyAvailableCost: 0`). That
 * matches how the SDKs classify a 429: `dailyAvailableCost < 1` = daily, `availableCost < 1` = per second.
 */
export class CostBudget {
  private readonly usage = new Map<string, Usage>();

  constructor(
    private readonly clock: SimClock,
    readonly secondlyLimit: number,
    readonly dailyLimit: number,
  ) {}

  /** Headers describing the current usage without charging anything. */
  peek(token: string): Record<string, string> {
    return this.headers(this.current(token));
  }

  charge(token: string, cost: number): BudgetDecision {
    const usage = this.current(token);
    const now = this.clock.now();
    const availableCost = Math.max(0, this.secondlyLimit - usage.secondUsed);
    const dailyAvailableCost = Math.max(0, this.dailyLimit - usage.dayUsed);
    const refuse = (message: string, retryHeaders: Record<string, string>): BudgetDecision => ({
      admitted: false,
      headers: { ...this.headers(usage), ...retryHeaders },
      body: {
        message,
        extensions: {
          code: 'MAX_COST_EXCEEDED',
          cost,
          availableCost,
          threshold: this.secondlyLimit,
          dailyThreshold: this.dailyLimit,
          dailyAvailableCost,
        },
      },
    });
    if (dailyAvailableCost < 1) {
      const secondsToMidnight = Math.ceil(((usage.day + 1) * DAY_MS - now) / 1000);
      return refuse('Daily cost limit exceeded. Try again tomorrow (UTC).', {
        'X-Daily-Retry-After': String(Math.max(1, secondsToMidnight)),
      });
    }
    if (availableCost < 1) {
      const msToNextSecond = (usage.second + 1) * 1000 - now;
      return refuse('Max cost exceeded for this second. Retry after X-Secondly-Retry-After milliseconds.', {
        'X-Secondly-Retry-After': String(Math.max(1, msToNextSecond)),
      });
    }
    usage.secondUsed += cost;
    usage.dayUsed += cost;
    return { admitted: true, headers: this.headers(usage) };
  }

  private current(token: string): Usage {
    const now = this.clock.now();
    const second = Math.floor(now / 1000);
    const day = Math.floor(now / DAY_MS);
    let usage = this.usage.get(token);
    if (!usage) {
      usage = { second, secondUsed: 0, day, dayUsed: 0 };
      this.usage.set(token, usage);
    }
    if (usage.second !== second) {
      usage.second = second;
      usage.secondUsed = 0;
    }
    if (usage.day !== day) {
      usage.day = day;
      usage.dayUsed = 0;
    }
    return usage;
  }

  private headers(usage: Usage): Record<string, string> {
    return {
      'X-Secondly-Call-Limit': `${usage.secondUsed}/${this.secondlyLimit}`,
      'X-Daily-Call-Limit': `${usage.dayUsed}/${this.dailyLimit}`,
    };
  }
}
