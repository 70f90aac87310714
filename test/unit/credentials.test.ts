import { afterEach, describe, expect, it } from "vitest";
import { SecretError } from "../../shared/config/errors.js";
import { resolveCredentials } from "../../shared/handlers/credentials.js";

const ids = { merakiSecretId: "semaphore/meraki", kafkaSecretId: "semaphore/kafka" };

/** What Secrets Manager's client rejects with for a secret that does not exist. */
function notFound(): Error {
  const error = new Error("Secrets Manager can't find the specified secret.");
  error.name = "ResourceNotFoundException";
  return error;
}

/** A request as @middy/secrets-manager leaves it: each secret a fetch still running. */
function requestWith(internal: Record<string, Promise<unknown>>) {
  return { internal, context: {}, event: {}, response: undefined, error: undefined } as never;
}

const unhandled: unknown[] = [];
const noteUnhandled = (reason: unknown) => unhandled.push(reason);

afterEach(() => {
  process.off("unhandledRejection", noteUnhandled);
  unhandled.length = 0;
});

describe("the sweeps' credentials", () => {
  it("report a Kafka secret that fails while the Meraki one is still on its way, with nothing left unhandled", async () => {
    process.on("unhandledRejection", noteUnhandled);
    const kafka = Promise.reject(notFound());
    const meraki = new Promise((resolve) => setTimeout(() => resolve("0123456789abcdef"), 50));
    const checkCredentials = resolveCredentials(ids).before!;
    await expect(checkCredentials(requestWith({ merakiApiKey: meraki, kafka }))).rejects.toThrow(
      new SecretError(
        'Secrets Manager secret "semaphore/kafka" was not found: create it (README, "Deploy") or fix the ' +
          "secret name/ARN in the stack config",
        ids.kafkaSecretId,
      ),
    );
    expect(unhandled).toEqual([]);
  });

  it("report the Meraki secret when both fail", async () => {
    const checkCredentials = resolveCredentials(ids).before!;
    await expect(
      checkCredentials(
        requestWith({ merakiApiKey: Promise.reject(notFound()), kafka: Promise.reject(notFound()) }),
      ),
    ).rejects.toThrow('Secrets Manager secret "semaphore/meraki" was not found');
  });
});
