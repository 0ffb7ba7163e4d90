/**
 * ngrok behind the Tunnel interface, with a fake @ngrok/ngrok at the module
 * boundary (the real one needs the network; here it is only loaded). Every
 * mapped ERR_NGROK code becomes a tunnel-failed diagnosis with its own action.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runInit } from '../../src/app/init/run.js';
import type { Outcome } from '../../src/flow/outcome.js';
import { failedTunnelTarget } from '../../src/tunnel/outcomes.js';
import { diagnose } from '../../src/diagnose/engine.js';
import type { StepResult } from '../../src/report/model.js';
import { NGROK_FAILURES, TunnelError } from '../../src/tunnel/errors.js';
import { loadNgrok, openNgrokTunnel, type NgrokModule } from '../../src/tunnel/ngrok.js';
import { fakeContext } from '../helpers/context.js';
import { fakeBrowser, recordingSpinner, scriptedPrompter } from '../init/fakes.js';

function raising(code: string): NgrokModule {
  return {
    forward: async () => {
      throw Object.assign(new Error(`failed with ${code}`), { errorCode: code });
    },
  };
}

function stepWith(outcome: Outcome): StepResult[] {
  return [
    {
      id: 'webhooks',
      title: 'Configure webhooks',
      status: 'fail',
      startedAtMs: 0,
      durationMs: 1,
      checks: [
        {
          id: 'webhooks.public-url',
          title: 'Webhook URL is safe and reachable',
          status: outcome.status,
          message: outcome.message,
          evidence: outcome.evidence ?? {},
          startedAtMs: 0,
          durationMs: 1,
        },
      ],
    },
  ];
}

describe('ngrok tunnel errors', () => {
  const codes = Object.keys(NGROK_FAILURES);

  it.each(codes)(
    'ERR_NGROK_%s maps to tunnel-failed with its own action',
    async (code) => {
      const error = await openNgrokTunnel({
        localPort: 9,
        authtoken: 'token',
        load: async () => raising(`ERR_NGROK_${code}`),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TunnelError);
      const tunnelError = error as TunnelError;
      expect(tunnelError.reason).toBe(`ngrok-${code}`);
      expect(tunnelError.code).toBe(`ERR_NGROK_${code}`);

      const [diagnosis] = diagnose(
        stepWith(failedTunnelTarget('ngrok', tunnelError).preset!),
      );
      expect(diagnosis?.id).toBe('tunnel-failed');
      expect(diagnosis?.action).toBe(NGROK_FAILURES[code]!.action);
    },
  );

  it('gives every code a different action', () => {
    const actions = codes.map((c) => NGROK_FAILURES[c]!.action);
    expect(new Set(actions).size).toBe(actions.length);
  });

  it('refuses to start without a token (4018) and never loads the module', async () => {
    let loaded = false;
    const error = await openNgrokTunnel({
      localPort: 9,
      authtoken: null,
      load: async () => {
        loaded = true;
        return raising('x');
      },
    }).catch((e: TunnelError) => e);
    expect((error as TunnelError).reason).toBe('ngrok-4018');
    expect(loaded).toBe(false);
  });

  it('maps an unknown code to a generic tunnel failure', async () => {
    const error = await openNgrokTunnel({
      localPort: 9,
      authtoken: 't',
      load: async () => raising('ERR_NGROK_9999'),
    }).catch((e: TunnelError) => e);
    expect((error as TunnelError).reason).toBe('ngrok-error');
    expect((error as TunnelError).code).toBe('ERR_NGROK_9999');
  });

  it('times out a forward() that hangs, and closes the listener that comes late', async () => {
    let closedLate = false;
    let arrive: (l: Awaited<ReturnType<NgrokModule['forward']>>) => void = () =>
      undefined;
    const hanging: NgrokModule = {
      forward: () => new Promise((resolve) => (arrive = resolve)),
    };
    const error = await openNgrokTunnel({
      localPort: 9,
      authtoken: 't',
      timeoutMs: 50,
      load: async () => hanging,
    }).catch((e: TunnelError) => e);
    expect((error as TunnelError).reason).toBe('ngrok-timeout');
    arrive({
      url: () => 'https://late.example',
      close: async () => {
        closedLate = true;
      },
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(closedLate).toBe(true);
  });
});

describe('ngrok tunnel lifecycle', () => {
  let edge: Server | null = null;
  afterEach(() => new Promise<void>((r) => (edge ? edge.close(() => r()) : r())));

  it('reports an edge error code and closes the tunnel it opened', async () => {
    // A loopback stand-in for the ngrok edge: it answers with an ngrok error header.
    edge = createServer((_req, res) => {
      res.writeHead(502, { 'ngrok-error-code': 'ERR_NGROK_8012' });
      res.end();
    });
    await new Promise<void>((r) => edge!.listen(0, '127.0.0.1', r));
    const port = (edge.address() as AddressInfo).port;
    let closed = false;
    const error = await openNgrokTunnel({
      localPort: 9,
      authtoken: 't',
      load: async () => ({
        forward: async () => ({
          url: () => 'https://fake.ngrok.example',
          close: async () => {
            closed = true;
          },
        }),
      }),
      // The probe goes to the loopback stand-in, never to a real host.
      fetch: (_url, init) => fetch(`http://127.0.0.1:${port}/`, init),
    }).catch((e: TunnelError) => e);
    expect((error as TunnelError).reason).toBe('ngrok-8012');
    expect(closed).toBe(true);
  });

  it('loads the real @ngrok/ngrok module', async () => {
    const ngrok = await loadNgrok();
    expect(typeof ngrok.forward).toBe('function');
  });

  it('turns a failed tunnel into a failed public-url check and a diagnosis in init', async () => {
    const ctx = fakeContext({ env: { NGROK_AUTHTOKEN: 'fake-token' } });
    const { report, exitCode } = await runInit(
      {
        sandbox: true,
        tunnel: 'ngrok',
        plan: 'plus',
        billingCycle: 'monthly',
        timeoutSeconds: 10,
        webhookWaitSeconds: 1,
        verbose: false,
        store: false,
      },
      ctx,
      {
        prompter: scriptedPrompter(),
        browser: fakeBrowser(),
        spinner: recordingSpinner(),
        loadNgrok: async () => raising('ERR_NGROK_107'),
        skipKey: () => ({ pressed: new Promise(() => undefined), stop: () => undefined }),
      },
    );
    expect(exitCode).toBe(1);
    const check = report.steps
      .flatMap((s) => s.checks)
      .find((c) => c.id === 'webhooks.public-url');
    expect(check?.status).toBe('fail');
    expect(check?.evidence.reason).toBe('ngrok-107');
    const diagnosis = report.diagnoses.find((d) => d.id === 'tunnel-failed');
    expect(diagnosis?.action).toBe(NGROK_FAILURES['107']!.action);
    expect(JSON.stringify(report) + ctx.err()).not.toContain('fake-token');
  });
});
