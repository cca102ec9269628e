/** Launch contexts: the `mb_launch` handles of EHR launches (made with the control API). */
import { notFound } from "../errors.js";
import { launchContextObject } from "./objects.js";
import type { Call } from "./call.js";

export const retrieveLaunchContext = ({ workspace, path }: Call) => {
  const context = workspace.launchContexts.get(path.id!.toLowerCase());
  if (!context) throw notFound("launch context");
  return launchContextObject(context);
};
