// While PostgreSQL is out of reach every request fails the same way; logging each one would flood the logs at
// the request rate. One warn line when an outage starts, one info line (with how many requests it cost) when a
// request succeeds again.
import { Logger } from '../../shared/logger';

export class OutageLog {
  private failed = 0;

  constructor(private readonly logger: Logger) {}

  /** A request failed because a dependency is unavailable. */
  unavailable(err: unknown, requestId: string, path: string): void {
    if (this.failed === 0) this.logger.warn({ err, requestId, path }, 'a dependency is unavailable; requests get 503 until it is back');
    this.failed += 1;
  }

  /** A request got through: if an outage was going on, it is over. */
  available(): void {
    if (this.failed === 0) return;
    this.logger.info({ failedRequests: this.failed }, 'the dependency is available again');
    this.failed = 0;
  }
}
