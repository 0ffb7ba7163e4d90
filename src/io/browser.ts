/**
 * Opens URLs in the user's browser through the `open` package. A machine
 * without a desktop (no DISPLAY on Linux, an SSH session) has no browser to
 * open: the caller then prints the URL and waits, which it does anyway.
 */
import type { Context } from './context.js';

export interface BrowserOpener {
  /** Opens `url`; resolves false when no browser could be started. */
  open(url: string): Promise<boolean>;
}

/** Why no browser can be opened here, or null when one probably can. */
export function browserUnavailable(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (env.BEACON_QUICKSTART_NO_BROWSER) return 'BEACON_QUICKSTART_NO_BROWSER is set';
  if (env.BROWSER) return null;
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') {
    return null;
  }
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'no graphical session (DISPLAY and WAYLAND_DISPLAY are unset)';
}

/** Opens URLs with the system's default browser; never throws. */
export function systemBrowser(ctx: Context): BrowserOpener {
  return {
    async open(url: string): Promise<boolean> {
      if (browserUnavailable(ctx.env)) return false;
      try {
        const { default: open } = await import('open');
        const child = await open(url);
        // A missing xdg-open and the like show up as an async 'error' event.
        return await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), 300);
          child.once('error', () => {
            clearTimeout(timer);
            resolve(false);
          });
          child.unref();
        });
      } catch {
        return false;
      }
    },
  };
}

/** An opener that never opens anything (for headless machines and tests). */
export const noBrowser: BrowserOpener = { open: async () => false };
