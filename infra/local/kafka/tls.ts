/**
 * TLS material for the local broker: a throwaway CA and a server certificate signed by it, made
 * with openssl, laid out as Kafka's PEM keystore and truststore want them.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface TlsFiles {
  caFile: string;
  /** Private key (PKCS#8, unencrypted) followed by the server certificate and the CA: a Kafka PEM keystore. */
  keystoreFile: string;
}

/** A throwaway CA and a server certificate for 127.0.0.1 / localhost signed by it (EC P-256, 30 days). */
export async function generateTls(dir: string): Promise<TlsFiles> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const f = (name: string): string => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const openssl = async (args: string[]): Promise<void> => {
    try {
      await execFileAsync("openssl", args, { cwd: dir });
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === "ENOENT") throw new Error("openssl not found on PATH (Debian: apt-get install openssl)");
      throw new Error(`openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
    }
  };
  await openssl([
    "req",
    "-x509",
    ...ec,
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.pem"),
    "-days",
    "30",
    "-subj",
    "/CN=Semaphore local Kafka CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await openssl([
    "req",
    ...ec,
    "-keyout",
    f("server.key"),
    "-out",
    f("server.csr"),
    "-subj",
    "/CN=localhost",
  ]);
  await writeFile(
    f("server.ext"),
    [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth,clientAuth",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "",
    ].join("\n"),
  );
  await openssl([
    "x509",
    "-req",
    "-in",
    f("server.csr"),
    "-CA",
    f("ca.pem"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-out",
    f("server.pem"),
    "-days",
    "30",
    "-extfile",
    f("server.ext"),
  ]);
  // Kafka's PEM keystore wants a PKCS#8 key ("BEGIN PRIVATE KEY"); make sure of the format.
  await openssl(["pkcs8", "-topk8", "-nocrypt", "-in", f("server.key"), "-out", f("server.pk8")]);
  const [key, cert, ca] = await Promise.all(
    ["server.pk8", "server.pem", "ca.pem"].map((n) => readFile(f(n), "utf8")),
  );
  await writeFile(f("keystore.pem"), `${key!.trim()}\n${cert!.trim()}\n${ca!.trim()}\n`, { mode: 0o600 });
  return { caFile: f("ca.pem"), keystoreFile: f("keystore.pem") };
}
