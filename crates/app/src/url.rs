//! The page's state in its URL, so a link or an iframe reopens the same experiment.
//! `?teacher=mnist-mlp&student=mlp:100&mode=soft&t=2&alpha=0.5&lr=0.01&batch=64&epochs=20&budget=2000
//! &exclude=3&seed=1&backend=cpu&autostart=1&embed=1&hide=seed,backend&lock=teacher`.
//! Unknown parameters are ignored and out-of-range values clamped, each with a notice.

use crate::i18n::Lang;
use crate::lessons;
use crate::settings::{Backend, Settings};
use crate::sweep::{Axis, Sweep};
use distill_core::{Architecture, Mode};

/// Names `hide=` and `lock=` accept: the controls (by their URL parameter) and the panels.
pub const CONTROLS: [&str; 13] = [
    "dataset", "teacher", "student", "mode", "t", "alpha", "lr", "batch", "epochs", "budget", "exclude", "seed",
    "backend",
];
pub const PANELS: [&str; 8] = ["lessons", "charts", "sweep", "draw", "dark-knowledge", "confusion", "results", "share"];

/// Largest student the page offers to build from a URL (parameters), so a link cannot freeze a tab.
const MAX_STUDENT_PARAMETERS: usize = 3_000_000;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageState {
    pub settings: Settings,
    /// The guided lesson the settings started from, if any.
    pub lesson: Option<String>,
    pub autostart: bool,
    pub embed: bool,
    /// Controls or panels not shown.
    pub hide: Vec<String>,
    /// Controls shown but not changeable.
    pub lock: Vec<String>,
    /// `sweep=t:1,2,4&by=student:mlp:30-30,mlp:800-800`: runs the Sweep panel queues.
    pub sweep: Option<Sweep>,
    /// `shift=3.5`: what the missing-class slider adds to that class's logit.
    pub bias_shift: f32,
    /// `lang=es`: the interface language (else the browser's).
    pub lang: Option<Lang>,
}

impl PageState {
    /// Reads a query string (with or without the leading `?`); never fails, says what it changed.
    /// `lesson=` starts from that lesson's preset; the other parameters apply on top of it.
    pub fn from_query(query: &str) -> (PageState, Vec<String>) {
        let query = query.trim_start_matches('?');
        let lesson = query.split('&').find_map(|p| p.strip_prefix("lesson=")).and_then(lessons::find);
        match lesson {
            Some(lesson) => PageState::parse(&format!("{}&{query}", lesson.query)),
            None => PageState::parse(query),
        }
    }

    fn parse(query: &str) -> (PageState, Vec<String>) {
        PageState::default().apply(query)
    }

