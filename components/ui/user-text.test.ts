import { expect, test } from "vitest";
import { langOf } from "@/components/ui/user-text";

test("text with Hangul is marked Korean; other text keeps the page's language", () => {
  expect(langOf("노드 재시작: 디스크 압박")).toBe("ko");
  expect(langOf("rebuild after AMI 교체")).toBe("ko");
  expect(langOf("ㅋㅋ")).toBe("ko");
  expect(langOf("new AMI")).toBeUndefined();
  expect(langOf("日本語")).toBeUndefined();
});
