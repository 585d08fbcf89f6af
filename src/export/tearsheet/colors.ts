// The tearsheet's colours: one for the strategy and one for its benchmark on every chart.

export const STRATEGY = "#1f77b4";
export const BENCHMARK = "#8c8c8c";
export const LOSS = "#d62728";
