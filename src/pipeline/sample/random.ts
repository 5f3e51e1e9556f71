// Seeded pseudo-random numbers: the same seed gives the same sequence on every
// machine and Node version, which Math.random() cannot promise. sfc32 is small,
// fast and passes PractRand; splitmix32 spreads a small seed over its state.

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `streams` name independent sequences from one seed (e.g. seed, day, part). */
  constructor(seed: number, ...streams: number[]) {
    let mixed = seed >>> 0;
    for (const stream of streams) mixed = (splitmix32(mixed ^ Math.imul(stream + 1, 0x27d4eb2d))() ^ stream) >>> 0;
    const next = splitmix32(mixed);
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform whole number in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Index in [0, n) skewed towards 0: a cheap stand-in for popularity (Zipf-like). */
  skewed(n: number, power: number): number {
    return Math.floor(n * this.next() ** power);
  }

  /** Index into `cumulative` (running sums of weights) chosen by weight. */
  weighted(cumulative: readonly number[]): number {
    const target = this.next() * (cumulative[cumulative.length - 1]);
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cumulative[mid]) > target) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

export function cumulativeWeights(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}
