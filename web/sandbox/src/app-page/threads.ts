import type { Message } from '../api/client.ts';

export interface Thread {
  parent: Message;
  replies: Message[];
}

/**
 * Top-level messages in order, each with its replies (threadTs ≠ ts). A reply whose parent is
 * not in the DM (never posted there, or deleted) is shown on its own rather than lost.
 */
export function groupThreads(dm: readonly Message[]): Thread[] {
  const threads: Thread[] = [];
  const byParent = new Map<string, Thread>();
  for (const message of dm) {
    const parentTs = message.threadTs !== message.ts ? message.threadTs : undefined;
    const thread = parentTs ? byParent.get(parentTs) : undefined;
    if (thread) {
      thread.replies.push(message);
      continue;
    }
    const own: Thread = { parent: message, replies: [] };
    threads.push(own);
    byParent.set(message.ts, own);
  }
  return threads;
}
