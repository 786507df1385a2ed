// `vite` (dev server) proxies /api to the local runtime, so the sessionId cookie stays
// same-origin as it is in AWS behind CloudFront; `vite build` writes web/dist, which the local
// runtime serves on :3000.
export default {
  server: {
    port: 5173,
    proxy: { "/api": "http://127.0.0.1:3000" },
  },
  build: { outDir: "dist", emptyOutDir: true },
};
