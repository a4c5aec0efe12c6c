// Bounds on what the server holds at once (issue 8, finding 19). 20,000 calls at once used to be
// queued without limit (p99 102 s, 2.5 GB). Two checks, each answered at once with RESOURCE_EXHAUSTED
// and a message naming the flag; Crossplane then retries on a later reconcile:
//   - calls: counted from the moment a call's headers arrive (server.ts's interceptor) until its
//     status is sent, so a refused call's request body is never read;
//   - bytes: once the request is read, the sum of the sizes of the requests held. A request of any size
//     the transport accepts (--max-recv-message-size) is admitted when no other request holds bytes,
//     so a large cluster's request is never refused because of its size alone.

export interface Bounds {
  maxConcurrentCalls: number;
  maxInflightBytes: number;
}

export type Admit = { ok: true; release: () => void } | { ok: false; reason: string };

const mib = (n: number) => `${(n / 2 ** 20).toFixed(n >= 10 * 2 ** 20 ? 0 : 1)} MiB`;

export class Admission {
  private calls = 0;
  private bytes = 0;
  constructor(private readonly bounds: Bounds) {}

  get inFlight(): { calls: number; bytes: number } {
    return { calls: this.calls, bytes: this.bytes };
  }

  /** A new call, before its request is read. */
  admitCall(): Admit {
    if (this.calls >= this.bounds.maxConcurrentCalls) {
      return { ok: false, reason: `function-security-policy is busy: ${this.calls} calls in flight, the most it takes at once (--max-concurrent-calls ${this.bounds.maxConcurrentCalls}); retry later` };
    }
    this.calls++;
    return { ok: true, release: once(() => this.calls--) };
  }

  /** A call's request, once read. */
  admitBytes(requestBytes: number): Admit {
    if (this.bytes > 0 && this.bytes + requestBytes > this.bounds.maxInflightBytes) {
      return { ok: false, reason: `function-security-policy is busy: this ${mib(requestBytes)} request and the ${mib(this.bytes)} held by other calls exceed --max-inflight-bytes ${mib(this.bounds.maxInflightBytes)}; retry later` };
    }
    this.bytes += requestBytes;
    return { ok: true, release: once(() => (this.bytes -= requestBytes)) };
  }
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    f();
  };
}
