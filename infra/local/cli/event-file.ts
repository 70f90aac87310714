import { readFileSync } from "node:fs";
import { InputFileError } from "./errors.js";

/** The JSON of an event file (`-` reads stdin); the error says which file and why. */
export function readEventFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    throw new InputFileError(path, `cannot read the event file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputFileError(
      path,
      `the event file ${path} is not JSON: ${(error as Error).message} (samples: test/events/)`,
      { cause: error },
    );
  }
}
