export { Kernel, type KernelOptions } from './kernel/kernel.ts';
export { loadConfig, type KernelConfig } from './config/config.ts';
export { createApp } from './http/app.ts';
export { listen } from './http/server.ts';
export { KERNEL_VERSION, loadPlugins } from './plugins/loader.ts';
