export { startDemoTarget, buildDemoTargetApp, type DemoTarget } from './server.js';
export type { DemoTargetOptions } from './options.js';
export type { DemoTargetStats } from './stats-counter.js';
export { PRODUCTS, type Product } from './catalogue.js';
