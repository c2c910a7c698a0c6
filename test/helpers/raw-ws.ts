import { randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * A minimal websocket client over a raw TCP socket, so a test can stop
 * reading for real (the `ws` client resumes its socket by itself). It speaks
 * just enough RFC 6455: handshake, masked text frames out, frames in.
 */
export interface RawWebSocket {
  sendText(text: string): void;
  /** Stop reading from the socket: the server's sends back up. */
  pause(): void;
  resume(): void;
  /** Text messages received so far. */
  messages: string[];
  /** Resolves with the close code the server sent. */
  closed: Promise<number>;
  destroy(): void;
}

export async function connectRawWebSocket(url: string, protocol: string): Promise<RawWebSocket> {
  const { hostname, port, pathname } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
  );
  let buffer = Buffer.alloc(0);
  let upgraded = false;
  const messages: string[] = [];
  let resolveClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (resolveClosed = resolve));
  const parse = () => {
    if (!upgraded) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      if (!buffer.subarray(0, end).toString().startsWith('HTTP/1.1 101')) throw new Error(`upgrade refused: ${buffer.subarray(0, end)}`);
      buffer = buffer.subarray(end + 4);
      upgraded = true;
    }
    for (;;) {
      if (buffer.length < 2) return;
      const opcode = buffer[0]! & 0x0f;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (buffer.length < offset + length) return;
      const payload = buffer.subarray(offset, offset + length);
      buffer = buffer.subarray(offset + length);
      if (opcode === 1) messages.push(payload.toString('utf8'));
      if (opcode === 8) resolveClosed(payload.length >= 2 ? payload.readUInt16BE(0) : 1005);
    }
  };
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    parse();
  });
  socket.on('close', () => resolveClosed(1006));
  await new Promise<void>((resolve) => {
    const check = () => (upgraded ? resolve() : setTimeout(check, 5));
    check();
  });
  return {
    sendText(text) {
      const payload = Buffer.from(text);
      const mask = randomBytes(4);
      const header =
        payload.length < 126
          ? Buffer.from([0x81, 0x80 | payload.length])
          : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
      const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
      socket.write(Buffer.concat([header, mask, masked]));
    },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    messages,
    closed,
    destroy: () => socket.destroy(),
  };
}
