// Headless Chromium for report tests: Debian's chromium driven by playwright-core. Outside CI a machine without
// Chromium skips these tests with a printed reason; under CI=true they must run.
//
// checkReport opens a report from file:// and reads what a reader would see: every plotly figure drawn, with its
// title and the title of every axis its traces use (read from the layout plotly drew, not from the HTML), and no
// figure, table frame, table, pre or image wider than the page's main column. Requests that leave file:// are
// blocked and listed, so a report that would not open offline says so.
import * as fs from "fs";
import * as path from "path";
import type { BrowserContext, Page } from "playwright-core";
import { tmpDir } from "./helpers";

export const CHROMIUM = process.env.JTLAB_CHROMIUM ?? "/usr/bin/chromium";

export function chromiumSkipReason(): string | null {
  if (fs.existsSync(CHROMIUM)) return null;
  if (process.env.CI === "true") throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  return `${CHROMIUM} not found (install Debian's chromium to run the report browser tests)`;
}

export interface CheckOptions {
  timeoutMs?: number;
  /** Write a full-page PNG here. */
  screenshot?: string;
  /** Take the browser offline (networking off) besides blocking every request that is not file://. */
  offline?: boolean;
}

export interface FigureCheck {
  /** The title plotly drew ("" when none). */
  title: string;
  /** Each axis the figure's traces use ("xaxis", "yaxis2", "scene.zaxis") and its drawn title ("" when none). */
  axes: { axis: string; title: string }[];
  drawn: boolean;
}

