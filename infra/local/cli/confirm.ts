import { createInterface } from "node:readline/promises";
import { NotConfirmedError } from "./errors.js";

/**
 * Asks on the terminal, and only there: without a terminal to ask on, a destructive command needs
 * `--yes`.
 */
export async function confirmOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new NotConfirmedError(
      `${question.replace(/\?$/, "")}: not confirmed (no terminal to ask on); pass --yes`,
    );
  }
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await terminal.question(`${question} Type "yes" to confirm: `)).trim() === "yes";
  } finally {
    terminal.close();
  }
}
