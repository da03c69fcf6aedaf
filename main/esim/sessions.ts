import * as z from 'zod';
import type { AreaFile } from '../store/areaFile';

export const DownloadSession = z.strictObject({ transactionId: z.string().min(1).max(128), smdpAddress: z.string().min(1).max(253), startedAt: z.string() });
export type DownloadSession = z.infer<typeof DownloadSession>;
export const SessionsFile = z.strictObject({ sessions: z.array(DownloadSession).max(64) });
export type SessionsFile = z.infer<typeof SessionsFile>;

/**
 * The LPA's open download sessions, by transaction id, written before the eUICC is asked anything
 * for them and removed once the session is finished or cancelled on both sides. One left here
 * after a restart was cut off (power, crash): it is cancelled at the SM-DP+ before anything else.
 */
export class DownloadSessions {
  private file: SessionsFile = { sessions: [] };

  constructor(private readonly area: AreaFile<SessionsFile> | null = null) {}

  load(file: SessionsFile): void {
    this.file = file;
  }

  list(): DownloadSession[] {
    return this.file.sessions;
  }

  async open(session: Omit<DownloadSession, 'startedAt'>): Promise<void> {
    await this.write([...this.file.sessions.filter((s) => s.transactionId !== session.transactionId), { ...session, startedAt: new Date().toISOString() }]);
  }

  async close(transactionId: string): Promise<void> {
    if (!this.file.sessions.some((s) => s.transactionId === transactionId)) return;
    await this.write(this.file.sessions.filter((s) => s.transactionId !== transactionId));
  }

  private async write(sessions: DownloadSession[]): Promise<void> {
    this.file = { sessions };
    await this.area?.save(this.file);
  }
}
