/**
 * Credentials for `init`: each comes from its `--…-file` (or stdin), the
 * environment, or the vault, in that order, and only when all are empty is
 * the person asked, in a masked prompt. What was typed is kept in memory
 * until they agree to store it.
 */
import { resolveSecret, type SecretSpec } from '../../config/secrets.js';
import type { Context } from '../../io/context.js';
import type { Prompter } from '../../io/prompt.js';
import type { SecretStore } from '../../vault/store.js';

export { NGROK_TOKEN } from '../../config/secrets.js';

/** A store that answers from typed-in values first, then from the real vault. */
export class TypedSecrets implements SecretStore {
  private readonly typed = new Map<string, string>();

  constructor(private readonly vault: SecretStore) {}

  get description(): string {
    return this.vault.description;
  }

  /** Names of the secrets typed in this run (never their values). */
  get typedNames(): string[] {
    return [...this.typed.keys()];
  }

  remember(name: string, value: string): void {
    this.typed.set(name, value);
  }

  async get(name: string): Promise<string | null> {
    return this.typed.get(name) ?? this.vault.get(name);
  }

  set(name: string, value: string): Promise<void> {
    return this.vault.set(name, value);
  }

  delete(name: string): Promise<boolean> {
    return this.vault.delete(name);
  }

  list(): Promise<string[]> {
    return this.vault.list();
  }

  /** Writes the typed secrets to the real vault. */
  async persist(): Promise<string[]> {
    for (const [name, value] of this.typed) await this.vault.set(name, value);
    return this.typedNames;
  }
}

export interface SecretQuestion {
  spec: SecretSpec;
  file: string | undefined;
  /** Extra checks on a typed value; a string is shown as the problem. */
  check?: (value: string) => true | string;
}

/** Resolves a secret from its sources, asking in a masked prompt when none has it. */
export async function secretOrAsk(
  question: SecretQuestion,
  ctx: Context,
  secrets: TypedSecrets,
  prompter: Prompter,
): Promise<string> {
  const found = await resolveSecret(
    question.spec,
    question.file,
    ctx.env,
    secrets,
    ctx.stdin,
  );
  if (found) return found.value;
  const value = await prompter.password({
    message: `${question.spec.label} (or set ${question.spec.envVar})`,
    validate: (typed) => {
      if (!typed.trim()) return `Paste the ${question.spec.label}.`;
      return question.check ? question.check(typed.trim()) : true;
    },
  });
  secrets.remember(question.spec.vaultName, value);
  return value;
}
