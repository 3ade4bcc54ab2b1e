// Keyword and phrase rules for Functional Role and Professional Industry: the talk's "before" picture.
// Each rule matches whole words of the normalized title. `priority` orders rules in the priority rule set:
//   3 phrase rules (exact multi-word job names, including the fixes for the talk's failures),
//   2 occupation nouns (the job itself: engineer, nurse, professor),
//   1 function words (the department: marketing, sales, finance),
//   0 generic management words (manager, director) that say nothing about the function.
// In the naive rule set the first keyword that matches in class order wins, which is how the talk's failures arise.

export interface KeywordRule {
  id: string;
  label: string;
  priority: number;
  /** Space-separated word sequences; any one matching is enough. */
  phrases: string[];
}

const r = (label: string, priority: number, id: string, phrases: string): KeywordRule => ({
  id,
  label,
  priority,
  phrases: phrases.split(",").map((p) => p.trim()).filter(Boolean),
});

export const ROLE_RULES: KeywordRule[] = [
  // Phrase rules: job names whose words would mislead the keyword rules.
  r("Sales & Account Mgmt", 3, "role:phrase:sales-engineer", "sales engineer, sales engineering"),
  r("Sales & Account Mgmt", 3, "role:phrase:business-development", "business developer, business development, bizdev, account executive, account manager, account director, key account, customer success manager"),
  r("Product mgmt.", 3, "role:phrase:product-manager", "product manager, product owner, product management, product lead, product director"),
  r("Project/Program mgmt.", 3, "role:phrase:project-manager", "project manager, program manager, programme manager, project management, scrum master, pmo, project coordinator, program director, delivery manager"),
  r("Analytics, Research & Data Science", 3, "role:phrase:data-science", "data scientist, data science, data analyst, business analyst, business intelligence, research analyst, machine learning, market research"),
  r("Administrative", 3, "role:phrase:assistant", "administrative assistant, executive assistant, personal assistant, office manager, office assistant, office administrator"),
  r("Customer Services & Customer Support", 3, "role:phrase:customer-service", "customer service, customer support, customer care, call center, call centre, client services, help desk, helpdesk, service desk"),
  r("IT Ops & Technology", 3, "role:phrase:it", "system administrator, systems administrator, network administrator, database administrator, it support, it manager, information technology, devops, site reliability, it director"),
  r("Creatives", 3, "role:phrase:creative", "art director, creative director, graphic designer, ux designer, ui designer, web designer, copywriter"),
  r("Executives", 3, "role:phrase:executive", "chief executive, managing director, co founder"),
  r("HR", 3, "role:phrase:hr", "human resources, talent acquisition, people operations, hr business partner"),
  r("Education", 3, "role:phrase:education", "head teacher, teaching assistant"),
  // Occupation nouns.
  r("Executives", 2, "role:noun:executive", "ceo, founder, cofounder, owner, president, chairman, cfo, coo, cto, cio, cmo, proprietor, entrepreneur"),
  r("Engineering", 2, "role:noun:engineer", "engineer, developer, programmer, architect, coder, qa, tester, devops, frontend, backend, fullstack"),
  r("Education", 2, "role:noun:teacher", "teacher, professor, lecturer, instructor, tutor, educator, trainer, dean, principal, librarian, coach"),
  r("Creatives", 2, "role:noun:creative", "designer, artist, illustrator, writer, editor, photographer, animator, musician, actor, journalist, author, producer"),
  r("Accounting, Finance & Audit", 2, "role:noun:accountant", "accountant, auditor, bookkeeper, controller, treasurer, actuary, underwriter, cashier"),
  r("HR", 2, "role:noun:recruiter", "recruiter, recruiting"),
  r("Consulting & Professional Services", 2, "role:noun:consultant", "consultant, advisor, adviser, lawyer, attorney, counsel, solicitor, paralegal"),
  r("Analytics, Research & Data Science", 2, "role:noun:scientist", "scientist, statistician, researcher, economist, analyst"),
  r("Administrative", 2, "role:noun:clerk", "secretary, receptionist, clerk, typist, assistant"),
  r("Sales & Account Mgmt", 2, "role:noun:seller", "salesperson, salesman, saleswoman, realtor, broker, merchandiser"),
  r(
    "Other Operations",
    2,
    "role:noun:operations",
    "nurse, technician, mechanic, operator, driver, worker, laborer, labourer, assembler, installer, repairer, inspector, cook, chef, " +
      "welder, machinist, electrician, plumber, carpenter, pilot, physician, therapist, pharmacist, officer, guard, attendant, " +
      "farmer, helper, aide, dispatcher, courier, cleaner, janitor, housekeeper, baker, butcher",
  ),
  // Function words.
  r("Marketing", 1, "role:function:marketing", "marketing, brand, seo, sem, advertising, communications, pr, social media, content, growth, digital"),
  r("Product Development", 1, "role:function:rnd", "r and d, research and development, product development, prototype"),
  r("IT Ops & Technology", 1, "role:function:it", "it, network, systems, infrastructure, security, cloud, database"),
  r("Engineering", 1, "role:function:software", "software, java, python, javascript, web, mobile, embedded"),
  r("Sales & Account Mgmt", 1, "role:function:sales", "sales, account, accounts, business development, retail"),
  r("Accounting, Finance & Audit", 1, "role:function:finance", "finance, financial, accounting, audit, tax, payroll, treasury, credit, billing"),
  r("HR", 1, "role:function:hr", "hr, personnel, talent, recruitment, benefits, compensation"),
  r("Customer Services & Customer Support", 1, "role:function:support", "support, service, services, customer"),
  r("Administrative", 1, "role:function:admin", "administrative, administration, office"),
  r("Other Operations", 1, "role:function:operations", "operations, logistics, warehouse, production, manufacturing, maintenance, construction, facilities, supply chain"),
  r("Education", 1, "role:function:education", "school, education, teaching, academic"),
  // Generic management words.
  r("Other Mgmt Role", 0, "role:generic:manager", "manager, director, head, supervisor, lead, vp, vice president, coordinator, superintendent, foreman, general manager"),
];