    /// This state with the query's parameters applied on top, and what was wrong with them.
    pub fn apply(self, query: &str) -> (PageState, Vec<String>) {
        let mut state = self;
        let mut notices = Vec::new();
        let mut by = None;
        let s = &mut state.settings;
        for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(raw);
            let mut number = |min: f64, max: f64| -> Option<f64> {
                match value.parse::<f64>() {
                    Ok(v) if v.is_finite() => {
                        let clamped = v.clamp(min, max);
                        if clamped != v {
                            notices.push(format!("{key}={value} is out of range; using {clamped}"));
                        }
                        Some(clamped)
                    }
                    _ => {
                        notices.push(format!("{key}={value} is not a number; ignored"));
                        None
                    }
                }
            };
            match key {
                "teacher" => s.teacher = value.clone(),
                "t" => s.temperature = number(1.0, 20.0).unwrap_or(s.temperature as f64) as f32,
                "alpha" => s.alpha = number(0.0, 1.0).unwrap_or(s.alpha as f64) as f32,
                "lr" => s.learning_rate = number(1e-5, 1.0).unwrap_or(s.learning_rate),
                "batch" => s.batch_size = number(1.0, 1024.0).map(|v| v.round() as usize).unwrap_or(s.batch_size),
                "epochs" => s.epochs = number(0.1, 500.0).unwrap_or(s.epochs),
                "budget" => s.budget = number(1.0, 1e6).map(|v| v.round() as usize).unwrap_or(s.budget),
                "seed" => s.seed = number(0.0, 1e9).map(|v| v.round() as u64).unwrap_or(s.seed),
                "student" => match value.parse::<Architecture>() {
                    Ok(a) if a.parameters() <= MAX_STUDENT_PARAMETERS => s.student = a.to_string(),
                    Ok(_) => notices.push(format!("student={value} is larger than the page trains; ignored")),
                    Err(e) => notices.push(format!("{e}; ignored")),
                },
                "mode" => match value.parse::<Mode>() {
                    Ok(m) => s.mode = m,
                    Err(e) => notices.push(format!("{e}; ignored")),
                },
                "backend" => match value.parse::<Backend>() {
                    Ok(b) => s.backend = b,
                    Err(e) => notices.push(format!("{e}; ignored")),
                },
                "exclude" => match value.as_str() {
                    "" | "none" => s.excluded_class = None,
                    v => match v.parse::<u8>() {
                        Ok(c) if c < 10 => s.excluded_class = Some(c),
                        _ => notices.push(format!("exclude={value}: expected a class from 0 to 9; ignored")),
                    },
                },
                "lesson" => match lessons::find(&value) {
                    Some(lesson) => state.lesson = Some(lesson.id.to_string()),
                    None => notices.push(format!("there is no lesson `{value}`; ignored")),
                },
                "sweep" => match Axis::parse(&value) {
                    Ok(vary) => state.sweep = Some(Sweep { vary, by: state.sweep.take().and_then(|s| s.by) }),
                    Err(e) => notices.push(format!("sweep: {e}; ignored")),
                },
                "by" => match Axis::parse(&value) {
                    Ok(axis) => by = Some(axis),
                    Err(e) => notices.push(format!("by: {e}; ignored")),
                },
                "shift" => state.bias_shift = number(0.0, 10.0).unwrap_or(state.bias_shift as f64) as f32,
                "lang" => match Lang::parse(&value) {
                    Some(lang) => state.lang = Some(lang),
                    None => notices.push(format!("lang={value}: the page speaks en and es; ignored")),
                },
                "autostart" => state.autostart = flag(&value),
                "embed" => state.embed = flag(&value),
                "hide" | "lock" => {
                    let names = list(&value, key, &mut notices);
                    if key == "hide" {
                        state.hide = names
                    } else {
                        state.lock = names
                    }
                }
                _ => notices.push(format!("unknown parameter `{key}` ignored")),
            }
        }
        match (&mut state.sweep, by) {
            (Some(sweep), Some(by)) => sweep.by = Some(by),
            (None, Some(_)) => notices.push("by= needs a sweep= to go with it; ignored".to_string()),
            _ => {}
        }
        (state, notices)
    }

    /// The query string that reopens this state (settings that differ from the defaults are
    /// written too, so a link stays valid if the defaults change).
    pub fn to_query(&self) -> String {
        let s = &self.settings;
        let mut pairs: Vec<(&str, String)> = self.lesson.iter().map(|l| ("lesson", l.clone())).collect();
        pairs.extend([
            ("teacher", s.teacher.clone()),
            ("student", s.student.clone()),
            ("mode", s.mode.to_string()),
            ("t", s.temperature.to_string()),
            ("alpha", s.alpha.to_string()),
            ("lr", s.learning_rate.to_string()),
            ("batch", s.batch_size.to_string()),
            ("epochs", s.epochs.to_string()),
            ("budget", s.budget.to_string()),
            ("exclude", s.excluded_class.map(|c| c.to_string()).unwrap_or("none".into())),
            ("seed", s.seed.to_string()),
            ("backend", s.backend.to_string()),
        ]);
        if let Some(sweep) = &self.sweep {
            pairs.push(("sweep", sweep.vary.to_string()));
            if let Some(by) = &sweep.by {
                pairs.push(("by", by.to_string()));
            }
        }
        if self.bias_shift != 0.0 {
            pairs.push(("shift", self.bias_shift.to_string()));
        }
        if let Some(lang) = self.lang {
            pairs.push(("lang", lang.code().into()));
        }
        if self.autostart {
            pairs.push(("autostart", "1".into()));
        }
        if self.embed {
            pairs.push(("embed", "1".into()));
        }
        if !self.hide.is_empty() {
            pairs.push(("hide", self.hide.join(",")));
        }
        if !self.lock.is_empty() {
            pairs.push(("lock", self.lock.join(",")));
        }
        pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
    }

    pub fn hidden(&self, name: &str) -> bool {
        self.hide.iter().any(|h| h == name)
    }

    pub fn locked(&self, name: &str) -> bool {
        self.lock.iter().any(|l| l == name)
    }
}

