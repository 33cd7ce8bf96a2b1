// The version, baked in at build time (scripts/build.mjs defines __LOOOP_VERSION__).
declare const __LOOOP_VERSION__: string;
export const VERSION = typeof __LOOOP_VERSION__ === 'string' ? __LOOOP_VERSION__ : '0.0.0-dev';
