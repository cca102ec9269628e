/**
 * `medblocks-contract --base-url URL`: the command (src/command.ts) on this
 * process's arguments, environment and output. Ctrl-C (or SIGTERM) stops
 * the scenarios and still deletes what the check created; a second one
 * exits at once.
 */
import { command } from "./command.js";

const controller = new AbortController();
let signals = 0;
const onSignal = () => {
  if (++signals > 1) process.exit(130);
  process.stderr.write("medblocks-contract: interrupted: deleting what the check created (Ctrl-C again to quit at once)\n");
  controller.abort();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

process.exitCode = await command(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
});
