package dev.tether.bench;

import java.util.Arrays;
import java.util.List;

/** Order statistics over a handful of samples (nearest-rank; the machine is too noisy for more). */
final class Stats {
    private Stats() {}

    static double median(List<Double> samples) {
        return percentile(samples, 50);
    }

    static double p90(List<Double> samples) {
        return percentile(samples, 90);
    }

    static double min(List<Double> samples) {
        return samples.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> samples) {
        return samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** Nearest-rank percentile; the median of an even count is the mean of the middle two. */
    static double percentile(List<Double> samples, int p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        double[] s = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        if (p == 50 && s.length % 2 == 0) {
            return (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    /** Milliseconds from two {@link System#nanoTime()} readings. */
    static double millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e6;
    }

    /** Rounds for display and JSON: figures are orders of magnitude on a shared machine. */
    static double round(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
