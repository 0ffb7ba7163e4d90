/**
 * Redaction of known secret values from text that leaves this machine
 * (support bundles). Given the values themselves, it removes them as
 * written, URL-encoded, JSON-escaped, hex, and base64 — including base64 of
 * a longer text that contains the secret at any byte offset, where only the
 * middle of the encoding is stable. It does not look inside compressed or
 * doubly-encoded data; nothing this tool writes to a bundle is either.
 */
export const REDACTED = '[redacted]';

/** Shorter values would match ordinary text; nothing this tool handles is that short. */
export const MIN_SECRET_LENGTH = 8;
/** Shortest base64 fragment worth matching; shorter ones would hit innocent data. */
const MIN_FRAGMENT_LENGTH = 8;

function toUrlSafe(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * The part of base64 that stays the same wherever the secret sits: encode it
 * after `offset` filler bytes, then drop the groups that mix in bytes that
 * are not the secret's (the leading filler, the unknown bytes after it).
 */
function base64Fragment(secret: Buffer, offset: number): string {
  const padded = Buffer.concat([Buffer.alloc(offset), secret]);
  const encoded = padded.toString('base64').replace(/=+$/, '');
  const start = offset === 0 ? 0 : 4;
  const fullGroups = Math.floor(padded.length / 3);
  const end = fullGroups * 4;
  return encoded.slice(start, end);
}

/** Every readable form of one secret, longest first. */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
  ]);
  for (const offset of [0, 1, 2]) {
    const fragment = base64Fragment(bytes, offset);
    if (fragment.length < MIN_FRAGMENT_LENGTH) continue;
    forms.add(fragment);
    forms.add(toUrlSafe(fragment));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

export type Redactor = (text: string) => string;

/** Builds a function that replaces every form of every given secret. */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const forms = new Set<string>();
  for (const raw of secrets) {
    const secret = raw.trim();
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of secretForms(secret)) forms.add(form);
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const form of ordered) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    return out;
  };
}
