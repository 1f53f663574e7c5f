import { expect, test } from "vitest";
import { humanFieldError, lengthProblem } from "@/components/ui/human-errors";

test("zod's wording becomes a sentence with the fix", () => {
  expect(humanFieldError("Too big: expected string to have <=500 characters")).toBe(
    "Too long: keep it to 500 characters or fewer.",
  );
  expect(humanFieldError("Too small: expected string to have >=3 characters")).toBe(
    "Too short: write at least 3 characters.",
  );
  expect(humanFieldError("Say why (at least 3 characters).")).toBe("Say why (at least 3 characters).");
});

test("the counter names how much to cut", () => {
  expect(lengthProblem(3400, 3, 500)).toBe("Too long: 3,400 characters, at most 500. Shorten it by 2,900.");
  expect(lengthProblem(2, 3, 500)).toBe("Too short: at least 3 characters.");
  expect(lengthProblem(0, 3, 500)).toBeNull();
  expect(lengthProblem(500, 3, 500)).toBeNull();
});
