/** Where secrets live between runs: the OS keychain, or a user-only file. */
export interface SecretStore {
  /** Human description for evidence, e.g. "file ~/.config/beacon-quickstart/secrets.json". */
  readonly description: string;
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
  list(): Promise<string[]>;
}

/** Names of the secrets the tool keeps. */
export const SECRET_NAMES = {
  beaconToken: 'beacon-access-token',
  stripeKey: 'stripe-secret-key',
  ngrokToken: 'ngrok-authtoken',
  webhookSecret: (endpointId: string) => `webhook-secret:${endpointId}`,
} as const;
