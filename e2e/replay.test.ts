/**
 * A return URL proves nothing by itself: the app accepts one only for the
 * signed-in user and the session it started for them last.
 */
import { describe, it } from "vitest";
import { browserTests } from "./support/fixture.js";
import { olderReturnReplayed, returnReplayedByAnotherUser } from "./support/scenarios.js";

const t = browserTests("replay");

describe("replayed returns", () => {
  it("one user's return opened in another user's browser: not valid for that account (400)", ({ task }) =>
    returnReplayedByAnotherUser(t, task.name, 400));

  it("a user's own older return, after starting another session: not valid (400)", ({ task }) => olderReturnReplayed(t, task.name, 400));
});
