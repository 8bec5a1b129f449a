import type { UserConfig } from 'vite';

/** See plugin-admin-build.js. */
export function pluginAdminBuild(options: { entry: string; outDir: string; fileName?: string; emptyOutDir?: boolean }): UserConfig;
