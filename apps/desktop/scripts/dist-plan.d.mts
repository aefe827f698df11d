export interface DistStep {
  cmd: string;
  args: string[];
  cwd: string;
}
export function cliScript(pkg: string, binName?: string): string;
export function builderArgs(options: {
  rootDir: string;
  distDir: string | null;
  platform?: string;
  arch: string;
  extra: string[];
}): string[];
export function distPlan(options: {
  appDir: string;
  rootDir: string;
  distDir: string | null;
  platform?: string;
  arch: string;
  extra: string[];
  node?: string;
}): DistStep[];
export const RELEASE_ARCHS: Record<string, string[]>;
