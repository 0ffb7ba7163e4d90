/**
 * An ngrok tunnel through `@ngrok/ngrok`, the library form of the agent. It
 * loads only when asked for, its `forward()` is bounded by a timeout, and
 * every `ERR_NGROK_…` code becomes a TunnelError with its own action.
 */
import {
  NGROK_FAILURES,
  OTHER_TUNNEL_FAILURES,
  TunnelError,
  ngrokFailure,
} from './errors.js';
import type { Tunnel } from './types.js';

/** The part of @ngrok/ngrok this tool uses; tests pass a fake. */
export interface NgrokListener {
  url(): string | null;
  close(): Promise<void>;
}

export interface NgrokModule {
  forward(config: {
    addr: string;
    authtoken?: string;
    proto?: string;
    session_metadata?: string;
  }): Promise<NgrokListener>;
}

export interface NgrokOptions {
  localPort: number;
  authtoken: string | null;
  timeoutMs?: number;
  load?: () => Promise<NgrokModule>;
  /** Checks the edge answers through the tunnel (fetch is injectable for tests). */
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 20_000;

/** Loads the real library; its native binary ships as a platform package. */
export async function loadNgrok(): Promise<NgrokModule> {
  const ngrok = (await import('@ngrok/ngrok')) as unknown as NgrokModule & {
    default?: NgrokModule;
  };
  return ngrok.default ?? ngrok;
}

function withTimeout<T>(work: Promise<T>, ms: number, onLate: (value: T) => void) {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new TunnelError(OTHER_TUNNEL_FAILURES['ngrok-timeout']!, null, `${ms} ms`));
    }, ms);
  });
  // A listener that arrives after the timeout must still be closed.
  work.then((value) => timedOut && onLate(value)).catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * A request through the tunnel that the edge answers with `ngrok-error-code`
 * means ngrok cannot reach the local server (8012 and kin).
 */
async function edgeCheck(publicUrl: string, doFetch: typeof fetch): Promise<void> {
  let code: string | null;
  try {
    const response = await doFetch(publicUrl, {
      method: 'GET',
      headers: { 'User-Agent': 'beacon-quickstart-probe' },
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    code = response.headers.get('ngrok-error-code');
  } catch {
    // Reachability is judged by the round-trip probe; this looks only for edge codes.
    return;
  }
  if (!code) return;
  throw ngrokFailure({ errorCode: code });
}

/** Opens an ngrok tunnel to 127.0.0.1:localPort. */
export async function openNgrokTunnel(options: NgrokOptions): Promise<Tunnel> {
  if (!options.authtoken)
    throw new TunnelError(NGROK_FAILURES['4018']!, 'ERR_NGROK_4018');
  const ngrok = await (options.load ?? loadNgrok)();
  let listener: NgrokListener;
  try {
    listener = await withTimeout(
      ngrok.forward({
        addr: `127.0.0.1:${options.localPort}`,
        authtoken: options.authtoken,
        proto: 'http',
        session_metadata: 'beacon-quickstart',
      }),
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      (late) => void late.close().catch(() => undefined),
    );
  } catch (error) {
    if (error instanceof TunnelError) throw error;
    throw ngrokFailure(error);
  }

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await listener.close().catch(() => undefined);
  };
  const publicUrl = (listener.url() ?? '').replace(/\/+$/, '');
  try {
    if (!publicUrl.startsWith('https://')) {
      throw new TunnelError(OTHER_TUNNEL_FAILURES['ngrok-error']!, null, 'no https URL');
    }
    await edgeCheck(publicUrl, options.fetch ?? fetch);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    kind: 'ngrok',
    publicUrl,
    signingSecrets: [],
    close,
    describe: () => `ngrok tunnel ${publicUrl} → 127.0.0.1:${options.localPort}`,
  };
}
