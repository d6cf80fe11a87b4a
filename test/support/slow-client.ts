/**
 * A slow client (slowloris): it connects, then sends its request one byte at a time, to check
 * that a server cuts it off. Bounded in time: it stops at the first sign the server closed the
 * socket, or fails at a deadline.
 */
import { connect } from 'node:net';

export interface SlowClientResult {
  /** Milliseconds from connecting until the server closed the socket. */
  closedAfterMs: number;
  bytesSent: number;
  /** What the server wrote back before closing, if anything. */
  received: string;
}

/**
 * Sends `text` one byte per `byteEveryMs` (an empty `text`: nothing at all) until the server
 * closes the socket. Rejects if it is still open after `deadlineMs`.
 */
export function slowClient(options: {
  port: number;
  text: string;
  byteEveryMs: number;
  deadlineMs: number;
}): Promise<SlowClientResult> {
  const { text, byteEveryMs, deadlineMs } = options;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: options.port });
    const startedAt = Date.now();
    let bytesSent = 0;
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    // A reset from a server that gave up counts as a close too; 'close' follows it.
    socket.on('error', () => {});
    const dripping = setInterval(() => {
      if (bytesSent < text.length && socket.writable) {
        socket.write(text.charAt(bytesSent));
        bytesSent += 1;
      }
    }, byteEveryMs);
    const deadline = setTimeout(() => {
      clearInterval(dripping);
      socket.destroy();
      reject(new Error(`socket still open after ${deadlineMs} ms (${bytesSent} bytes sent)`));
    }, deadlineMs);
    socket.on('close', () => {
      clearInterval(dripping);
      clearTimeout(deadline);
      resolve({ closedAfterMs: Date.now() - startedAt, bytesSent, received });
    });
  });
}
