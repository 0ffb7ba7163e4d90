#!/usr/bin/env node
/**
 * `npm run bench`: start-up, the sandbox flow, the listener and batch diagnose,
 * measured over the BUILT CLI (dist/). Every figure is printed with its
 * median and spread next to a baseline measured in the same run.
 * BENCH_QUICK=1 runs fewer repetitions (for a smoke check of the script);
 * BENCH_ONLY and BENCH_CLI are described where they are read.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { generateLoad } from './bench/load.mjs';
import { run } from './bench/proc.mjs';
import { freePort, startProcess } from './bench/servers.mjs';
import { ratioLine, summarize, verdict } from './bench/stats.mjs';

const ROOT = resolve(import.meta.dirname, '..');
// BENCH_CLI measures another launcher (e.g. one that loads tsc's output, for before/after).
const CLI = process.env.BENCH_CLI
  ? resolve(process.env.BENCH_CLI)
  : join(ROOT, 'bin', 'beacon-quickstart.js');
const QUICK = process.env.BENCH_QUICK === '1';
// BENCH_ONLY=startup,flow,listener,batch runs a subset.
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? 'startup,flow,listener,batch').split(','),
);
const node = process.execPath;

/**
 * The HTTP calls a sandbox flow cannot do without (see docs/performance.md
 * for the derivation, step by step).
 */
export const MINIMUM_FLOW_CALLS = 28;

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    console.error('bench: dist/ is missing; run `npm run build` first.');
    process.exit(2);
  }
  const work = await mkdtemp(join(tmpdir(), 'beacon-bench-'));
  const env = isolatedEnv(work);
  console.log(machineLine());
  console.log('');
  try {
    // Start-up is the baseline of the flow and batch figures, so it always runs.
    const startup = await benchStartup(env);
    if (ONLY.has('flow')) await benchFlow(env, startup.version);
    if (ONLY.has('listener')) await benchListener(env, work);
    if (ONLY.has('batch')) await benchBatch(env, work, startup.versionRss);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Config, state and credentials of the runs live in a throwaway directory. */
function isolatedEnv(work) {
  const env = { ...process.env, XDG_CONFIG_HOME: join(work, 'config') };
  env.XDG_STATE_HOME = join(work, 'state');
  env.XDG_CACHE_HOME = join(work, 'cache');
  env.NO_COLOR = '1';
  for (const name of [
    'BEACON_ACCESS_TOKEN',
    'STRIPE_SECRET_KEY',
    'GITHUB_ACTIONS',
    'CI',
  ]) {
    delete env[name];
  }
  return env;
}

function machineLine() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const gib = (bytes) => (bytes / 2 ** 30).toFixed(1);
  return (
    `machine: ${cpus().length} cores (${cpu}), ${gib(totalmem())} GiB RAM ` +
    `(${gib(freemem())} free), Node ${process.version}, ${process.platform}`
  );
}

async function benchStartup(env) {
  const rounds = QUICK ? 5 : 21;
  const samples = { base: [], version: [], help: [], versionRss: [] };
  for (let i = 0; i < rounds; i++) {
    // Interleaved so that background noise hits all three alike.
    samples.base.push((await run(node, ['-e', '0'], { env })).ms);
    const version = await run(node, [CLI, '--version'], { env });
    samples.version.push(version.ms);
    if (version.peakRssMb) samples.versionRss.push(version.peakRssMb);
    samples.help.push((await run(node, [CLI, '--help'], { env })).ms);
  }
  const base = summarize(samples.base);
  const version = summarize(samples.version);
  const help = summarize(samples.help);
  const target = (ratio) => verdict(ratio <= 1.3, '≤ 1.3×');
  const options = { baselineLabel: 'node -e 0', target };
  console.log('start-up');
  console.log(ratioLine('  --version', version, base, 'ms', options));
  console.log(ratioLine('  --help', help, base, 'ms', options));
  console.log('');
  return { version, versionRss: summarize(samples.versionRss) };
}

async function benchFlow(env, startupVersion) {
  const rounds = QUICK ? 2 : 7;
  const wall = [];
  const calls = [];
  let failures = 0;
  for (let i = 0; i < rounds; i++) {
    const result = await run(node, [CLI, 'validate', '--sandbox', '--json'], { env });
    wall.push(result.ms);
    try {
      const report = JSON.parse(result.stdout);
      calls.push(report.timeline.apiCalls.length);
      if (report.result !== 'pass') failures += 1;
    } catch {
      failures += 1;
    }
  }
  const time = summarize(wall);
  const count = summarize(calls);
  const minimum = {
    median: MINIMUM_FLOW_CALLS,
    p10: MINIMUM_FLOW_CALLS,
    p90: MINIMUM_FLOW_CALLS,
    n: 1,
  };
  console.log('sandbox flow (validate --sandbox --json)');
  console.log(
    ratioLine('  wall time', time, startupVersion, 'ms', {
      baselineLabel: 'CLI start-up (--version)',
      target: (_, m) => verdict(m.median < 1500, '< 1500 ms'),
    }),
  );
  console.log(
    ratioLine('  HTTP requests', count, minimum, 'calls', {
      baselineLabel: 'minimum the flow needs',
    }),
  );
  if (failures > 0) console.log(`  note: ${failures} of ${rounds} runs did not pass`);
  console.log('');
}