export const INDUSTRY_RULES: KeywordRule[] = [
  r("Churches & Charity", 2, "industry:church", "church, pastor, minister, ministry, clergy, priest, chaplain, charity, nonprofit, non profit, fundraiser, fundraising, volunteer"),
  r("Financial & Law Services", 2, "industry:finance-law", "bank, banking, banker, insurance, investment, loan, mortgage, lawyer, attorney, legal, law, paralegal, solicitor, accountant, auditor, actuary, underwriter, tax, financial"),
  r("Administrative & Government", 2, "industry:government", "government, public, police, federal, state, city, county, municipal, military, army, navy, civil service, council, policy, customs, court, judge, firefighter, fire"),
  r("Health & Fitness", 2, "industry:health", "health, medical, nurse, nursing, hospital, clinic, clinical, physician, doctor, therapist, dental, dentist, pharmacy, pharmacist, fitness, surgeon, care, patient"),
  r("Science & Education", 2, "industry:science-education", "school, university, college, professor, teacher, lecturer, education, research, scientist, laboratory, lab, academic, tutor, dean"),
  r("Information Technology", 2, "industry:it", "software, it, developer, programmer, network, data, cloud, computer, web, devops, cyber, systems, database, technology"),
  r("Media & Entertainment", 2, "industry:media", "media, tv, television, film, news, journalist, music, musician, entertainment, actor, broadcast, radio, game, games"),
  r("Design, Photography & Publishing", 2, "industry:design", "design, designer, photographer, photography, publishing, publisher, editor, illustrator, graphic, architect, writer"),
  r("Environment", 2, "industry:environment", "environmental, environment, forest, forestry, farm, farmer, agriculture, agricultural, conservation, renewable, solar, wind, wildlife, sustainability, fishery"),
  r("Transportation & Supply Chain, Retail", 2, "industry:transport-retail", "transport, transportation, logistics, truck, driver, warehouse, retail, store, shop, supply chain, shipping, freight, delivery, airline, pilot, rail, cashier"),
  r("Consumer Services & Leisure", 2, "industry:consumer", "hotel, restaurant, chef, cook, spa, salon, travel, hospitality, tourism, catering, hairdresser, beauty, leisure, casino, food"),
  r("Marketing & Advertising", 2, "industry:marketing", "marketing, advertising, pr, public relations, brand, seo, communications, media buyer"),
  r("Manufacturing", 2, "industry:manufacturing", "manufacturing, production, plant, factory, assembly, assembler, machinist, welder, machine, fabrication, mechanical, engineering, construction, mining, oil, gas, energy"),
];

/** Classes in the talk's slide order: the naive rule set tries them in this order. */
export function talkOrder(rules: KeywordRule[], classes: readonly string[]): KeywordRule[] {
  return rules.slice().sort((a, b) => classes.indexOf(a.label) - classes.indexOf(b.label));
}
