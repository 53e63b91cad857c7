/**
 * Bounds shared by every wire shape. They keep one report small enough to
 * store and serve cheaply, and make every number finite (JSON Schema has no
 * "finite" keyword; a maximum implies it).
 */
export const LIMITS = {
  aliasMaxLength: 255,
  shortString: 255,
  longString: 4096,
  maxDisks: 256,
  maxUsers: 1024,
  maxGpus: 64,
  maxProcessesPerGpu: 1024,
  maxContainers: 2048,
  maxLabels: 64,
  maxPercent: 100,
  /** Container CPU can exceed 100% (one core is 100%). */
  maxContainerCpuPercent: 100_000,
  maxLoad: 1_000_000,
  maxSize: 1e12,
  maxUptimeSeconds: 1e11,
  /** Far above any real protocol: a larger number is a broken agent, not a newer one. */
  maxProtocolVersion: 1_000_000,
} as const;
