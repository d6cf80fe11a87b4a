/**
 * The loop the bot's background syncs share (./user-group-sync.ts, ./status-sweep.ts): every
 * `intervalMs` it asks the API which workspaces are due, and works through them one at a time.
 * The first poll comes after one interval too: a replica starting up has enough to do.
 */
import { ErrorCode, type WebAPIPlatformError } from '@slack/web-api';

export interface WorkspacePollOptions {
  intervalMs: number;
  /** The workspaces (Slack team ids) due now, as the API hands them out. */
  due: () => Promise<string[]>;
  /** The work for one; its own failures are its to log. */
  each: (teamId: string) => Promise<void>;
  /** Asking the API failed: it is asked again at the next poll. */
  onError: (error: unknown) => void;
}

export interface WorkspacePoll {
  /** True once stop was called: long work checks it between steps. */
  readonly stopped: boolean;
  /** No more polls; resolves when the one under way has finished. */
  stop(): Promise<void>;
}

export function pollDueWorkspaces(options: WorkspacePollOptions): WorkspacePoll {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;

  async function poll(): Promise<void> {
    try {
      for (const teamId of await options.due()) {
        if (stopped) break;
        await options.each(teamId);
      }
    } catch (error) {
      options.onError(error);
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      polling = poll().finally(() => {
        polling = undefined;
        schedule();
      });
    }, options.intervalMs);
    timer.unref();
  }

  schedule();
  return {
    get stopped() {
      return stopped;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await polling;
    },
  };
}

/** Slack's error code when Slack refused the call (`ok: false`), else undefined. */
export const platformCode = (error: unknown) =>
  (error as { code?: string }).code === ErrorCode.PlatformError
    ? String((error as WebAPIPlatformError).data.error)
    : undefined;
