npx medblocks-sandbox exec --forward-to "http://127.0.0.1:${PORT:-3000}/webhooks/medblocks" -- npx tsx server.ts
