import type { JsonValue } from '@app/contracts/json';
import { ulid } from 'ulid';

/** Which API calls a rule applies to; every field given must match, an empty match takes any call. */
export interface FaultMatch {
  method?: string;
  /** A route template exactly as listed in the README, e.g. `/v1/orders/{id}/process`. */
  route?: string;
  orderId?: string;
}

export type Fault =
  /** Answer this instead of acting. */
  | { type: 'respond'; status: number; body?: JsonValue; headers?: Record<string, string> }
  /** Wait, then act and answer normally. */
  | { type: 'delay'; ms: number }
  /** Never answer and never act; the socket stays open until the client or the server closes it. */
  | { type: 'hang' }
  /** Destroy the socket without acting. */
  | { type: 'drop' }
  /** Act (and remember the answer for the key), then destroy the socket instead of answering. */
  | { type: 'lose_response' };

export interface FaultRule {
  id: string;
  match: FaultMatch;
  fault: Fault;
  /** How many more matching calls this rule will take; it disappears at zero. */
  remaining: number;
}

/** The call a rule is matched against. */
export interface FaultTarget {
  method: string;
  route: string;
  orderId: string | null;
}

/** Injected faults, consulted in the order they were added. */
export class FaultRules {
  private rules: FaultRule[] = [];

  add(match: FaultMatch, fault: Fault, times: number): FaultRule {
    const rule: FaultRule = { id: ulid(), match, fault, remaining: times };
    this.rules.push(rule);
    return rule;
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  /** Removes every rule; returns how many there were. */
  clear(): number {
    const count = this.rules.length;
    this.rules = [];
    return count;
  }

  /** The fault for this call, if a rule matches; the rule is used up by one. */
  take(target: FaultTarget): Fault | undefined {
    const rule = this.rules.find((candidate) => matches(candidate.match, target));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
    return rule.fault;
  }
}

function matches(match: FaultMatch, target: FaultTarget): boolean {
  return (
    (match.method === undefined || match.method === target.method) &&
    (match.route === undefined || match.route === target.route) &&
    (match.orderId === undefined || match.orderId === target.orderId)
  );
}
