/** Small statistics and formatting for the benchmark's figures. */

/** The q-quantile (0..1) of a list of numbers, by linear interpolation. */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const low = Math.floor(pos);
  const high = Math.ceil(pos);
  const lowValue = sorted[low];
  return lowValue + (sorted[high] - lowValue) * (pos - low);
}

/** Median, p10 and p90 of repeated measurements. */
export function summarize(values) {
  return {
    median: quantile(values, 0.5),
    p10: quantile(values, 0.1),
    p90: quantile(values, 0.9),
    n: values.length,
  };
}

/** `value (ratio× baseline)`, with the spread of both. */
export function ratioLine(label, measured, baseline, unit, options = {}) {
  const digits = options.digits ?? 0;
  const ratio = measured.median / baseline.median;
  const show = (s) =>
    `${s.median.toFixed(digits)} ${unit} [p10 ${s.p10.toFixed(digits)}, ` +
    `p90 ${s.p90.toFixed(digits)}, n=${s.n}]`;
  const target = options.target ? `  ${options.target(ratio, measured)}` : '';
  return (
    `${label.padEnd(34)} ${show(measured)}  (${ratio.toFixed(2)}× ` +
    `${options.baselineLabel ?? 'baseline'}: ${show(baseline)})${target}`
  );
}

/** "target met" or "target NOT met", with the target's wording. */
export function verdict(ok, wording) {
  return ok ? `target ${wording}: met` : `target ${wording}: NOT met`;
}
