// Faults the fake Data API injects: a share of requests by dice (seeded, so a
// run repeats exactly), or a queue of faults for the next requests.

export interface FaultRates {
  /** Share of requests answered 400 ThrottlingException. */
  throttle?: number;
  /** Share answered 500 InternalServerException. */
  error500?: number;
  /** Share whose connection is dropped after the request was handled (the answer is lost). */
  reset?: number;
  /** Share answered after `slowMs`. */
  slow?: number;
}

export type FaultKind = 'throttle' | 'error500' | 'reset' | 'slow' | 'expired' | 'active-statements';

/** A fault for the next `count` requests (of one operation, when `op` is set). */
export interface QueuedFault {
  kind: FaultKind;
  op?: string;
  count?: number;
}

/** Deterministic dice (mulberry32) so a seeded fault run repeats exactly. */
export function dice(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPicker {
  private readonly queued: QueuedFault[] = [];

  constructor(private readonly roll: () => number) {}

  queue(faults: QueuedFault[]): number {
    this.queued.push(...faults);
    return this.queued.length;
  }

  clear(): void {
    this.queued.length = 0;
  }

  /** The fault for this request of `op`: a queued one first, else one by the dice at `rates`. */
  pick(op: string, rates: FaultRates): FaultKind | undefined {
    const index = this.queued.findIndex((f) => !f.op || f.op === op);
    if (index >= 0) {
      const fault = this.queued[index];
      if ((fault.count ?? 1) <= 1) this.queued.splice(index, 1);
      else fault.count = (fault.count ?? 1) - 1;
      return fault.kind;
    }
    const { throttle = 0, error500 = 0, reset = 0, slow = 0 } = rates;
    const r = this.roll();
    if (r < throttle) return 'throttle';
    if (r < throttle + error500) return 'error500';
    if (r < throttle + error500 + reset) return 'reset';
    if (r < throttle + error500 + reset + slow) return 'slow';
    return undefined;
  }
}
