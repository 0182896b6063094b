// Uses the types openapi-typescript generates (compiled by .ci/clients with tsc --strict).
import type { components, operations } from "./duban";

type Complaint = components["schemas"]["ComplaintView"];
type Register = components["schemas"]["RegisterComplaint"];
type UpdateUser = components["schemas"]["UpdateUser"];
type Registered = operations["registerComplaint"]["responses"][201]["content"]["application/json; charset=utf-8"];

const body: Register = {
  channel: "walk_in",
  respondent_unit_id: "0190f0f0-0000-7000-8000-000000000000",
  matter: "attitude",
  account: "The clerk was rude.",
  complainant: { name: "Li Hua" },
};
const update: UpdateUser = { display_name: "Intake desk", role: "intake" };

function describe(c: Complaint | Registered): string {
  const closing: string = c.closing?.finding ?? "open";
  return `${c.number} ${c.status} ${c.channel} ${closing}`;
}

export const checked: [Register, UpdateUser, (c: Complaint) => string] = [body, update, describe];
