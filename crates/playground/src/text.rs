//! Numbers as the page words them.

use crate::i18n::{fill, Lang, Msg};

/// `0.9423` → `94.23%`.
pub fn percent(fraction: f64) -> String {
    if fraction.is_finite() {
        format!("{:.2}%", 100.0 * fraction)
    } else {
        "–".to_string()
    }
}

/// `79510` → `79.5k`, `2395210` → `2.40M`.
pub fn count(n: u64) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=999_999 => format!("{:.1}k", n as f64 / 1e3),
        _ => format!("{:.2}M", n as f64 / 1e6),
    }
}

/// How many times fewer parameters the student has: `30×` (or `0.5×` for a bigger student).
pub fn compression(teacher: u64, student: u64) -> String {
    let ratio = teacher as f64 / student.max(1) as f64;
    if ratio >= 10.0 {
        format!("{ratio:.0}×")
    } else {
        format!("{ratio:.1}×")
    }
}

/// The headline under the two accuracies: who is ahead, by how much.
pub fn verdict(lang: Lang, distilled: f64, baseline: f64) -> String {
    let gain = 100.0 * (distilled - baseline);
    let points = [("points", format!("{:.2}", gain.abs()))];
    if gain.abs() < 0.05 {
        Msg::TheTwoStudentsAreLevel.text(lang).to_string()
    } else if gain > 0.0 {
        fill(Msg::DistillationIsAheadByPoints.text(lang), &points)
    } else {
        fill(Msg::LabelsAloneAreAheadBy.text(lang), &points)
    }
}

/// The words task's verdict: which student predicts the next letter better, in bits per
/// character (lower is better).
pub fn words_verdict(lang: Lang, distilled: f64, baseline: f64) -> String {
    let gain = baseline - distilled;
    let bits = [("bits", format!("{:.3}", gain.abs()))];
    if gain.abs() < 0.0005 {
        Msg::TheTwoStudentsAreLevel.text(lang).to_string()
    } else if gain > 0.0 {
        fill(Msg::DistillationIsAheadByBits.text(lang), &bits)
    } else {
        fill(Msg::WordsAloneAreAheadByBits.text(lang), &bits)
    }
}

/// Bits per character as the headline shows them (`3.244`, `–` before any).
pub fn bits(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.3}")
    } else {
        "–".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_verdicts_say_lower_is_better() {
        assert_eq!(words_verdict(Lang::En, 3.2, 3.5), "Distillation is ahead by 0.300 bits per character.");
        assert!(words_verdict(Lang::En, 3.5, 3.2).contains("words alone are ahead by 0.300"));
        assert_eq!(bits(f64::NAN), "–");
    }

    #[test]
    fn formats() {
        assert_eq!(percent(0.94234), "94.23%");
        assert_eq!(percent(f64::NAN), "–");
        assert_eq!(count(79_510), "79.5k");
        assert_eq!(count(2_395_210), "2.40M");
        assert_eq!(compression(2_395_210, 79_510), "30×");
        assert_eq!(compression(100, 200), "0.5×");
        assert_eq!(verdict(Lang::En, 0.95, 0.93), "Distillation is ahead by 2.00 points.");
        assert_eq!(verdict(Lang::En, 0.90, 0.93), "Labels alone are ahead by 3.00 points.");
        assert_eq!(verdict(Lang::Es, 0.95, 0.93), "La destilación va 2.00 puntos por delante.");
    }
}
