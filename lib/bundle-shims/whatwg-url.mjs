// Bundling shim (lib/sync-function.ts aliases `whatwg-url` here). node-fetch 2, which the HubSpot SDK
// uses, takes `URL` from Node's own `url` module and only falls back to whatwg-url on runtimes without
// it; Node 22 always has it, so the ~290 KiB of whatwg-url + tr46 + webidl-conversions is dead weight.
// Named and default exports: node-fetch's ESM build imports the default, its CommonJS build requires.
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;
export default { URL, URLSearchParams };
