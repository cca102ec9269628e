import type { NextConfig } from "next";

const config: NextConfig = {
  poweredByHeader: false,
  // Otherwise `next dev` writes AGENTS.md into the app's folder, and both
  // `next dev` and `next build` look up security advisories over the network.
  agentRules: false,
  experimental: { agentUpgrade: false },
  // In this repository only: `medblocks-client` is the bundle that `npm run
  // build` and `npm run dev` make from the client's source first (what the
  // package's dist/index.js holds). In your own app, drop this: the package
  // from npm is found in node_modules.
  turbopack: { resolveAlias: { "medblocks-client": "./.medblocks-client/index.js" } },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          // /connected carries the patient's id in its query: never send it elsewhere.
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          // Next.js inlines scripts, so a script-src needs a nonce per request (a proxy); these directives need none.
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'" },
        ],
      },
    ];
  },
};

export default config;
