// A growable byte buffer the event lines are assembled in. Copying pre-encoded
// pieces with Uint8Array#set is about 15× faster than building millions of
// strings and joining them, which is what limits a generator like this one.

export function latin1(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

export class ByteArena {
  bytes: Buffer;
  length = 0;

  constructor(initialSize: number) {
    this.bytes = Buffer.allocUnsafe(Math.max(1024, initialSize));
  }

  /** Makes room for `size` more bytes; `put` and `putInt` do not check. */
  reserve(size: number): void {
    if (this.length + size <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + size));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  put(piece: Uint8Array): void {
    this.bytes.set(piece, this.length);
    this.length += piece.length;
  }

  /** A non-negative whole number in decimal. */
  putInt(value: number): void {
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let at = this.length + digits;
    this.length = at;
    let rest = value;
    do {
      this.bytes[--at] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }
}
