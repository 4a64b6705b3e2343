// Constants that only the bundled GitHub Action defines (scripts/build-action.ts, esbuild `define`).
// Elsewhere they are undeclared at run time: read them only through `typeof`.

/** True in dist/action/index.js, which is its own analysis worker script. */
declare const __TARSIER_BUNDLE__: true | undefined
/** The version of package.json at build time. */
declare const __TARSIER_VERSION__: string | undefined
/** RULESET_ID computed from the sources the bundle was built from. */
declare const __TARSIER_RULESET_ID__: string | undefined

/** piscina's worker bootstrap, which the bundle runs in its worker threads (resolved by the build). */
declare module 'tarsier:piscina-worker' {}
