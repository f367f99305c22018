/**
 * Answers on a raw socket, where there is no ServerResponse: a refused WebSocket upgrade, or a
 * request Node's parser rejected. Like ws's abortHandshake, it ends the socket and destroys it
 * once the answer is written, so a client that never closes its side holds nothing open.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

export function answerOnSocket(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${text}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
