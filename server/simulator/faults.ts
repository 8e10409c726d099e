import { KLING_CODE, type KlingCode } from '../../contract/schemas/kling-task.ts';
import { defaultMessage, isKlingCode } from './errors.ts';

/**
 * Fault injection, so clients can be tested against Kling's bad days. One vocabulary everywhere:
 *
 * | word          | effect                                                                          |
 * | ------------- | ------------------------------------------------------------------------------- |
 * | `fail`        | create succeeds; the task later ends `failed` with a risk-control message        |
 * | `1301`        | 400 {code:1301} content-policy rejection at create                                |
 * | `1302`/`1303` | 429 rate limit / concurrency limit                                                |
 * | `5000`        | 500 internal error (any code of KLING_CODES works: 1102, 5001, 5002…)            |
 * | `slow=<ms>`   | answer after a delay, then normally                                              |
 * | `hang`        | never answer (until the client gives up or the simulator closes); nothing is done |
 * | `malformed`   | HTTP 200 with a truncated JSON body; on a create the task *is* created (the answer |
 * |               | was lost on the way back), so clients can test recovery via external_task_id     |
 *
 * Per request: a prompt marker `[sim:<word>]` (creates only; several may be given) or the header
 * `X-Sim-Fault: <word>[, <word>…]` (creates and queries). By configuration: `faults` option,
 * `SIM_FAULT` or `POST /__sim/faults`, with a separate rule for creates and for queries.
 */
export type Fault =
  | { kind: 'error'; code: KlingCode }
  | { kind: 'fail'; message: string }
  | { kind: 'slow'; ms: number }
  | { kind: 'hang' }
  | { kind: 'malformed' };

export const RISK_CONTROL_MESSAGE = 'Failure to pass the risk control system';

export function parseFaultWord(word: string): Fault | undefined {
  const w = word.trim().toLowerCase();
  if (w === 'fail' || w === 'failed') return { kind: 'fail', message: RISK_CONTROL_MESSAGE };
  if (w === 'hang' || w === 'timeout') return { kind: 'hang' };
  if (w === 'malformed') return { kind: 'malformed' };
  const slow = /^slow(?:=(\d+))?$/.exec(w);
  if (slow) return { kind: 'slow', ms: slow[1] ? Number(slow[1]) : 3000 };
  if (/^\d+$/.test(w)) {
    const n = Number(w);
    if (n !== KLING_CODE.ok && isKlingCode(n)) return { kind: 'error', code: n };
  }
  return undefined;
}

export function parseFaultList(value: string | undefined): Fault[] {
  if (!value) return [];
  return value
    .split(/[,\s]+/)
    .map(parseFaultWord)
    .filter((f): f is Fault => f !== undefined);
}

export function faultsFromPrompt(prompt: unknown): Fault[] {
  if (typeof prompt !== 'string') return [];
  return [...prompt.matchAll(/\[sim:([^\]]+)\]/gi)].flatMap((m) => parseFaultList(m[1]));
}

/** A fault rule as configured: a vocabulary word (or list), or an object; `count` omitted = forever. */
export type FaultRuleInput =
  | string
  | {
      fault?: string;
      code?: number;
      slowMs?: number;
      /** Overrides the `fail` message. */
      message?: string;
      count?: number;
    };

export interface FaultConfig {
  creates?: FaultRuleInput | null;
  queries?: FaultRuleInput | null;
}

interface FaultRule {
  faults: Fault[];
  /** Infinity when no count was given. */
  remaining: number;
}

export function compileRule(input: FaultRuleInput): FaultRule {
  if (typeof input === 'string')
    return { faults: parseFaultList(input), remaining: Number.POSITIVE_INFINITY };
  const faults = parseFaultList(input.fault);
  if (input.code !== undefined) {
    if (!isKlingCode(input.code) || input.code === KLING_CODE.ok)
      throw new Error(`unknown Kling code ${input.code}`);
    faults.push({ kind: 'error', code: input.code });
  }
  if (input.slowMs !== undefined) faults.push({ kind: 'slow', ms: input.slowMs });
  if (input.message !== undefined) for (const f of faults) if (f.kind === 'fail') f.message = input.message;
  if (faults.length === 0) throw new Error('a fault rule needs a fault word, a code or slowMs');
  return { faults, remaining: input.count ?? Number.POSITIVE_INFINITY };
}

/** `SIM_FAULT`: `"1303"` (creates), or `"creates:1303,queries:5000"`, or `"queries:slow=2000"`. */
export function parseFaultEnv(value: string | undefined): FaultConfig {
  const out: FaultConfig = {};
  if (!value?.trim()) return out;
  for (const part of value.split(/[,;]\s*/)) {
    const m = /^(creates|queries):(.+)$/i.exec(part.trim());
    const target = m ? (m[1]!.toLowerCase() as 'creates' | 'queries') : 'creates';
    const word = m ? m[2]! : part.trim();
    if (!parseFaultWord(word)) throw new Error(`SIM_FAULT: unknown fault "${word}"`);
    const prev = out[target];
    out[target] = typeof prev === 'string' ? `${prev},${word}` : word;
  }
  return out;
}

/** A rule as `GET /__sim/faults` shows it; `remaining: null` = forever. */
export interface FaultRuleView {
  faults: Fault[];
  remaining: number | null;
}

/** The configured rules, consumed one request at a time. */
export class FaultBook {
  private creates: FaultRule | undefined;
  private queries: FaultRule | undefined;

  constructor(config: FaultConfig = {}) {
    this.set(config);
  }

  /** Replaces the rules named in `config`; `null` clears one, an absent key leaves it as is. */
  set(config: FaultConfig): void {
    if (config.creates !== undefined)
      this.creates = config.creates === null ? undefined : compileRule(config.creates);
    if (config.queries !== undefined)
      this.queries = config.queries === null ? undefined : compileRule(config.queries);
  }

  clear(): void {
    this.creates = undefined;
    this.queries = undefined;
  }

  describe(): { creates: FaultRuleView | null; queries: FaultRuleView | null } {
    const d = (r: FaultRule | undefined): FaultRuleView | null =>
      r ? { faults: r.faults, remaining: Number.isFinite(r.remaining) ? r.remaining : null } : null;
    return { creates: d(this.creates), queries: d(this.queries) };
  }

  take(kind: 'creates' | 'queries'): Fault[] {
    const rule = this[kind];
    if (!rule || rule.remaining <= 0) return [];
    rule.remaining--;
    if (rule.remaining <= 0) this[kind] = undefined;
    return rule.faults;
  }
}

/** Several faults together: delays add up, the first outcome wins. */
export interface FaultPlan {
  delayMs: number;
  outcome: Exclude<Fault, { kind: 'slow' }> | undefined;
}

export function planFaults(faults: readonly Fault[]): FaultPlan {
  let delayMs = 0;
  let outcome: FaultPlan['outcome'];
  for (const f of faults) {
    if (f.kind === 'slow') delayMs += f.ms;
    else outcome ??= f;
  }
  return { delayMs, outcome };
}

export function describeFault(f: Fault): string {
  switch (f.kind) {
    case 'error':
      return `${f.code} (${defaultMessage(f.code)})`;
    case 'slow':
      return `slow=${f.ms}`;
    default:
      return f.kind;
  }
}
