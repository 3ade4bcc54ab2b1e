// The talk's three category types, spelled exactly as on its slides.
import { CategoryType } from "../core/types";

export const ROLES = [
  "Executives",
  "Marketing",
  "Creatives",
  "Customer Services & Customer Support",
  "Product Development",
  "IT Ops & Technology",
  "Engineering",
  "Sales & Account Mgmt",
  "Other Operations",
  "Product mgmt.",
  "Project/Program mgmt.",
  "Consulting & Professional Services",
  "Accounting, Finance & Audit",
  "Administrative",
  "HR",
  "Education",
  "Analytics, Research & Data Science",
  "Other Mgmt Role",
  "Other",
] as const;

export const LEVELS = [
  "CEO/(Co)Founder/Owner",
  "C-Level & Partner",
  "VP/Head of",
  "Director, Sr. Director, Associate Director",
  "Group Manager, Lead, Coordinator",
  "Consultant, Advisor",
  "Manager, Sr. Manager, Supervisor, Strategist",
  "Specialist, Professional, Analyst",
  "Entry-level",
  "Other",
] as const;

export const INDUSTRIES = [
  "Marketing & Advertising",
  "Churches & Charity",
  "Financial & Law Services",
  "Administrative & Government",
  "Manufacturing",
  "Health & Fitness",
  "Science & Education",
  "Information Technology",
  "Media & Entertainment",
  "Design, Photography & Publishing",
  "Environment",
  "Transportation & Supply Chain, Retail",
  "Consumer Services & Leisure",
  "Other",
] as const;

export type Role = (typeof ROLES)[number];
export type Level = (typeof LEVELS)[number];
export type Industry = (typeof INDUSTRIES)[number];
export function classesOf(type: CategoryType): readonly string[] {
  return type === "role" ? ROLES : type === "level" ? LEVELS : INDUSTRIES;
}

export const CATEGORY_NAMES: Record<CategoryType, string> = {
  role: "Functional Role",
  level: "Level",
  industry: "Professional Industry",
};

/** Checks a class name, failing with the closest spelling when it is unknown. */
export function parseClass(type: CategoryType, name: string, where = ""): string {
  const classes = classesOf(type);
  if (classes.includes(name)) return name;
  const lower = name.trim().toLowerCase();
  const ci = classes.find((c) => c.toLowerCase() === lower);
  const hint = ci ?? classes.find((c) => c.toLowerCase().startsWith(lower.slice(0, 4)));
  throw new Error(
    `${where ? where + ": " : ""}unknown ${CATEGORY_NAMES[type]} class ${JSON.stringify(name)}` +
      (hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ` (classes: ${classes.join("; ")})`),
  );
}
