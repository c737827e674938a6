import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { BackgroundServicesError, UnsupportedFeatureError } from '../cdp/errors.js';

/** A private session D-Bus: its address, and how to stop it. */
export interface SessionBus {
  /** `unix:path=/tmp/pbs-bus-…/bus,guid=…`: what `DBUS_SESSION_BUS_ADDRESS` is set to. */
  readonly address: string;
  dispose(): Promise<void>;
}

export const DESKTOP_FEATURE = 'desktopNotifications';
const INSTALL = 'apt-get install dbus-daemon (Debian/Ubuntu; the package is `dbus` on older releases)';

/** `dbus-daemon` on the PATH or in /usr/bin, or undefined. */
export function findDbusDaemon(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'dbus-daemon');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

function unsupported(reason: string, fix: string): UnsupportedFeatureError {
  return new UnsupportedFeatureError(
    { feature: DESKTOP_FEATURE, browser: `Chromium on ${process.platform}`, reason },
    `Desktop notifications need a private session D-Bus for Chromium to send its notifications to, but ${reason}. Fix: ${fix}.`,
  );
}

/**
 * Starts a session bus of its own (a minimal config: no service activation, so nothing else can
 * claim the notification service), listening on a socket in a fresh temporary directory.
 */
export async function startSessionBus(options: { dbusDaemon?: string } = {}): Promise<SessionBus> {
  if (process.platform !== 'linux') {
    throw unsupported(
      `this is ${process.platform}: Chromium hands notifications to D-Bus only on Linux`,
      'run these tests on Linux (a Linux CI runner or container)',
    );
  }
  const daemon = options.dbusDaemon ?? findDbusDaemon();
  if (!daemon) throw unsupported('dbus-daemon is not installed', INSTALL);
  try {
    accessSync(daemon, constants.X_OK);
  } catch {
    throw unsupported(`dbus-daemon was not found at ${daemon}`, INSTALL);
  }
  const dir = mkdtempSync(join(tmpdir(), 'pbs-bus-'));
  const config = join(dir, 'bus.conf');
  writeFileSync(
    config,
    [
      '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">',
      '<busconfig>',
      '  <type>session</type>',
      `  <listen>unix:path=${join(dir, 'bus')}</listen>`,
      '  <auth>EXTERNAL</auth>',
      '  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>',
      '</busconfig>',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(daemon, ['--config-file', config, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(line.trim());
    });
    child.once('error', (error) => reject(unsupported(`${daemon} could not be started (${error.message})`, INSTALL)));
    child.once('exit', (code) =>
      reject(new BackgroundServicesError(`dbus-daemon exited (code ${code}) before printing its address: ${stderr.trim() || 'no output'}`)),
    );
  }).catch((error: unknown) => {
    child.kill();
    cleanup();
    throw error;
  });
  child.stdout?.removeAllListeners('data');
  child.removeAllListeners('exit');
  return {
    address,
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      cleanup();
    },
  };
}
