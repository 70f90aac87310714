/** Picking free TCP ports on the loopback interface for the broker's listeners. */
import { createServer } from "node:net";

/**
 * A port that was free a moment ago: another process may take it before the broker binds it (the
 * broker start then fails with a PortInUseError and is tried again).
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.once("error", rej);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? res(port) : rej(new Error("could not pick a free loopback port"))));
    });
  });
}
