package io.omnihub.crm.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Markov-chain removal-effect model over channel touch paths: each path is a walk
 * {@code start → channel → … → conversion | null}; transition probabilities are the observed
 * transition counts over all paths; the conversion probability is the probability of being absorbed
 * in {@code conversion} from {@code start}. Removing a channel sends every transition into it to
 * {@code null}; its removal effect is {@code 1 − P(conversion without it) / P(conversion)}. A
 * channel's share of the credit is its removal effect over the sum of all removal effects.
 */
public final class MarkovRemovalEffects {

    /** One customer's touches in order, and whether they ended in a conversion. */
    public record Path(List<String> channels, boolean converted) {
        public Path {
            channels = List.copyOf(channels);
            if (channels.isEmpty()) {
                throw new IllegalArgumentException("a path needs at least one touch");
            }
        }
    }

    /**
     * @param conversionProbability P(conversion) from start over all channels
     * @param removalEffects        per channel (sorted by name), 0..1
     * @param shares                per channel, removal effect normalised to sum 1 (all 0 when nothing converted)
     */
    public record Result(double conversionProbability, Map<String, Double> removalEffects, Map<String, Double> shares) {
    }

    private MarkovRemovalEffects() {
    }

    /** The model fitted on {@code paths}. */
    public static Result of(List<Path> paths) {
        List<String> channels = new ArrayList<>(new TreeSet<>(paths.stream().flatMap(p -> p.channels().stream()).toList()));
        Chain chain = new Chain(channels, paths);
        double base = chain.conversionProbability(-1);
        Map<String, Double> effects = new TreeMap<>();
        for (int i = 0; i < channels.size(); i++) {
            effects.put(channels.get(i), base == 0 ? 0 : 1 - chain.conversionProbability(i) / base);
        }
        double sum = effects.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> shares = new LinkedHashMap<>();
        effects.forEach((c, e) -> shares.put(c, sum == 0 ? 0 : e / sum));
        return new Result(base, effects, shares);
    }

    /** Transition counts between start (index n), the n channels, conversion and null. */
    private static final class Chain {
        private final int n;
        private final double[][] counts; // [from: channels 0..n-1, start n][to: channels 0..n-1, conversion n, null n+1]

        Chain(List<String> channels, List<Path> paths) {
            n = channels.size();
            counts = new double[n + 1][n + 2];
            Map<String, Integer> index = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                index.put(channels.get(i), i);
            }
            for (Path p : paths) {
                int from = n;
                for (String c : p.channels()) {
                    int to = index.get(c);
                    counts[from][to]++;
                    from = to;
                }
                counts[from][p.converted() ? n : n + 1]++;
            }
        }

        /**
         * P(absorbed in conversion | start), with channel {@code removed} (or none, -1) sending every
         * walk that reaches it to null. Solves x = P·x + P(·→conversion) over the transient states by
         * Gaussian elimination with partial pivoting (x of a removed channel is 0).
         */
        double conversionProbability(int removed) {
            int m = n + 1;
            double[][] a = new double[m][m + 1];
            for (int s = 0; s < m; s++) {
                a[s][s] = 1;
                if (s == removed) {
                    continue;
                }
                double total = 0;
                for (double v : counts[s]) {
                    total += v;
                }
                if (total == 0) {
                    continue; // never left: never converts
                }
                for (int t = 0; t < n; t++) {
                    if (t != removed) {
                        a[s][t] -= counts[s][t] / total;
                    }
                }
                a[s][m] = counts[s][n] / total;
            }
            for (int col = 0; col < m; col++) {
                int pivot = col;
                for (int r = col + 1; r < m; r++) {
                    if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                        pivot = r;
                    }
                }
                double[] swap = a[col];
                a[col] = a[pivot];
                a[pivot] = swap;
                for (int r = 0; r < m; r++) {
                    if (r != col && a[r][col] != 0) {
                        double f = a[r][col] / a[col][col];
                        for (int k = col; k <= m; k++) {
                            a[r][k] -= f * a[col][k];
                        }
                    }
                }
            }
            return a[n][m] / a[n][n];
        }
    }
}
