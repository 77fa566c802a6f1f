"""`/api/v2`: readable times in any zone, ranges, totals, uncertainty ranges, error figures and tables."""