async function benchListener(env, work) {
  const secret = `whsec_bench${'x'.repeat(24)}`;
  const secretFile = join(work, 'whsec.txt');
  await writeFile(secretFile, `${secret}\n`, { mode: 0o600 });
  const rounds = QUICK ? 1 : 3;
  const load = { secret, count: QUICK ? 1000 : 4000, concurrency: 16, maxMs: 15_000 };
  const figures = { cli: [], bare: [] };
  for (let i = 0; i < rounds; i++) {
    figures.bare.push(await measureBare(env, load));
    figures.cli.push(await measureListen(env, load, secretFile));
  }
  const pick = (list, key) => summarize(list.map((f) => f[key]));
  console.log('listener (signed deliveries over loopback, 16 in flight)');
  const refused = figures.cli.some((f) => f.accepted !== f.sent);
  console.log(
    ratioLine(
      '  deliveries/s',
      pick(figures.cli, 'perSecond'),
      pick(figures.bare, 'perSecond'),
      '/s',
      {
        baselineLabel: 'bare node:http + HMAC',
        target: (ratio) => verdict(ratio >= 0.7, '≥ 0.7×'),
      },
    ),
  );
  console.log(
    ratioLine(
      '  p99 latency',
      pick(figures.cli, 'p99Ms'),
      pick(figures.bare, 'p99Ms'),
      'ms',
      {
        baselineLabel: 'bare',
        digits: 1,
      },
    ),
  );
  console.log(
    ratioLine(
      '  peak RSS of the server',
      pick(figures.cli, 'rss'),
      pick(figures.bare, 'rss'),
      'MB',
      {
        baselineLabel: 'bare',
        digits: 1,
      },
    ),
  );
  if (refused) console.log('  note: the listener refused some valid deliveries');
  console.log('');
}

async function measureBare(env, load) {
  const server = await startProcess(
    node,
    [join(import.meta.dirname, 'bench', 'bare-receiver.mjs')],
    {
      env: { ...env, BENCH_SECRET: load.secret },
      ready: (stdout) => (/^\d+\n/.test(stdout) ? Number(stdout.trim()) : undefined),
    },
  );
  try {
    await generateLoad({ ...load, port: server.value, count: 300 });
    const result = await generateLoad({ ...load, port: server.value });
    return { ...result, rss: server.peakRssMb() };
  } finally {
    await server.stop();
  }
}

async function measureListen(env, load, secretFile) {
  const port = await freePort();
  const args = [CLI, 'listen', '--tunnel', 'none', '--port', String(port)];
  const server = await startProcess(
    node,
    [...args, '--webhook-secret-file', secretFile],
    {
      env,
      ready: (_, stderr) => (stderr.includes('Listening on') ? port : undefined),
    },
  );
  try {
    await generateLoad({ ...load, port, count: 300 });
    const result = await generateLoad({ ...load, port });
    return { ...result, rss: server.peakRssMb() };
  } finally {
    await server.stop();
  }
}

async function benchBatch(env, work, versionRss) {
  console.log('batch diagnose (200 sandbox organizations)');
  const help = await run(node, [CLI, 'diagnose', '--help'], { env });
  if (help.code !== 0 || !help.stdout.includes('--orgs')) {
    console.log('  not measured: diagnose --orgs unavailable');
    return;
  }
  const sandbox = await startProcess(node, [CLI, 'sandbox', '--orgs', '199', '--json'], {
    env,
    ready: (stdout) => {
      const line = stdout.split('\n')[0];
      return stdout.includes('\n') ? JSON.parse(line) : undefined;
    },
  });
  try {
    const info = sandbox.value;
    const orgsFile = join(work, 'orgs.txt');
    const credentialsFile = join(work, 'credentials.json');
    const credentials = {};
    for (const org of info.organizations) {
      credentials[org.organizationId] = {
        beaconToken: org.accessToken,
        stripeKey: org.stripeSecretKey,
        stripeAccount: org.stripeAccountId,
      };
    }
    await writeFile(
      orgsFile,
      info.organizations.map((o) => o.organizationId).join('\n') + '\n',
    );
    await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
    const count = info.organizations.length;
    const perLevel = {};
    for (const concurrency of [1, 8, 32]) {
      const rounds = QUICK || concurrency === 1 ? 1 : 3;
      const times = [];
      const rss = [];
      let bad = 0;
      for (let i = 0; i < rounds; i++) {
        const result = await run(
          node,
          [
            CLI,
            'diagnose',
            '--orgs',
            orgsFile,
            '--credentials-file',
            credentialsFile,
            '--concurrency',
            String(concurrency),
            '--beacon-url',
            info.beaconUrl,
            '--stripe-url',
            info.stripeUrl,
            '--json',
          ],
          { env, timeoutMs: 600_000 },
        );
        if (result.code !== 0 && result.code !== 1) bad += 1;
        times.push(result.ms / count);
        if (result.peakRssMb) rss.push(result.peakRssMb);
      }
      perLevel[concurrency] = { time: summarize(times), rss: summarize(rss), bad };
    }
    for (const concurrency of [1, 8, 32]) {
      const level = perLevel[concurrency];
      const label = `  concurrency ${concurrency}`;
      console.log(
        ratioLine(`${label}: time per org`, level.time, perLevel[1].time, 'ms', {
          baselineLabel: 'concurrency 1',
          digits: 1,
        }),
      );
      console.log(
        ratioLine(`${label}: peak RSS`, level.rss, versionRss, 'MB', {
          baselineLabel: 'CLI --version',
          digits: 1,
          target:
            concurrency === 32
              ? (_, m) => verdict(m.median < 150, '< 150 MB at 32')
              : undefined,
        }),
      );
      if (level.bad > 0)
        console.log(`  note: ${level.bad} run(s) ended with a usage/config error`);
    }
  } finally {
    await sandbox.stop();
  }
  console.log('');
}

await main();
