#!/usr/bin/python3
"""The difference of two means with its standard error and 95% interval, for bench/compare.sh.

    /usr/bin/python3 bench/mean_difference.py "A1 A2 ..." "B1 B2 ..."

Prints three tab-separated cells: A's mean, standard error of the mean, min / median and values;
the same for B; and mean(A) - mean(B) with its standard error sqrt(se_A^2 + se_B^2) and the 95%
interval from Student's t with Welch-Satterthwaite degrees of freedom (the two samples' variances
are not assumed equal). Each sample needs at least two values.
"""
import math
import statistics
import sys


def t_quantile(p, df):
    """The p-quantile (p > 0.5) of Student's t with df degrees of freedom: bisection on its CDF,
    integrated from 0 by Simpson's rule."""
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)

    def cdf(x, steps=2000):
        h = x / steps
        f = [c * (1 + (h * i) ** 2 / df) ** (-(df + 1) / 2) for i in range(steps + 1)]
        return 0.5 + h / 3 * (f[0] + f[-1] + 4 * sum(f[1:-1:2]) + 2 * sum(f[2:-1:2]))

    lo, hi = 0.0, 1000.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < p else (lo, mid)
    return (lo + hi) / 2


def summary(values):
    mean, se = statistics.mean(values), statistics.stdev(values) / math.sqrt(len(values))
    text = (f"{mean:.2f} ± {se:.2f}; {min(values):.2f} / {statistics.median(values):.2f} "
            f"({' '.join(f'{v:.2f}' for v in values)})")
    return mean, se, text


def main():
    a, b = ([float(v) for v in arg.split()] for arg in sys.argv[1:3])
    if len(a) < 2 or len(b) < 2:
        sys.exit("mean_difference.py: each sample needs at least two values")
    mean_a, se_a, text_a = summary(a)
    mean_b, se_b, text_b = summary(b)
    se = math.hypot(se_a, se_b)
    df = se ** 4 / (se_a ** 4 / (len(a) - 1) + se_b ** 4 / (len(b) - 1)) if se > 0 else math.inf
    half = (t_quantile(0.975, df) if math.isfinite(df) else 1.959964) * se
    d = mean_a - mean_b
    print(f"{text_a}\t{text_b}\t{d:+.2f} ± {se:.2f} pp (95% interval {d - half:+.2f} to "
          f"{d + half:+.2f} pp, {df:.1f} df)")


if __name__ == "__main__":
    main()