fn flag(value: &str) -> bool {
    matches!(value, "1" | "true" | "yes" | "")
}

fn list(value: &str, key: &str, notices: &mut Vec<String>) -> Vec<String> {
    let mut names = Vec::new();
    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if CONTROLS.contains(&name) || PANELS.contains(&name) {
            names.push(name.to_string());
        } else {
            notices.push(format!("{key}: unknown control `{name}` ignored"));
        }
    }
    names
}

/// Percent-decoding (and `+` as space) of a query value; invalid escapes are kept as they are.
fn decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes everything but unreserved characters and the `:`/`,` our values use.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' | b',' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_round_trips() {
        let state = PageState {
            settings: Settings {
                teacher: "fashion-cnn".into(),
                student: "mlp:30-30".into(),
                mode: Mode::TopK(3),
                temperature: 4.5,
                alpha: 0.25,
                learning_rate: 0.003,
                batch_size: 32,
                epochs: 7.0,
                budget: 1200,
                excluded_class: Some(3),
                seed: 42,
                backend: Backend::Cpu,
            },
            lesson: None,
            autostart: true,
            embed: true,
            hide: vec!["seed".into(), "charts".into()],
            lock: vec!["teacher".into()],
            sweep: Some(Sweep {
                vary: Axis::parse("t:1,2.5,4").unwrap(),
                by: Some(Axis::parse("student:mlp:30-30,mlp:800-800").unwrap()),
            }),
            bias_shift: 3.5,
            lang: Some(Lang::Es),
        };
        let query = state.to_query();
        let (back, notices) = PageState::from_query(&format!("?{query}"));
        assert_eq!(back, state, "{query}");
        assert!(notices.is_empty(), "{notices:?}");
    }

    #[test]
    fn bad_values_are_clamped_or_ignored_with_a_notice() {
        let (state, notices) = PageState::from_query(
            "t=999&alpha=-1&lr=abc&student=mlp:4096-4096-4096&mode=top42&bogus=1&hide=seed,nope&exclude=12&sweep=teacher:a&by=t:1&lang=fr",
        );
        let defaults = Settings::default();
        assert_eq!(state.settings.temperature, 20.0, "the slider's range");
        assert_eq!(state.settings.alpha, 0.0);
        assert_eq!(state.settings.learning_rate, defaults.learning_rate);
        assert_eq!(state.settings.student, defaults.student);
        assert_eq!(state.settings.mode, defaults.mode);
        assert_eq!(state.settings.excluded_class, None);
        assert_eq!(state.hide, vec!["seed".to_string()]);
        assert_eq!(state.sweep, None);
        assert_eq!(state.lang, None);
        assert_eq!(notices.len(), 11, "{notices:#?}");
        assert!(notices.iter().any(|n| n.contains("by= needs a sweep=")));
        assert!(notices.iter().any(|n| n.contains("unknown parameter `bogus`")));
    }

    #[test]
    fn values_are_decoded_and_never_trusted_as_markup() {
        let (state, _) = PageState::from_query("teacher=%3Cscript%3Ealert(1)%3C%2Fscript%3E&student=mlp%3A100");
        assert_eq!(state.settings.teacher, "<script>alert(1)</script>", "kept as text; the page shows it as text");
        assert_eq!(state.settings.student, "mlp:100");
        assert_eq!(decode("a%zzb%4"), "a%zzb%4");
    }
}
