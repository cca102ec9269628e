/** Small statistics and formatting helpers for `npm run bench`. */

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Median, quartiles and count of a sample, rounded for the results file. */
export function summary(values: readonly number[], digits = 2) {
  const round = (value: number) => Number(value.toFixed(digits));
  return { median: round(median(values)), p25: round(quantile(values, 0.25)), p75: round(quantile(values, 0.75)), n: values.length };
}

export interface Row {
  figure: string;
  value: string;
  budget?: string;
  /** undefined: a figure without a budget. */
  pass?: boolean;
}

export function formatTable(rows: readonly Row[]): string {
  const header = { figure: "figure", value: "value", budget: "budget", result: "result" };
  const cells = rows.map((row) => ({
    figure: row.figure,
    value: row.value,
    budget: row.budget ?? "",
    result: row.pass === undefined ? "" : row.pass ? "PASS" : "FAIL",
  }));
  const width = (key: keyof typeof header) => Math.max(header[key].length, ...cells.map((cell) => cell[key].length));
  const widths = { figure: width("figure"), value: width("value"), budget: width("budget"), result: width("result") };
  const line = (cell: typeof header) =>
    (
      `${cell.figure.padEnd(widths.figure)}  ${cell.value.padStart(widths.value)}  ` +
      `${cell.budget.padEnd(widths.budget)}  ${cell.result}`
    ).trimEnd();
  const rule = "-".repeat(widths.figure + widths.value + widths.budget + widths.result + 6);
  return [line(header), rule, ...cells.map(line)].join("\n");
}
