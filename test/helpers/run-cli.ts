import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI } from './child-server';

const run = promisify(execFile);

/** Runs the built CLI in `cwd` with extra environment variables; never throws, reports the exit code. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
