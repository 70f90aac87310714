import {
  CreateSecretCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";

/** Creates or updates a secret: the local runtime's and the tests' equivalent of the README's deploy step. */
export async function putSecret(client: SecretsManagerClient, name: string, value: string): Promise<void> {
  try {
    await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  } catch (error) {
    if (!(error instanceof ResourceExistsException)) throw error;
    await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
  }
}

/** Any static credentials satisfy moto; real AWS uses the default provider chain instead. */
export function localSecretsManagerClient(endpoint: string, region: string): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}