export interface PageCheck {
  figures: number;
  drawn: number;
  /** Number of points in each figure's traces (x array lengths), in page order. */
  points: number[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  figureChecks: FigureCheck[];
  /** Figures whose place says plotly.js is missing (a linked report without its assets/). */
  missingPlotlyNotes: number;
  /** What a reader would call broken: undrawn figures, missing titles, things wider than the column. */
  problems: string[];
  /** Requests that would leave the machine (blocked). */
  externalRequests: string[];
  /** Width of the main column in CSS pixels. */
  columnWidth: number;
}

export interface OpenedReport {
  page: Page;
  context: BrowserContext;
  errors: string[];
  externalRequests: string[];
}

const LOCAL_SCHEMES = /^(file|data|blob|about):/;

/** Debian's Chromium, headless, in a fresh profile folder per launch (playwright passes it as --user-data-dir). */
export async function launchChromium(opts: { offline?: boolean } = {}): Promise<BrowserContext> {
  const { chromium } = await import("playwright-core");
  return chromium.launchPersistentContext(tmpDir("jtlab-chromium-"), {
    executablePath: CHROMIUM,
    headless: true,
    offline: opts.offline === true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/**
 * Opens a report in a fresh headless Chromium, waits until every figure is drawn or explained, runs `use` on the page
 * and closes the browser. Every request that is not local is aborted and recorded.
 */
export async function withReport<T>(file: string, opts: CheckOptions, use: (r: OpenedReport) => Promise<T>): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const context = await launchChromium({ offline: opts.offline === true });
  try {
    const errors: string[] = [];
    const externalRequests: string[] = [];
    await context.route(
      (url) => !LOCAL_SCHEMES.test(url.href),
      (route) => {
        externalRequests.push(route.request().url());
        return route.abort("internetdisconnected");
      },
    );
    // tsx (scripts/check-reports.ts) keeps function names through a __name helper that page.evaluate's copy of a
    // function would call; the page gets a stand-in.
    await context.addInitScript("globalThis.__name = globalThis.__name || function (f) { return f; };");
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto("file://" + path.resolve(file), { waitUntil: "load", timeout: timeoutMs });
    const figures = await page.locator(".plotly-figure").count();
    await page
      .waitForFunction(
        (n) => Array.from(document.querySelectorAll(".plotly-figure")).filter((f) => f.querySelector("svg.main-svg") || f.classList.contains("not-drawn")).length >= n,
        figures,
        { timeout: timeoutMs },
      )
      .catch(() => undefined);
    const result = await use({ page, context, errors, externalRequests });
    if (opts.screenshot) {
      fs.mkdirSync(path.dirname(path.resolve(opts.screenshot)), { recursive: true });
      await page.screenshot({ path: opts.screenshot, fullPage: true, timeout: timeoutMs });
    }
    return result;
  } finally {
    await context.close();
  }
}

interface Measured {
  figureChecks: FigureCheck[];
  points: number[];
  missingPlotlyNotes: number;
  columnWidth: number;
  tooWide: string[];
}

/** Runs in the page: the figures as plotly drew them and everything wider than the main column. */
function measurePage(): Measured {
  type Layout = Record<string, any>;
  type PlotEl = HTMLElement & { _fullLayout?: Layout; _fullData?: Record<string, any>[]; layout?: Layout; data?: { x?: unknown[] }[] };
  const text = (t: unknown): string => (typeof t === "string" ? t : t && typeof (t as { text?: unknown }).text === "string" ? (t as { text: string }).text : "").trim();
  // plotly fills an empty title with a "Click to enter … title" placeholder, drawn only in editable mode.
  const drawnTitle = (t: unknown, placeholder: unknown): string => (text(t) === text(placeholder) ? "" : text(t));
  const els = Array.from(document.querySelectorAll<PlotEl>(".plotly-figure"));
  const figureChecks = els.map((el): FigureCheck => {
    const full = el._fullLayout;
    const drawn = !!el.querySelector("svg.main-svg") && !!full;
    if (!full) {
      const json = document.querySelector(`script[data-figure="${el.id}"]`)?.textContent;
      let title = "";
      try {
        title = text(JSON.parse(json ?? "{}")?.layout?.title);
      } catch {
        title = "";
      }
      return { title, axes: [], drawn: false };
    }
    const dflt = (full._dfltTitle ?? {}) as Record<string, unknown>;
    const axes = new Map<string, string>();
    for (const trace of el._fullData ?? []) {
      if (trace.visible === false) continue;
      for (const letter of ["x", "y"]) {
        const ref = trace[`${letter}axis`];
        if (typeof ref !== "string") continue;
        const name = `${letter}axis${ref.slice(1)}`;
        const ax = full[name];
        if (ax && ax.visible !== false) axes.set(name, drawnTitle(ax.title, dflt[letter]));
      }
      if (typeof trace.scene === "string") {
        for (const letter of ["x", "y", "z"]) {
          const ax = full[trace.scene]?.[`${letter}axis`];
          if (ax && ax.visible !== false) axes.set(`${trace.scene}.${letter}axis`, drawnTitle(ax.title, dflt[letter]));
        }
      }
    }
    return { title: drawnTitle(full.title, dflt.plot), axes: [...axes].map(([axis, title]) => ({ axis, title })), drawn };
  });
  const points = els.map((f) => (f.data ?? []).reduce((a, t) => a + (t.x?.length ?? 0), 0));
  const column = (document.querySelector("main") ?? document.body).getBoundingClientRect();
  const describe = (el: Element): string => {
    if (el.matches(".plotly-figure, .plotly-figure *")) {
      const fig = el.closest<PlotEl>(".plotly-figure")!;
      const title = drawnTitle(fig._fullLayout?.title, fig._fullLayout?._dfltTitle?.plot);
      return `figure "${title || fig.id}"`;
    }
    const table = el.matches(".jtlab-table-frame") ? el.querySelector("table") : el.closest("table");
    if (table) {
      const label = table.querySelector("caption")?.textContent?.trim() || Array.from(table.querySelectorAll("th")).slice(0, 3).map((th) => th.textContent?.trim()).join(", ");
      return `${el.matches(".jtlab-table-frame") ? "table frame" : "table"} (${label.slice(0, 60)})`;
    }
    return `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(/\s+/).join(".") : ""} "${(el.textContent ?? "").trim().slice(0, 40)}"`;
  };
  const selectors = [".jtlab-table-frame", "table", "pre", ".plotly-figure", ".plotly-figure .svg-container", ".image-output img", ".html-output", ".markdown-output"];
  const tooWide: string[] = [];
  for (const el of Array.from(document.querySelectorAll(selectors.join(",")))) {
    // A table inside its frame may be wider: the frame scrolls.
    if (el.matches("table") && el.closest(".jtlab-table-frame")) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    if (box.right > column.right + 1 || box.left < column.left - 1) {
      tooWide.push(`${describe(el)} is ${Math.round(box.width)} px wide in a ${Math.round(column.width)} px column`);
    }
  }
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth + 1) tooWide.push(`the page scrolls sideways (${page.scrollWidth} px in a ${page.clientWidth} px window)`);
  return { figureChecks, points, missingPlotlyNotes: document.querySelectorAll(".plotly-figure .figure-missing").length, columnWidth: column.width, tooWide };
}

/** Problems of the figures: not drawn, no title, an axis without a title. */
export function figureProblems(checks: FigureCheck[]): string[] {
  return checks.flatMap((f, i) => {
    const name = f.title ? `figure ${i + 1} "${f.title}"` : `figure ${i + 1}`;
    if (!f.drawn) return [`${name} is not drawn`];
    return [...(f.title ? [] : [`${name} has no title`]), ...f.axes.filter((a) => !a.title).map((a) => `${name}: ${a.axis} has no title`)];
  });
}

/** Reads an opened report's figures and widths (see measurePage). */
export async function inspectReport(r: OpenedReport): Promise<PageCheck> {
  const m = await r.page.evaluate(measurePage);
  const problems = [...figureProblems(m.figureChecks), ...m.tooWide, ...r.externalRequests.map((u) => `requested ${u} (blocked: reports must open offline)`)];
  return {
    figures: m.figureChecks.length,
    drawn: m.figureChecks.filter((f) => f.drawn).length,
    points: m.points,
    errors: [...r.errors],
    figureChecks: m.figureChecks,
    missingPlotlyNotes: m.missingPlotlyNotes,
    problems,
    externalRequests: [...r.externalRequests],
    columnWidth: m.columnWidth,
  };
}

/** Opens a report and checks it (see the top of this file). A number as the second argument is the timeout. */
export async function checkReport(file: string, opts: number | CheckOptions = {}): Promise<PageCheck> {
  const o = typeof opts === "number" ? { timeoutMs: opts } : opts;
  return withReport(file, o, inspectReport);
}
