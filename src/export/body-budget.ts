// A server-wide bound on request-body bytes held in memory. Each body's first `allowance` bytes are free, so
// single-row requests never wait; a larger body is admitted only when the rest of its declared length (the whole
// limit when chunked) fits in the budget, and waits its turn otherwise, unread, so TCP flow control holds its
// client back. Admission is all at once and first come, first served: a body once admitted never waits again,
// so two half-read bodies can never wait for each other.

interface Waiter {
  bytes: number;
  admit: () => void;
}

/** Charged body bytes (past each body's allowance) across all connections. */
export class BodyBudget {
  private used = 0;
  private queue: Waiter[] = [];

  constructor(
    /** Most charged bytes admitted at once. */
    readonly limit: number,
    /** Bytes of each body that are not charged. */
    readonly allowance: number,
  ) {}

  /** Charged bytes now admitted. */
  get held(): number {
    return this.used;
  }

  /**
   * Waits until `bytes` fit (at once when nothing waits ahead and they fit); `cancel` leaves the queue, for a
   * client that goes away while waiting. A request larger than the whole budget is admitted when it is alone.
   */
  acquire(bytes: number): { admitted: Promise<void>; cancel: () => void } {
    if (bytes <= 0) return { admitted: Promise.resolve(), cancel: () => undefined };
    if (this.queue.length === 0 && this.fits(bytes)) {
      this.used += bytes;
      return { admitted: Promise.resolve(), cancel: () => undefined };
    }
    let waiter: Waiter | undefined;
    const admitted = new Promise<void>((resolve) => {
      waiter = { bytes, admit: resolve };
      this.queue.push(waiter);
    });
    return {
      admitted,
      cancel: () => {
        const at = this.queue.indexOf(waiter as Waiter);
        if (at >= 0) this.queue.splice(at, 1);
        this.admitWaiting();
      },
    };
  }

  /** Returns admitted bytes and admits whoever waits next, in order, while they fit. */
  release(bytes: number): void {
    this.used -= bytes;
    this.admitWaiting();
  }

  private fits(bytes: number): boolean {
    return this.used + bytes <= this.limit || this.used === 0;
  }

  private admitWaiting(): void {
    while (this.queue.length > 0 && this.fits(this.queue[0].bytes)) {
      const next = this.queue.shift() as Waiter;
      this.used += next.bytes;
      next.admit();
    }
  }
}
