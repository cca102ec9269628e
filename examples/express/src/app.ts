/**
 * The Express app: its routes, and the headers every answer carries. Built
 * from its dependencies, so a test can make one with a sandbox of its own.
 */
import cookieParser from "cookie-parser";
import express, { type Express } from "express";
import type { Medblocks } from "medblocks-client";
import type { Config } from "./config.js";
import { errorPage, notFound } from "./errors.js";
import { HealthSystems } from "./health-systems.js";
import { connectedRoutes } from "./routes/connected.js";
import { homeRoutes } from "./routes/home.js";
import { recordsRoutes } from "./routes/records.js";
import { signInRoutes } from "./routes/sign-in.js";
import { webhookEventsPage, webhookReceiver } from "./routes/webhooks.js";
import { Store } from "./store.js";
import { csrf } from "./csrf.js";
import { CSS } from "./style.js";

export function createApp(mb: Medblocks, config: Config): Express {
  const store = new Store();
  const healthSystems = new HealthSystems(mb);
  const forms = csrf({ appOrigin: new URL(config.appUrl).origin, key: config.cookieSecret });
  const app = express();
  app.disable("x-powered-by");
  // The connect buttons' POST answers with a redirect to Medblocks, and
  // Chromium applies `form-action` to that redirect too: allow its origin.
  const medblocksOrigin = new URL(mb.baseUrl).origin;
  app.use((_req, res, next) => {
    res.set({
      "content-security-policy": `default-src 'none'; style-src 'self'; form-action 'self' ${medblocksOrigin}; frame-ancestors 'none'; \
base-uri 'none'`,
      "x-frame-options": "DENY",
      // /connected carries the patient's id in its query: never send it elsewhere.
      "referrer-policy": "same-origin",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    next();
  });
  app.get("/style.css", (_req, res) => {
    res.type("text/css").set("cache-control", "max-age=3600").send(CSS);
  });
  // Before any body parser: the receiver needs the bytes as they arrived.
  app.use(webhookReceiver({ store, webhookSecret: config.webhookSecret }));
  app.use(cookieParser(config.cookieSecret));
  // Every POST from here on is a form of the app's pages: a small body, then checked (csrf.ts).
  app.use(express.urlencoded({ extended: false, limit: "4kb" }));
  app.use(forms.tokens);
  app.use(forms.check);
  app.use(signInRoutes({ renew: forms.renew }));
  app.use(homeRoutes({ mb, config, store, healthSystems }));
  app.use(connectedRoutes({ mb, store, healthSystems }));
  app.use(recordsRoutes({ mb }));
  app.use(webhookEventsPage({ store }));
  app.use(notFound);
  app.use(errorPage);
  return app;
}
