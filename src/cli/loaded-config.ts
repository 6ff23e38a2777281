import { formatProblems, loadConfig, type LoadedConfig } from '../config/load-config';

/**
 * The configuration for a long-running command (`serve`, `sandbox`), or null after writing its problems
 * to stderr and setting exit code 1.
 */
export function loadedConfigOrReport(file: string | undefined): LoadedConfig | null {
  const loaded = loadConfig({ file });
  if (loaded.ok) return loaded.value;
  process.stderr.write(`Configuration ${loaded.file} has problems:\n${formatProblems(loaded.problems)}\n`);
  process.exitCode = 1;
  return null;
}
