//! The statistics a watermark test needs, exact and without a library: the binomial upper tail.

/// ln(n!), exactly summed for small n and by Stirling's series beyond (error < 1e-12).
fn ln_factorial(n: usize) -> f64 {
    if n < 256 {
        return (2..=n).map(|i| (i as f64).ln()).sum();
    }
    let n = n as f64;
    n * n.ln() - n + 0.5 * (2.0 * std::f64::consts::PI * n).ln() + 1.0 / (12.0 * n) - 1.0 / (360.0 * n.powi(3))
}

/// P(X ≥ k) for X ~ Binomial(n, p): how likely `k` or more successes in `n` tries are by chance
/// alone. Summed in log space from the k-th term, so a tail of 1e-300 is as exact as one of 0.5.
pub fn binomial_tail(n: usize, k: usize, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let term = |j: usize| {
        ln_factorial(n) - ln_factorial(j) - ln_factorial(n - j) + j as f64 * p.ln() + (n - j) as f64 * (1.0 - p).ln()
    };
    let terms: Vec<f64> = (k..=n).map(term).collect();
    let largest = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum = largest.exp() * terms.iter().map(|t| (t - largest).exp()).sum::<f64>();
    sum.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact values (Python's `fractions`, summed term by term).
    #[test]
    fn the_binomial_tail_matches_exact_sums() {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1e-300);
        for (n, k, p, exact) in [
            (10, 8, 0.5, 0.0546875),
            (20, 5, 0.05, 0.0025739403346522814),
            (20, 15, 0.03, 1.928985395934961e-19),
            (1000, 130, 0.1, 0.001341398370873429),
            (2000, 1100, 0.5, 4.228544767751963e-06),
            (20, 20, 0.05, 9.5367431640625e-27),
            (20, 1, 0.05, 0.6415140775914577),
        ] {
            let tail = binomial_tail(n, k, p);
            assert!(close(tail, exact), "P(Bin({n}, {p}) ≥ {k}) = {tail}, not {exact}");
        }
        assert_eq!(binomial_tail(13, 0, 0.05), 1.0, "nothing asked of it: no evidence");
        assert_eq!(binomial_tail(5, 6, 0.5), 0.0);
        assert_eq!(binomial_tail(5, 1, 0.0), 0.0);
    }
}
