// The change feed's proof that it still hears (issue 25): a LISTEN that returned proves nothing later. A
// connection can die without a reset (a NAT's or load balancer's idle timeout, a failover), and PgBouncer in
// transaction mode accepts LISTEN and never delivers. So every BEAT_MS the feed NOTIFYs its own channel from a
// second connection, as the projector does, and counts itself live only while it heard one of its own beats sent
// less than SILENT_MS ago. PostgreSQL delivers notifications in commit order, so hearing a beat also proves every
// batch committed before it was sent has been heard.
import { randomBytes } from 'node:crypto';

export const BEAT_MS = 500;
export const SILENT_MS = 2_000;
const PREFIX = 'beat:';

/** Whether a payload is anyone's beat (another API machine's beats reach this one too, and are not notices). */
export const isBeat = (payload: string): boolean => payload.startsWith(PREFIX);

export class Heartbeat {
  /** This feed's own beats: another process's prove nothing about this one's connections. */
  private readonly nonce = `${PREFIX}${randomBytes(6).toString('hex')}:`;
  private seq = 0;
  /** When each beat not yet heard was sent (bounded: older ones are dropped once a later one is heard). */
  private readonly sentAt = new Map<number, number>();
  private heardSentAt = -Infinity;
  private sending = false;

  /** `send` NOTIFYs the payload on the channel the feed listens to, from another connection. */
  constructor(private readonly send: (payload: string) => Promise<void>, private readonly now: () => number = Date.now) {}

  /** Sends the next beat, unless the last one has not even been sent yet (its connection is stuck). */
  beat(onError: (err: unknown) => void): void {
    if (this.sending) return;
    const seq = ++this.seq;
    this.sentAt.set(seq, this.now());
    this.sending = true;
    this.send(`${this.nonce}${seq}`)
      .catch(onError)
      .finally(() => {
        this.sending = false;
      });
  }

  /** A beat heard on the channel; true when it was this feed's own. */
  hear(payload: string): boolean {
    if (!payload.startsWith(this.nonce)) return false;
    const seq = Number(payload.slice(this.nonce.length));
    const sent = this.sentAt.get(seq);
    if (sent === undefined) return false;
    this.heardSentAt = Math.max(this.heardSentAt, sent);
    for (const s of this.sentAt.keys()) if (s <= seq) this.sentAt.delete(s);
    return true;
  }

  /** Whether a beat sent less than SILENT_MS ago has been heard. */
  get fresh(): boolean {
    return this.now() - this.heardSentAt < SILENT_MS;
  }

  /** Forgets every beat: a new connection must prove itself with beats of its own. */
  reset(): void {
    this.sentAt.clear();
    this.heardSentAt = -Infinity;
  }
}
