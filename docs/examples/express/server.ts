// server.ts: MEDBLOCKS_API_KEY, MEDBLOCKS_BASE_URL and MEDBLOCKS_WEBHOOK_SECRET come from the environment.
import express from "express";
import { Medblocks } from "medblocks-client";
import { medblocksRoutes } from "./medblocks-routes.js";

const port = Number(process.env.PORT ?? 3000);
const webhookSecret = process.env.MEDBLOCKS_WEBHOOK_SECRET;
if (!webhookSecret) throw new Error("Set MEDBLOCKS_WEBHOOK_SECRET: the secret of this app's webhook endpoint");

const app = express();
// app.use(yourSignIn): your sign-in middleware, which sets res.locals.user = { id, email }.
app.use(
  medblocksRoutes(new Medblocks(), {
    appUrl: process.env.APP_URL ?? `http://127.0.0.1:${port}`,
    webhookSecret,
    onEvent: (event) => console.log(`webhook ${String(event.type)} ${event.id}`),
  }),
);
app.listen(port, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${port}`));
