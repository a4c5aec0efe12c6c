// The package.json version, written into each bundle by build.mjs (esbuild `define`): a bundle runs
// alone (the image holds only /fn.js), so it cannot read package.json at run time.
declare const __PACKAGE_VERSION__: string | undefined;

/** `0.1.0`; `0.0.0-dev` when run from source (tests through tsx), where nothing was injected. */
export const VERSION: string = typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0-dev';
